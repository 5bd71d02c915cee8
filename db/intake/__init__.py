"""Reading what operators bring in from outside: WeChat chain messages (接龙, chain), chains of orders against
the day's menu (orders_chain) and CSV files from Excel or WPS (csv_import)."""
