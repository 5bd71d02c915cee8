"""Wording shared by the command line and the screens: passes, roster, audit entries, CLI output."""
