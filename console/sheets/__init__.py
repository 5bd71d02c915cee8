"""Printables and files for people: A4 sheets of passes, rosters and run vouchers, register lists and CSV."""
