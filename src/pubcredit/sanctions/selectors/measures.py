"""The measure list as it stands (联合奖惩措施清单): seed and operator versions, and the scenarios."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from pubcredit.rules import clock
from pubcredit.rules.sanctions import Measure
from pubcredit.sanctions.models import MeasureVersion
from pubcredit.sanctions.rulebook import measure_book, seed


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    source: str  # seed | operator
    in_force: bool


def measure_rows(*, list_code: str = "", scenario: str = "", kind: str = "") -> list[MeasureRow]:
    """The measure list as it stands (every version, seed or operator), filtered."""
    book = measure_book()
    today = clock.today()
    rows = []
    for m in book.measures:
        if list_code and list_code not in m.lists or scenario and scenario not in m.scenarios or kind and m.kind != kind:
            continue
        rows.append(MeasureRow(m, "operator" if m.code in book.overridden else "seed", m.in_force(today)))
    return rows


def measure_current(code: str) -> Measure | None:
    return measure_book().current(code, clock.today())


def measure_history(code: str) -> QuerySet[MeasureVersion]:
    return MeasureVersion.objects.filter(code=code).order_by("-number")


def scenario_names() -> dict[str, str]:
    return {code: s.name_zh for code, s in seed().scenarios.items()}
