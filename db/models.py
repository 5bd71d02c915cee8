"""Peewee models mapped onto the tables that db/schema/migrations.py creates.

The models never create tables themselves: the migrations own the schema.
"""

from __future__ import annotations

from peewee import (
    BooleanField,
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


class PostMeta(BaseModel):
    key = CharField(primary_key=True)
    value = TextField()


class Grid(BaseModel):
    code = CharField(unique=True)
    name = CharField()
    parent = ForeignKeyField("self", null=True, backref="children", column_name="parent_id")
    root = ForeignKeyField("self", null=True, column_name="root_id")
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


class Team(BaseModel):
    name = CharField(unique=True)
    origin = CharField(default="")
    note = TextField(default="")


class Staff(BaseModel):
    name = CharField()
    phone = CharField(default="")
    role = CharField()
    birth_year = IntegerField(null=True)
    party_member = BooleanField(default=False)
    home_grid = ForeignKeyField(Grid, column_name="home_grid_id")
    root = ForeignKeyField(Grid, column_name="root_id")
    team = ForeignKeyField(Team, null=True, column_name="team_id")
    last_negative_test = CharField(null=True)
    note = TextField(default="")
    active = BooleanField(default=True)


class Household(BaseModel):
    grid = ForeignKeyField(Grid, column_name="grid_id")
    root = ForeignKeyField(Grid, column_name="root_id")
    door = CharField()
    door_sort = CharField()
    head_name = CharField(default="")
    people = IntegerField()
    phone = CharField(default="")
    care_tags = CharField(default="")
    note = TextField(default="")


class DutyPost(BaseModel):
    kind = CharField()
    grid = ForeignKeyField(Grid, column_name="grid_id")
    name = CharField()
    note = TextField(default="")


class GridTotal(BaseModel):
    grid = ForeignKeyField(Grid, primary_key=True, column_name="grid_id")
    households = IntegerField()
    residents = IntegerField()
    care_households = IntegerField()
    staff = IntegerField()
