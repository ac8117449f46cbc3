"""Working days (工作日): holidays, make-up working days, the Monday–Friday fallback and the counting rule."""

from __future__ import annotations

import datetime as dt

import pytest
from chinese_calendar import constants as cc
from hypothesis import assume, given
from hypothesis import strategies as st

from pubcredit.rules.calendar import YEAR_NOT_COVERED, DayResult, WorkCalendar

D = dt.date
ONE = dt.timedelta(days=1)

# The platform's seed: chinesecalendar's holidays and make-up working days, 2004–2026.
SEEDED = WorkCalendar.from_days(cc.holidays, cc.workdays)
WEEKDAYS_ONLY = WorkCalendar.weekdays_only()

dates = st.dates(min_value=D(2002, 1, 1), max_value=D(2029, 12, 31))
covered_dates = st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 12, 31))


def naive_between(calendar: WorkCalendar, a: dt.date, b: dt.date) -> int:
    """Reference: walk the days of ``(a, b]`` one by one (negative for ``b < a``)."""
    lo, hi, sign = (a, b, 1) if a <= b else (b, a, -1)
    count, d = 0, lo + ONE
    while d <= hi:
        count += calendar.is_working_day(d)
        d += ONE
    return sign * count


def busday_count(a: dt.date, b: dt.date) -> int:
    """Reference like numpy.busday_count(a + 1, b + 1) with the default Mon–Fri mask, for ``a <= b``."""
    return sum(1 for k in range(1, (b - a).days + 1) if (a + dt.timedelta(days=k)).weekday() < 5)


# -- the rules named in the regulations and the notes --------------------------------------------------------

def test_7_working_days_after_2026_09_28_is_2026_10_13():
    """National Day 2026: 10-01..10-07 off, the make-up Saturday 10-10 counts as a working day."""
    result = SEEDED.add_working_days(D(2026, 9, 28), 7)
    assert result == DayResult(D(2026, 10, 13), ())
    assert SEEDED.is_working_day(D(2026, 10, 10))  # 调休上班 Saturday
    assert not SEEDED.is_working_day(D(2026, 10, 5))  # a Monday inside the holiday
    assert SEEDED.working_days_between(D(2026, 9, 28), D(2026, 10, 13)).value == 7


def test_spring_festival_2026():
    """春节 2026: 02-15..02-23 off; Saturdays 02-14 and 02-28 are make-up working days."""
    assert all(not SEEDED.is_working_day(D(2026, 2, d)) for d in range(15, 24))
    assert SEEDED.is_working_day(D(2026, 2, 14)) and SEEDED.is_working_day(D(2026, 2, 28))
    assert SEEDED.add_working_days(D(2026, 2, 13), 1).value == D(2026, 2, 14)
    assert SEEDED.add_working_days(D(2026, 2, 14), 1).value == D(2026, 2, 24)
    assert SEEDED.working_days_between(D(2026, 2, 13), D(2026, 2, 24)).value == 2
    # February 2026: 20 weekdays − 6 weekday holidays (16–20, 23) + 2 make-up Saturdays
    assert SEEDED.working_days_between(D(2026, 1, 31), D(2026, 2, 28)).value == 16


def test_n_zero_is_the_start_even_on_a_holiday():
    assert SEEDED.add_working_days(D(2026, 10, 1), 0) == DayResult(D(2026, 10, 1), ())
    assert SEEDED.working_days_between(D(2027, 5, 1), D(2027, 5, 1)) == DayResult(0, ())


def test_backwards_counts_mirror_forwards():
    """1 working day before Monday 2026-11-23 is Friday 11-20; before Saturday 11-21 it is Thursday 11-19
    (Friday is the one working day in (Thu, Sat]); 3 working days before 2026-10-08 is 2026-09-28."""
    assert SEEDED.add_working_days(D(2026, 11, 23), -1).value == D(2026, 11, 20)
    assert SEEDED.add_working_days(D(2026, 11, 21), -1).value == D(2026, 11, 19)
    assert SEEDED.add_working_days(D(2026, 10, 8), -3).value == D(2026, 9, 28)
    assert SEEDED.working_days_between(D(2026, 10, 13), D(2026, 9, 28)).value == -7


def test_matches_chinesecalendar_day_by_day():
    import chinese_calendar

    d = D(2004, 1, 1)
    while d <= D(2026, 12, 31):
        assert SEEDED.is_working_day(d) == chinese_calendar.is_workday(d), d
        d += ONE


# -- a year without data: Monday to Friday, with a warning ------------------------------------------------

def test_2027_falls_back_to_monday_to_friday_with_a_warning():
    result = SEEDED.add_working_days(D(2026, 12, 20), 20)
    assert result.value == D(2027, 1, 15)  # 2027-01-01 is a Friday, counted as working: no data for 2027
    (warning,) = result.warnings
    assert warning.code == YEAR_NOT_COVERED == "calendar.year_not_covered"
    assert "2027年" in warning.message_zh and "周一至周五" in warning.message_zh
    assert "2027" in warning.message_en and "Monday to Friday" in warning.message_en
    assert SEEDED.is_working_day(D(2027, 1, 1))


