"""The county board: every post's figures, read from the county's PostgreSQL."""
