"""Duty roster (排班) screens: coverage, one shift, its dialogs, and each person's load."""
