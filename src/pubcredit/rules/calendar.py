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
from typing import Generic, TypeVar

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
