"""The registers (台账) kept from the field: testing rounds, call-backs, special-care check-ins and building
reports, written (writes) and read (queries)."""
