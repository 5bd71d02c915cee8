"""Peewee models mapped onto the tables that db/schema/migrations.py creates.

The models never create tables themselves: the migrations own the schema. Only the tables
written through the ORM have a model (grid, zone_change); the rest is read and written in SQL.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    CharField,
    DatabaseProxy,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database_proxy = DatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class Grid(BaseModel):
    id = AutoField()  # the key peewee gives a model without one, named so the type checker knows it
    code = CharField(unique=True)
    name = CharField()
    parent = ForeignKeyField("self", null=True, backref="children", column_name="parent_id")
    root = ForeignKeyField("self", null=True, column_name="root_id")
    root_id: int | None  # the raw column behind ``root``: peewee adds it, this only names its type
    level = IntegerField()
    sort_key = CharField()
    leader_id = IntegerField(null=True)
    zone = CharField(default="precaution")


class ZoneChange(BaseModel):
    grid = ForeignKeyField(Grid, column_name="grid_id")
    old_zone = CharField(null=True)
    new_zone = CharField()
    reason = TextField()
    changed_at = CharField()
    changed_by = CharField()
