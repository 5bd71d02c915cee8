"""Screens of the audit trail: the list of changes and one entry in full."""
