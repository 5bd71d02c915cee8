"""Row sources and column layouts for the paged tables (registers and staff lists)."""

from __future__ import annotations

from dataclasses import dataclass

from console.i18n import role_label, t
from db.grids import household_search, queries
from db.records import HouseholdRow, StaffRow
from widgets.paged_table import Column


@dataclass(frozen=True)
class HouseholdSource:
    root_id: int | None
    search: str = ""
    grid_code: str | None = None

    def count(self) -> int:
        return queries.household_count(self.root_id, self.search, self.grid_code)

    def page(self, offset: int, limit: int) -> list[HouseholdRow]:
        return queries.household_page(self.root_id, self.search, offset, limit, self.grid_code)


class SearchSource:
    """The whole-post search (db/grids/household_search.py): at most CAP matches are shown."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.more = False  # more than CAP households match: set by count(), read once it is loaded

    def count(self) -> int:
        found = household_search.search_count(self.text)
        self.more = found > household_search.CAP
        return min(found, household_search.CAP)

    def page(self, offset: int, limit: int) -> list[HouseholdRow]:
        return household_search.search_page(self.text, offset, limit)


@dataclass(frozen=True)
class StaffSource:
    root_id: int | None
    search: str = ""

    def count(self) -> int:
        return queries.staff_count(self.root_id, self.search)

    def page(self, offset: int, limit: int) -> list[StaffRow]:
        return queries.staff_page(self.root_id, self.search, offset, limit)


def household_columns() -> list[Column]:
    return [
        Column(t("col.door"), 20, lambda r: r.door, lambda r: "bold"),
        Column(t("col.grid"), 7, lambda r: r.grid_code),
        Column(t("col.head"), 8, lambda r: r.head_name),
        Column(t("col.people"), 4, lambda r: str(r.people), align_right=True),
        Column(t("col.phone"), 12, lambda r: r.phone),
        Column(t("col.care"), 14, lambda r: r.care_tags, lambda r: "bold #ef5350" if r.care_tags else None),
        Column(t("col.note"), 10, lambda r: r.note),
    ]


def staff_columns(test_is_stale) -> list[Column]:
    return [
        Column(t("col.name"), 8, lambda r: r.name, lambda r: "bold"),
        Column(t("col.role"), 8, lambda r: role_label(r.role)),
        Column(t("col.phone"), 12, lambda r: r.phone),
        Column(t("col.born"), 5, lambda r: str(r.birth_year or "")),
        Column(t("col.party"), 4, lambda r: t("col.party_yes") if r.party_member else ""),
        Column(t("col.home_grid"), 7, lambda r: r.home_grid_code),
        Column(
            t("col.last_test"),
            10,
            lambda r: r.last_negative_test or t("col.never"),
            lambda r: "#ef5350" if test_is_stale(r.last_negative_test) else None,
        ),
        Column(t("col.team"), 12, lambda r: r.team),
    ]
