"""Who may change what, and the record of every change: the SQLite authorizer and sessions (guard), and the
hash-chained audit trail kept by triggers (trail)."""
