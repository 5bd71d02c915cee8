"""Screens that bring data in from outside: a pasted chain (接龙) and CSV files."""
