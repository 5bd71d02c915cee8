"""What a CSV import did, in one line: shared by ``cmdpost import`` and the import screen."""

from __future__ import annotations

from console import i18n
from db.intake.csv_import import ImportResult


def summary_text(kind: str, result: ImportResult, dry_run: bool) -> str:
    outcome = result.outcome
    assert outcome is not None, "only an import without problems is summed up: callers show the problems"
    text = i18n.t(
        "import.summary",
        kind=i18n.t(f"import.kind.{kind}"),
        rows=result.table.count,
        created=outcome.created,
        updated=outcome.updated,
        unchanged=outcome.unchanged,
    )
    if outcome.notes:  # upsert_staff lists the teams it had to create
        text += i18n.t("import.new_teams", count=len(outcome.notes), names="、".join(outcome.notes))
    return i18n.t("import.dry_run", text=text) if dry_run else text
