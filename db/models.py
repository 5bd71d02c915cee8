"""The post's database as every query in db/ reaches it: ``database_proxy``, pointed at the open
database by db/connection.py.

There are no ORM models: every read and write is SQL through ``database_proxy.execute_sql``, its
rows turned into the plain records of db/records.py and each package's own row types (issue 17:
one way for queries). The migrations in db/schema own the tables.
"""

from __future__ import annotations

from peewee import DatabaseProxy

database_proxy = DatabaseProxy()
