"""An entry's term (期限) and removal from its record, and "in force on a day" (在列: ``IN_FORCE_BOUNDS``, the one
definition; docs/architecture.md). Part of ``rules.lists``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pubcredit.rules.lists.rulebook import ListSpec
from pubcredit.rules.lists.states import RemovalReason


# --- terms ----------------------------------------------------------------------------------------------------


def add_years(day: dt.date, years: int, months: int = 0) -> dt.date:
    """``day`` plus whole years and months; 29 February and month ends fall back to the month's last day."""
    month_index = day.month - 1 + months
    year = day.year + years + month_index // 12
    month = month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class TermOutcome:
    """When an entry's term ends (``planned_end``, inclusive; None = no fixed term), where that came from and why."""

    planned_end: dt.date | None
    source: Literal["given", "rulebook", "none"]
    reason_zh: str
    reason_en: str
    rule_version: str


def planned_end(spec: ListSpec, fields: Mapping[str, Any], *, decided: dt.date, effective: dt.date,
                given: dt.date | None) -> TermOutcome:
    """The last day an entry is in force: the department's date when given, else the rulebook's term.

    A term of N years from D ends on the day before D + N years (two years from 2026-03-02 end on 2028-03-01).
    """
    if given is not None:
        return TermOutcome(given, "given", f"认定单位确定的期限至{given.isoformat()}",
                           f"term given by the identifying unit: until {given.isoformat()}", spec.rule_version)
    rule = next(r for r in spec.term.rules if r.when is None or r.when.holds(fields))
    if not rule.fixed:
        return TermOutcome(None, "none", f"无固定期限，至移出为止（{rule.basis}）",
                           f"no fixed term: in force until removed ({rule.basis})", spec.rule_version)
    start = effective if spec.term.counted_from == "effective_date" else decided
    end = add_years(start, rule.years or 0, rule.months) - dt.timedelta(days=1)
    span = (f"{rule.years}年" if rule.years else "") + (f"{rule.months}个月" if rule.months else "")
    span_en = (f"{rule.years} years" if rule.years else "") + (f" {rule.months} months" if rule.months else "")
    counted = "生效" if spec.term.counted_from == "effective_date" else "认定"
    return TermOutcome(end, "rulebook", f"自{counted}之日起{span}（{rule.basis}），至{end.isoformat()}",
                       f"{span_en.strip()} from the {spec.term.counted_from.replace('_', ' ')} ({rule.basis}): "
                       f"until {end.isoformat()}", spec.rule_version)


def is_expired(planned: dt.date | None, today: dt.date) -> bool:
    """An entry whose last day in force is before today has expired (no fixed term never expires)."""
    return planned is not None and planned < today


def expiry_day(planned: dt.date) -> dt.date:
    """The day an expired entry left the list: the day after its last day in force (also when caught up late)."""
    return planned + dt.timedelta(days=1)


@dataclass(frozen=True)
class DayBound:
    """One condition of "in force on a day": ``entry.<field> <op> day``; an empty field passes when ``empty_passes``."""

    field: str  # the ListEntry field (and column) name
    op: Literal["<=", ">=", ">"]
    empty_passes: bool


# THE definition of "in force on a day" (在列): effective on or before the day, within its term (no term: no end),
# and not yet removed (a removal takes effect on its own day). The pure rule below, the ORM filter and the raw SQL
# (``lists.selectors.in_force_filter`` / ``in_force_sql``, used by lists, portal and sanctions) are all made from it.
IN_FORCE_BOUNDS: tuple[DayBound, ...] = (
    DayBound("effective_date", "<=", empty_passes=False),
    DayBound("planned_end", ">=", empty_passes=True),
    DayBound("removed_on", ">", empty_passes=True),
)
_COMPARE = {"<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b, ">": lambda a, b: a > b}


def in_force_on(*, effective: dt.date, planned: dt.date | None, removed_on: dt.date | None, day: dt.date) -> bool:
    """Whether an entry was on the list on ``day``: effective, not past its term, not yet removed (IN_FORCE_BOUNDS)."""
    values = {"effective_date": effective, "planned_end": planned, "removed_on": removed_on}
    return all(bound.empty_passes if values[bound.field] is None else _COMPARE[bound.op](values[bound.field], day)
               for bound in IN_FORCE_BOUNDS)


REMOVAL_LABELS = {RemovalReason.EXPIRED: "期满移出", RemovalReason.REPAIRED: "信用修复移出",
                  RemovalReason.REVOKED: "撤销", RemovalReason.COURT_DELETED: "法院删除"}


def parse_day(value: Any) -> dt.date | None:
    """A date from a record field (an ISO string, a date, or blank)."""
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class DerivedEntry:
    """What a list-class record says its entry is: effective date, term, and a removal (reason, day, note) if any."""

    effective: dt.date
    term: TermOutcome
    removal: tuple[RemovalReason, dt.date, str] | None


def derive_entry(spec: ListSpec, fields: Mapping[str, Any], *, decision_date: dt.date, revoked: bool,
                 revoked_reason: str = "", today: dt.date) -> DerivedEntry:
    """The entry a record of a list class describes, as it holds on ``today``.

    Effective date: the record's 生效日期, else the decision date. Term: :func:`planned_end`. Removal: a revoked record
    is revoked today; a 移出日期 removes the entry on that day (a later day than today: today), with the 移出事由 or
    the list's default reason; a term already over is an expiry on the day after its last day.
    """
    effective = parse_day(fields.get("effective_date")) or decision_date
    term = planned_end(spec, fields, decided=decision_date, effective=effective,
                       given=parse_day(fields.get("planned_end_date")))
    removal = None
    removal_date = parse_day(fields.get("removal_date"))
    if revoked:
        removal = (RemovalReason.REVOKED, today, revoked_reason or "信用记录已撤销")
    elif removal_date is not None:
        reason = RemovalReason(fields.get("removal_reason") or spec.default_removal_reason.value)
        note = "认定单位报送移出" if removal_date <= today else f"报送的移出日期{removal_date}晚于登记日，按登记日移出"
        removal = (reason, min(removal_date, today), note)
    elif is_expired(term.planned_end, today):
        removal = (RemovalReason.EXPIRED, expiry_day(term.planned_end), "报送时已期满")
    return DerivedEntry(effective, term, removal)