def test_warning_names_every_uncovered_year_and_only_those():
    result = SEEDED.working_days_between(D(2026, 6, 1), D(2029, 3, 1))
    (warning,) = result.warnings
    assert "2027、2028、2029年" in warning.message_zh and "2027, 2028, 2029" in warning.message_en
    assert "2026" not in warning.message_en
    assert SEEDED.working_days_between(D(2026, 1, 1), D(2026, 12, 31)).warnings == ()
    # (a, b]: the day a itself is not looked at
    assert SEEDED.working_days_between(D(2003, 12, 31), D(2004, 1, 10)).warnings == ()
    assert SEEDED.working_days_between(D(2026, 12, 31), D(2027, 1, 1)).warnings != ()
    assert SEEDED.add_working_days(D(2027, 1, 4), 0).warnings == ()


def test_entries_in_an_uncovered_year_are_ignored():
    calendar = WorkCalendar(frozenset({D(2027, 1, 1)}), frozenset(), frozenset({2026}))
    assert calendar.is_working_day(D(2027, 1, 1))
    assert calendar.working_days_between(D(2026, 12, 31), D(2027, 1, 1)).value == 1


def test_a_date_cannot_be_both_holiday_and_workday():
    with pytest.raises(ValueError, match="2026-10-10"):
        WorkCalendar.from_days([D(2026, 10, 10)], [D(2026, 10, 10)])


def test_spans_of_thousands_of_years_are_arithmetic():
    """Full weeks hold five working days: 500 000 weeks from a Sunday hold 2 500 000 of them."""
    sunday = D(1, 1, 7)
    end = sunday + dt.timedelta(weeks=500_000)
    assert WEEKDAYS_ONLY.working_days_between(sunday, end).value == 2_500_000
    assert WEEKDAYS_ONLY.add_working_days(sunday, 2_500_000).value == end - 2 * ONE  # that Friday
    twenty_years = SEEDED.working_days_between(D(2005, 1, 1), D(2024, 12, 31)).value
    assert twenty_years == naive_between(SEEDED, D(2005, 1, 1), D(2024, 12, 31))


# -- properties -------------------------------------------------------------------------------------------

@given(a=dates, b=dates)
def test_property_add_after_between_round_trips_to_a_working_day(a, b):
    assume(SEEDED.is_working_day(b))
    n = SEEDED.working_days_between(a, b).value
    assert SEEDED.add_working_days(a, n).value == b


@given(a=dates, n=st.integers(min_value=-800, max_value=800))
def test_property_between_after_add_gives_back_n(a, n):
    result = SEEDED.add_working_days(a, n)
    assert SEEDED.working_days_between(a, result.value).value == n
    if n:
        assert SEEDED.is_working_day(result.value)
        assert (result.value > a) == (n > 0)


@given(a=dates, n1=st.integers(-400, 400), n2=st.integers(-400, 400))
def test_property_add_is_monotonic_in_n(a, n1, n2):
    assume(n1 < n2)
    assert SEEDED.add_working_days(a, n1).value < SEEDED.add_working_days(a, n2).value


@given(a1=dates, a2=dates, n=st.integers(-400, 400))
def test_property_add_is_monotonic_in_start(a1, a2, n):
    assume(a1 <= a2)
    assert SEEDED.add_working_days(a1, n).value <= SEEDED.add_working_days(a2, n).value


@given(a=dates, b=dates, c=dates)
def test_property_between_is_additive_and_antisymmetric(a, b, c):
    ab, bc, ac = (SEEDED.working_days_between(x, y).value for x, y in ((a, b), (b, c), (a, c)))
    assert ab + bc == ac
    assert SEEDED.working_days_between(b, a).value == -ab
    if a <= b <= c:
        assert 0 <= ab <= ac


@given(a=covered_dates, days=st.integers(0, 3 * 366))
def test_property_between_equals_a_day_by_day_count(a, days):
    b = a + dt.timedelta(days=days)
    assert SEEDED.working_days_between(a, b).value == naive_between(SEEDED, a, b)
    assert SEEDED.working_days_between(b, a).value == -naive_between(SEEDED, a, b)


@given(a=st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 1, 1)), days=st.integers(0, 2 * 366))
def test_property_monday_to_friday_fallback_equals_busday_count(a, days):
    b = a + dt.timedelta(days=days)
    result = WEEKDAYS_ONLY.working_days_between(a, b)
    assert result.value == busday_count(a, b)
    assert bool(result.warnings) == (days > 0)


@given(a=st.dates(min_value=D(2027, 1, 1), max_value=D(2060, 1, 1)), days=st.integers(1, 2 * 366))
def test_property_uncovered_years_of_the_seeded_calendar_count_monday_to_friday(a, days):
    b = a + dt.timedelta(days=days)
    result = SEEDED.working_days_between(a, b)
    assert result.value == busday_count(a, b)
    assert [w.code for w in result.warnings] == [YEAR_NOT_COVERED]
