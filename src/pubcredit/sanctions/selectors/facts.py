"""What one check reads from the database, in one round trip (the check API's hot path, bench/checks)."""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class EntryRow:
    pk: int
    list_code: str
    kind: str
    effective_date: dt.date
    planned_end: dt.date | None
    decision_no: str
    identifying_unit: str
    facts: dict = field(default_factory=dict, hash=False, compare=False)  # conditions' facts (ListEntry.facts)


@dataclass(frozen=True)
class SubjectRow:
    pk: int
    kind: str
    name: str


@dataclass(frozen=True)
class CheckFacts:
    """What a check needs from the database, read in one round trip: the subject (None when unknown), its entries
    in force on the day (same rule as ``lists.selectors.in_force_filter``), the measure overlay revision, and whether
    the caller's API token is still unrevoked (True when no token was asked about)."""

    subject: SubjectRow | None
    entries: list[EntryRow]
    measure_revision: int
    token_active: bool = True


@functools.cache
def _check_facts_sql(column: str) -> tuple[str, int]:
    """The query, and how many of its placeholders take the day (the list rule's, from lists.selectors)."""
    from pubcredit.accounts.models import ApiToken
    from pubcredit.lists.models import ListEntry
    from pubcredit.lists.selectors import in_force_sql
    from pubcredit.sanctions.models import MeasureVersion
    from pubcredit.subjects.models import Subject

    in_force, days = in_force_sql("e")
    return (
        "SELECT rev.n, tok.active, s.id, s.kind, s.name, e.id, e.list_code, e.kind, e.effective_date, e.planned_end, "
        "e.decision_no, e.identifying_unit, e.facts "
        f"FROM (SELECT COALESCE(MAX(id), 0) AS n FROM {MeasureVersion._meta.db_table}) rev "
        f"CROSS JOIN (SELECT EXISTS (SELECT 1 FROM {ApiToken._meta.db_table} WHERE id = %s AND revoked_at IS NULL) "
        "AS active) tok "
        f"LEFT JOIN {Subject._meta.db_table} s ON s.{column} = %s "
        f"LEFT JOIN {ListEntry._meta.db_table} e ON e.subject_id = s.id AND {in_force} "
        "ORDER BY e.list_code, e.effective_date, e.id"
    ), days


def check_facts(*, uscc: str | None = None, id_hash: str | None = None, day: dt.date,
                token_id: int | None = None) -> CheckFacts:
    """The subject by USCC or identity-number hash (both unique, indexed), its entries in force on ``day``, the
    measure revision and, given ``token_id``, whether that API token is unrevoked: one query (the check API's hot
    path)."""
    from django.db import connection

    column = "uscc" if uscc else "id_hash"
    with connection.cursor() as cursor:
        sql, days = _check_facts_sql(column)
        cursor.execute(sql, [token_id, uscc or id_hash, *[day] * days])
        rows = cursor.fetchall()
    revision, token_active = rows[0][0], bool(rows[0][1]) or token_id is None
    subject = SubjectRow(rows[0][2], rows[0][3], rows[0][4]) if rows[0][2] is not None else None
    entries = [EntryRow(r[5], r[6], r[7], _day(r[8]), _day(r[9]), r[10], r[11], _json(r[12]))
               for r in rows if r[5] is not None]
    return CheckFacts(subject, entries, revision, token_active)


def _json(value) -> dict:
    """A JSON column read by a raw cursor: text on SQLite, already decoded by psycopg."""
    if value is None or value == "":
        return {}
    return json.loads(value) if isinstance(value, (str, bytes)) else dict(value)


def _day(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])  # SQLite returns text
