"""Reads of the working-day calendar (工作日历): the cached ``WorkCalendar`` and a year's entries."""

from __future__ import annotations

import datetime as dt
import functools
import threading
from dataclasses import dataclass
from pathlib import Path

import yaml

from pubcredit.rules.calendar import DayResult, HolidayEnvelope, WorkCalendar, schedule_missing_years
from pubcredit.workdays.choices import DayKind
from pubcredit.workdays.models import CalendarDay, CalendarRevision

_lock = threading.Lock()
_cache: tuple[int, WorkCalendar] | None = None


def calendar_revision() -> int:
    """The calendar's revision number (0 when the table was never written)."""
    return CalendarRevision.objects.filter(pk=1).values_list("number", flat=True).first() or 0


def invalidate_cache() -> None:
    """Forget the cached calendar; the services call it whenever they change the table."""
    global _cache
    with _lock:
        _cache = None


def _build() -> WorkCalendar:
    holidays, workdays, years = set(), set(), set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (holidays if kind == DayKind.HOLIDAY else workdays).add(day)
        years.add(day.year)
    return WorkCalendar(frozenset(holidays), frozenset(workdays), frozenset(years))


def work_calendar() -> WorkCalendar:
    """The platform's working-day calendar, built from the holiday table and cached in-process.

    ``covered_years`` are the years with at least one row. The cache is keyed by the revision counter that
    every calendar service bumps, so writes by other processes and rolled-back writes are noticed.
    """
    global _cache
    revision = calendar_revision()
    cached = _cache
    if cached is not None and cached[0] == revision:
        return cached[1]
    calendar = _build()
    with _lock:
        _cache = (revision, calendar)
    return calendar


def add_working_days(start: dt.date, n: int) -> DayResult[dt.date]:
    """``n`` working days (工作日) after ``start`` by the platform's calendar, with any fallback warning."""
    return work_calendar().add_working_days(start, n)


def working_days_between(a: dt.date, b: dt.date) -> DayResult[int]:
    """Working days (工作日) in ``(a, b]`` by the platform's calendar, with any fallback warning."""
    return work_calendar().working_days_between(a, b)


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day (工作日) by the platform's calendar."""
    return work_calendar().is_working_day(day)


def calendar_day_get(day: dt.date) -> CalendarDay | None:
    return CalendarDay.objects.filter(date=day).first()


@dataclass(frozen=True)
class CalendarYear:
    """What the calendar page shows for one year."""

    year: int
    days: list[CalendarDay]
    covered: bool
    working_days: int
    holidays_on_weekdays: int
    makeup_workdays: int


def calendar_year(*, year: int) -> CalendarYear:
    """A year's holidays and make-up working days, and its number of working days."""
    days = list(CalendarDay.objects.filter(date__year=year).order_by("date"))
    calendar = work_calendar()
    working = calendar.working_days_between(dt.date(year - 1, 12, 31), dt.date(year, 12, 31)).value
    return CalendarYear(
        year=year,
        days=days,
        covered=calendar.covers(year),
        working_days=working,
        holidays_on_weekdays=sum(1 for d in days if d.kind == DayKind.HOLIDAY and d.date.weekday() < 5),
        makeup_workdays=sum(1 for d in days if d.kind == DayKind.WORKDAY),
    )


_ENVELOPE_FILE = Path(__file__).with_name("holiday_envelope.yaml")


@functools.cache
def holiday_envelope() -> HolidayEnvelope:
    """What an unloaded year's holidays could be (``workdays/holiday_envelope.yaml``), parsed once."""
    return HolidayEnvelope.model_validate(yaml.safe_load(_ENVELOPE_FILE.read_text(encoding="utf-8")))


def schedule_missing(today: dt.date) -> tuple[int, ...]:
    """Years whose holiday schedule operators must load now (this year if missing; next year from 1 November)."""
    return schedule_missing_years(work_calendar(), today)
