"""Working days (工作日): statutory holidays (法定节假日) and make-up working days (调休上班日).

A working day is Monday to Friday, except a holiday, plus a weekend day declared a make-up working day.
The data comes from the platform's own table (``pubcredit.workdays``); a year with no data in it is counted
Monday to Friday and every result that depends on such a year says so with a ``calendar.year_not_covered``
warning.

Counting rule. ``working_days_between(a, b)`` is the signed number of working days in ``(a, b]``:
``count(b) - count(a)`` for a running count of working days. ``add_working_days(start, n)`` is its inverse:
the working day ``d`` with ``working_days_between(start, d) == n``. Forward this is the usual "n working days
after start, the start day itself not counted" (7 working days after 2026-09-28 is 2026-10-13). Backward
from a working day it is the n-th working day before it; backward from a non-working day the working days
between it and the previous working day are counted too: 1 working day before Saturday 2026-11-21 is
Thursday 2026-11-19, because Friday is the one working day in ``(Thursday, Saturday]``.

Everything is arithmetic on day ordinals (weeks × 5 plus the exception dates, found by bisection), so a
count over twenty years costs the same as one over a week.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pubcredit.rules.errors import Problem

T = TypeVar("T")

YEAR_NOT_COVERED = "calendar.year_not_covered"


@dataclass(frozen=True)
class DayResult(Generic[T]):
    """A working-day answer and the warnings that qualify it (e.g. a year counted Monday to Friday)."""

    value: T
    warnings: tuple[Problem, ...] = ()


def _weekdays_through(ordinal: int) -> int:
    """Monday–Friday days among ordinals 1..ordinal (ordinal 1, 0001-01-01, is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def year_not_covered_warning(years: Iterable[int]) -> Problem:
    """The warning for years without holiday data: counted Monday to Friday."""
    ordered = sorted(set(years))
    zh = "、".join(str(y) for y in ordered)
    en = ", ".join(str(y) for y in ordered)
    return Problem(
        YEAR_NOT_COVERED,
        f"{zh}年无节假日数据，按周一至周五计算工作日",
        f"no holiday data for {en}: working days counted Monday to Friday",
        "date",
    )


@dataclass(frozen=True)
class WorkCalendar:
    """The working-day calendar (工作日历).

    ``holidays``: statutory holiday dates (法定节假日); those on a weekend change nothing.
    ``workdays``: weekend days that are make-up working days (调休上班日).
    ``covered_years``: years whose holidays are known; any other year is counted Monday to Friday and its
    entries, if any, are ignored.
    """

    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    covered_years: frozenset[int]
    # ordinals of the exceptions that change a count: weekday holidays (−1) and weekend make-up days (+1)
    _off: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _on: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        both = self.holidays & self.workdays
        if both:
            listed = ", ".join(d.isoformat() for d in sorted(both))
            raise ValueError(f"dates both holiday and make-up working day: {listed}")
        off = sorted(d.toordinal() for d in self.holidays if d.weekday() < 5 and d.year in self.covered_years)
        on = sorted(d.toordinal() for d in self.workdays if d.weekday() >= 5 and d.year in self.covered_years)
        object.__setattr__(self, "_off", tuple(off))
        object.__setattr__(self, "_on", tuple(on))

    @classmethod
    def from_days(cls, holidays: Iterable[dt.date] = (), workdays: Iterable[dt.date] = (),
                  covered_years: Iterable[int] | None = None) -> WorkCalendar:
        """Build a calendar; without ``covered_years`` every year having an entry counts as covered."""
        holidays, workdays = frozenset(holidays), frozenset(workdays)
        if covered_years is None:
            covered_years = {d.year for d in holidays | workdays}
        return cls(holidays, workdays, frozenset(covered_years))

    @classmethod
    def weekdays_only(cls) -> WorkCalendar:
        """A calendar with no holiday data at all: Monday to Friday everywhere (with warnings)."""
        return cls(frozenset(), frozenset(), frozenset())

    # -- single days ---------------------------------------------------------------------------------

    def covers(self, year: int) -> bool:
        """Whether holiday data exists for ``year``."""
        return year in self.covered_years

    def is_working_day(self, d: dt.date) -> bool:
        """Whether ``d`` is a working day (工作日); Monday to Friday in a year without data."""
        if d.year in self.covered_years:
            if d in self.holidays:
                return False
            if d in self.workdays:
                return True
        return d.weekday() < 5

    # -- counting ------------------------------------------------------------------------------------

    def _count_through(self, ordinal: int) -> int:
        """Working days among ordinals 1..ordinal (a running count; only differences mean anything)."""
        return (_weekdays_through(ordinal) - bisect.bisect_right(self._off, ordinal)
                + bisect.bisect_right(self._on, ordinal))

    def _warnings(self, first: dt.date, last: dt.date) -> tuple[Problem, ...]:
        """Warning for the uncovered years among the days ``first``..``last`` that a result depended on."""
        if first > last:
            return ()
        missing = [y for y in range(first.year, last.year + 1) if y not in self.covered_years]
        return (year_not_covered_warning(missing),) if missing else ()

    def working_days_between(self, a: dt.date, b: dt.date) -> DayResult[int]:
        """Signed number of working days (工作日) in ``(a, b]``; negative (−count of ``(b, a]``) when ``b < a``."""
        value = self._count_through(b.toordinal()) - self._count_through(a.toordinal())
        lo, hi = (a, b) if a <= b else (b, a)
        first = lo + dt.timedelta(days=1) if lo < hi else hi + dt.timedelta(days=1)
        return DayResult(value, self._warnings(first, hi))

    def add_working_days(self, start: dt.date, n: int) -> DayResult[dt.date]:
        """The date ``n`` working days (工作日) after ``start`` (before it when ``n < 0``); ``n == 0`` is ``start``.

        The start day itself is not counted: 1 working day after Friday is the next working day.
        """
        if n == 0:
            return DayResult(start)
        start_ord = start.toordinal()
        target = self._count_through(start_ord) + n
        # bracket the answer: the smallest ordinal whose running count reaches ``target``
        if n > 0:
            lo, step = start_ord, 2 * n + 14
            hi = start_ord + step
            while self._count_through(hi) < target:
                lo, step = hi, step * 2
                hi = lo + step
        else:
            hi, step = start_ord, 2 * -n + 14
            lo = start_ord - step
            while self._count_through(lo) >= target:
                hi, step = lo, step * 2
                lo = hi - step
        # invariant: count(lo) < target <= count(hi)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self._count_through(mid) >= target:
                hi = mid
            else:
                lo = mid
        result = dt.date.fromordinal(hi)
        if n > 0:
            warnings = self._warnings(start + dt.timedelta(days=1), result)
        else:
            warnings = self._warnings(result, start)
        return DayResult(result, warnings)


# -- years with no holiday schedule (节假日安排未发布) ------------------------------------------------------------
#
# A deadline must never come out shorter for the subject than the real one will be. Counting an unloaded year
# Monday to Friday can end a defence period (陈述申辩) days early around New Year or Spring Festival. So a deadline
# that crosses such a year is bounded by every holiday schedule the year could have (:class:`HolidayEnvelope`,
# data in ``workdays/holiday_envelope.yaml``) and the bound favourable to the subject is taken:
#
# - ``favour="later"`` (the subject has until this day to act): the latest the real deadline can be — each weekday
#   that could be a holiday is counted as one, up to the most weekdays each holiday run can take off;
# - ``favour="earlier"`` (a burden ends or is counted from this day): the earliest it can be — each weekend day
#   that could be a make-up working day (调休上班日) is counted as one, up to each run's most make-up days.
#
# The result is ``provisional`` (暂定): a decision that depends on it waits for the year's schedule.

Favour = Literal["later", "earlier"]  # the subject acts until the deadline / a burden counts from it
PROVISIONAL = "calendar.deadline_provisional"


class _EnvelopeRun(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name_zh: str = Field(min_length=1)
    from_: str | None = Field(default=None, alias="from", pattern=r"^\d{2}-\d{2}$")
    to: str | None = Field(default=None, pattern=r"^\d{2}-\d{2}$")
    lunar_new_year_offsets: tuple[int, int] | None = None
    max_weekdays_off: int = Field(ge=0, le=15)
    max_makeup_days: int = Field(ge=0, le=5)

    @model_validator(mode="after")
    def _one_window(self) -> _EnvelopeRun:
        fixed = self.from_ is not None and self.to is not None
        if fixed == (self.lunar_new_year_offsets is not None):
            raise ValueError(f"run {self.name_zh}: give either from/to or lunar_new_year_offsets")
        return self


class HolidayEnvelope(BaseModel):
    """Every holiday schedule a year could have: runs, their windows and their largest sizes (see the YAML)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    makeup_margin_days: int = Field(ge=0, le=31)
    runs: tuple[_EnvelopeRun, ...] = Field(min_length=1)
    lunar_new_year_range: tuple[str, str]
    lunar_new_year: dict[int, dt.date] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _lunar_dates_in_their_year(self) -> HolidayEnvelope:
        wrong = [y for y, d in self.lunar_new_year.items() if d.year != y]
        if wrong:
            raise ValueError(f"lunar_new_year: dates outside their year {wrong}")
        return self

    def windows(self, year: int) -> list[RunWindow]:
        """The runs of ``year`` as date windows (holidays ``off``; make-up days ``on`` around them)."""
        out = []
        margin = dt.timedelta(days=self.makeup_margin_days)
        for run in self.runs:
            if run.lunar_new_year_offsets is not None:
                lo_off, hi_off = run.lunar_new_year_offsets
                known = self.lunar_new_year.get(year)
                first = known or _month_day(year, self.lunar_new_year_range[0])
                last = known or _month_day(year, self.lunar_new_year_range[1])
                lo, hi = first + dt.timedelta(days=lo_off), last + dt.timedelta(days=hi_off)
            else:
                lo, hi = _month_day(year, run.from_ or ""), _month_day(year, run.to or "")
            out.append(RunWindow(run.name_zh, lo, hi, run.max_weekdays_off, lo - margin, hi + margin,
                                 run.max_makeup_days))
        return out


def _month_day(year: int, text: str) -> dt.date:
    month, day = (int(part) for part in text.split("-"))
    return dt.date(year, month, day)


@dataclass(frozen=True)
class RunWindow:
    """One holiday run of one year: weekdays ``off_from..off_to`` can be holidays (at most ``max_off`` of them),
    weekend days ``on_from..on_to`` can be make-up working days (at most ``max_on``)."""

    name_zh: str
    off_from: dt.date
    off_to: dt.date
    max_off: int
    on_from: dt.date
    on_to: dt.date
    max_on: int


@dataclass(frozen=True)
class Deadline:
    """A deadline in working days: the date, whether it is provisional (a year it crossed has no schedule loaded:
    the bound favourable to the subject was taken) and the years concerned."""

    value: dt.date
    provisional: bool = False
    missing_years: tuple[int, ...] = ()
    warnings: tuple[Problem, ...] = ()

    def explain_zh(self) -> str:
        if not self.provisional:
            return ""
        years = "、".join(str(y) for y in self.missing_years)
        return f"{years}年节假日安排尚未载入，按对当事人最有利的方式计算，为暂定日期"


def provisional_warning(years: Iterable[int], favour: Favour) -> Problem:
    ordered = sorted(set(years))
    zh_years, en_years = "、".join(str(y) for y in ordered), ", ".join(str(y) for y in ordered)
    zh_way = "按可能的最长假期顺延" if favour == "later" else "按可能的最多调休上班日提前"
    en_way = "the longest holidays that year could hold" if favour == "later" else "the most make-up days it could hold"
    return Problem(PROVISIONAL, f"{zh_years}年节假日安排尚未载入，期限{zh_way}计算，为暂定日期，载入后重新计算",
                   f"no holiday schedule loaded for {en_years}: deadline counted with {en_way} (provisional, "
                   f"recomputed once the schedule is loaded)", "date")


def _bounded_deadline(calendar: WorkCalendar, start: dt.date, n: int, envelope: HolidayEnvelope,
                      favour: Favour) -> dt.date:
    """The first day ``d`` after ``start`` whose working-day count, bounded over every schedule the unloaded years
    could have, reaches ``n``: weekdays that could be holidays are taken out (``later``), weekend days that could be
    make-up days are added (``earlier``), each run at most its largest size. Scans day by day (deadlines are weeks)."""
    windows: dict[int, list[RunWindow]] = {}
    seen = 0  # plain count: the loaded calendar, Monday to Friday in unloaded years
    per_run: dict[tuple[int, int], int] = {}  # (year, run index) → candidate days seen in the span
    candidates = 0  # distinct candidate days seen (a day in two windows counts once)
    day = start
    while True:
        day += dt.timedelta(days=1)
        working = calendar.is_working_day(day)
        seen += working
        if not calendar.covers(day.year):
            runs = windows.setdefault(day.year, envelope.windows(day.year))
            hit = False
            for index, run in enumerate(runs):
                if favour == "later" and working and run.off_from <= day <= run.off_to:
                    per_run[(day.year, index)] = per_run.get((day.year, index), 0) + 1
                    hit = True
                elif favour == "earlier" and not working and run.on_from <= day <= run.on_to:
                    per_run[(day.year, index)] = per_run.get((day.year, index), 0) + 1
                    hit = True
            candidates += hit
        capped = sum(min(count, _cap(windows[year][index], favour)) for (year, index), count in per_run.items())
        shift = min(candidates, capped)
        reached = seen - shift if favour == "later" else seen + shift
        if reached >= n:
            return day


def _cap(run: RunWindow, favour: Favour) -> int:
    return run.max_off if favour == "later" else run.max_on


def deadline(calendar: WorkCalendar, start: dt.date, n: int, envelope: HolidayEnvelope, *,
             favour: Favour = "later") -> Deadline:
    """``n`` working days (工作日) after ``start`` — never less favourable to the subject than the real deadline.

    In loaded years this is :meth:`WorkCalendar.add_working_days`. When the count crosses a year with no holiday
    schedule, ``favour="later"`` gives the latest the real deadline can be (time the subject has to act: 陈述申辩期、
    异议期), ``favour="earlier"`` the earliest (a period that ends a burden: publication counted from a day), and the
    result is provisional.
    """
    if favour not in ("later", "earlier"):
        raise ValueError(f"favour must be 'later' or 'earlier', not {favour!r}")
    plain = calendar.add_working_days(start, n)
    if n <= 0:
        return Deadline(plain.value, warnings=plain.warnings)
    # the bound can only move the date by the runs' sizes: look at the years up to a generous end for missing data
    horizon = plain.value + dt.timedelta(days=62)
    missing = tuple(y for y in range(start.year, horizon.year + 1) if not calendar.covers(y))
    if not missing:
        return Deadline(plain.value)
    value = _bounded_deadline(calendar, start, n, envelope, favour)
    first = start + dt.timedelta(days=1)
    used = tuple(y for y in range(first.year, value.year + 1) if not calendar.covers(y))
    if not used:
        return Deadline(value)
    return Deadline(value, True, used, (provisional_warning(used, favour),))


def schedule_missing_years(calendar: WorkCalendar, today: dt.date, *,
                           notice_from: tuple[int, int] = (11, 1)) -> tuple[int, ...]:
    """Years an operator must load now: this year if it has no schedule, and from 1 November (the State Council
    publishes next year's holidays around then) next year too."""
    years = [today.year] if not calendar.covers(today.year) else []
    if (today.month, today.day) >= notice_from and not calendar.covers(today.year + 1):
        years.append(today.year + 1)
    return tuple(years)
