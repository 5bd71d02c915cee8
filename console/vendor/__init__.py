"""Third-party code vendored into the guard page (see README.txt here)."""
