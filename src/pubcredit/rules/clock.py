"""The one source of "today" for the whole platform.

Everything that needs the current date or time asks this module. Production reads the real clock in
the platform's time zone; drills, demos and tests pin a date (``PUBCREDIT_TODAY`` or :func:`pinned`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

PLATFORM_TZ = ZoneInfo("Asia/Shanghai")

_pinned_date: dt.date | None = None


def today() -> dt.date:
    """The current date in the platform's time zone, or the pinned date."""
    if _pinned_date is not None:
        return _pinned_date
    return dt.datetime.now(PLATFORM_TZ).date()


def now() -> dt.datetime:
    """The current aware datetime; on a pinned day, that day at the current wall-clock time."""
    real = dt.datetime.now(PLATFORM_TZ)
    if _pinned_date is None:
        return real
    return real.replace(year=_pinned_date.year, month=_pinned_date.month, day=_pinned_date.day)


def wall_now() -> dt.datetime:
    """The real time, never pinned: for technical timing (worker heartbeats, how long an audit event has waited for
    its seal), never for business dates. A drill pinned to another day still runs its worker on real time."""
    return dt.datetime.now(dt.UTC)


def pin(day: dt.date | None) -> None:
    """Pin "today" to ``day`` (``None`` releases the pin)."""
    global _pinned_date
    _pinned_date = day


def is_pinned() -> bool:
    return _pinned_date is not None


@contextlib.contextmanager
def pinned(day: dt.date) -> Iterator[None]:
    """Temporarily pin "today", restoring the previous pin afterwards."""
    previous = _pinned_date
    pin(day)
    try:
        yield
    finally:
        pin(previous)
