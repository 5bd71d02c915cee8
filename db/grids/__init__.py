"""The post's grids, households and staff: their writes (writes), reads (queries), the whole-post household
search (household_search), bulk upkeep of totals and index (bulk) and the dashboard's reads (dashboard)."""
