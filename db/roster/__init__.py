"""Duty rosters: the roster's rules as one pure function (rules), their values from config.yaml (settings), the
writes that apply them (writes) and the reads (queries)."""
