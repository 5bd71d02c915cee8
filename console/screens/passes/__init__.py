"""Delivery pass screens: a grid's passes, their dialogs, picking one, and the scan check."""
