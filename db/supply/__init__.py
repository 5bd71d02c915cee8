"""Supply handoffs (物资配送): items, depot stock, orders, runs and the append-only ledger, written (writes), read
(queries) and totalled (report)."""
