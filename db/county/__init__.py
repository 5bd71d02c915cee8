"""A county's posts on one PostgreSQL: the outbox a post sends, the county schema, the board's reads."""
