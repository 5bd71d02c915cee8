"""Copies of the post's database file: backups taken while the console runs, rolling copies, restores (copies)."""
