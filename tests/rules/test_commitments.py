"""Pure commitment rules: status moves, the overdue verification flag by the working-day calendar, templates."""

import datetime as dt

import pytest

from pubcredit.rules.calendar import WorkCalendar
from pubcredit.rules.commitments import MOVES, check_move, verification_due, verification_overdue
from pubcredit.rules.errors import DomainError

# 2026 National Day holiday (as loaded from the State Council schedule): 1–7 October off, Saturday 10 October worked
CALENDAR = WorkCalendar.from_days(holidays=[dt.date(2026, 10, d) for d in range(1, 8)],
                                  workdays=[dt.date(2026, 10, 10)])


@pytest.mark.parametrize("new", ["fulfilled", "breached", "expired", "withdrawn"])
def test_a_commitment_in_force_may_end_in_each_way(new):
    check_move("in_force", new)


@pytest.mark.parametrize("current", ["fulfilled", "breached", "expired", "withdrawn"])
@pytest.mark.parametrize("new", ["in_force", "fulfilled", "breached", "expired", "withdrawn"])
def test_an_ended_commitment_does_not_move_again(current, new):
    with pytest.raises(DomainError) as err:
        check_move(current, new)
    assert err.value.code == "commitment.status_move" and err.value.field == "status"
    assert not MOVES[current]


def test_verification_due_on_a_holiday_moves_to_the_next_working_day_and_is_overdue_only_after_it():
    """A verification date in the National Day holiday is due on 8 October (the first working day after it)."""
    assert verification_due(dt.date(2026, 10, 3), CALENDAR, 0) == dt.date(2026, 10, 8)
    kw = {"calendar": CALENDAR, "grace_working_days": 0}
    assert not verification_overdue(dt.date(2026, 10, 3), None, today=dt.date(2026, 10, 8), **kw)
    assert verification_overdue(dt.date(2026, 10, 3), None, today=dt.date(2026, 10, 9), **kw)
    assert not verification_overdue(dt.date(2026, 10, 3), dt.date(2026, 10, 9), today=dt.date(2026, 10, 20), **kw)
    assert not verification_overdue(None, None, today=dt.date(2026, 10, 20), **kw)
    # a grace of two working days counts the made-up Saturday: 8 Oct (Thu) → 9 (Fri) → 10 (Sat, worked)
    assert verification_due(dt.date(2026, 10, 3), CALENDAR, 2) == dt.date(2026, 10, 10)
