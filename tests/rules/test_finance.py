"""信易贷 authorisation rules (rules/finance.py): in force from first to last day unless revoked; reads only within
an authorisation in force and its scope."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from pubcredit.rules.finance import Grant, authorisation_state, read_decision, term_problems

DAY = dt.date(2026, 11, 20)


def _grant(start=DAY, end=DAY + dt.timedelta(days=30), revoked=False, scope=("admin_penalty",), gid="a"):
    return Grant(gid, start, end, revoked, frozenset(scope))


@settings(deadline=None)  # timing on a shared machine is not the rule under test
@given(st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2028, 1, 1)),
       st.integers(min_value=0, max_value=400), st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2028, 1, 1)))
def test_authorisation_in_force_exactly_within_its_term_both_days_inclusive(start, length, today):
    grant = _grant(start, start + dt.timedelta(days=length))
    in_term = start <= today <= start + dt.timedelta(days=length)
    assert (authorisation_state(grant, today) == "in_force") == in_term
    assert read_decision([grant], requested=None, today=today).allowed == in_term


def test_revocation_takes_effect_at_once_whatever_the_term():
    decision = read_decision([_grant(revoked=True)], requested=None, today=DAY)
    assert not decision.allowed and decision.code == "finance.authorisation_revoked"


def test_read_limited_to_scope_names_what_is_outside():
    grant = _grant(scope=("admin_penalty", "social_insurance_payment"))
    assert read_decision([grant], requested=None, today=DAY).sections == ("admin_penalty", "social_insurance_payment")
    assert read_decision([grant], requested=["admin_penalty"], today=DAY).sections == ("admin_penalty",)
    outside = read_decision([grant], requested=["admin_penalty", "evaluation_class"], today=DAY)
    assert not outside.allowed and outside.code == "finance.outside_scope" and "evaluation_class" in outside.message_zh


def test_an_older_authorisation_in_force_still_serves_its_scope_after_a_newer_one_is_revoked():
    newer = _grant(revoked=True, scope=("admin_penalty", "utility_payment"), gid="new")
    older = _grant(scope=("admin_penalty",), gid="old")
    decision = read_decision([newer, older], requested=None, today=DAY)
    assert decision.allowed and decision.grant.authorisation_id == "old" and decision.sections == ("admin_penalty",)


def test_no_authorisation_at_all():
    assert read_decision([], requested=None, today=DAY).code == "finance.not_authorised"


def test_term_starts_today_or_later_and_is_bounded():
    assert term_problems(DAY, DAY, today=DAY, max_days=366) == []
    assert [p[0] for p in term_problems(DAY, DAY + dt.timedelta(days=366), today=DAY, max_days=366)] == [
        "finance.term_too_long"]
    assert [p[0] for p in term_problems(DAY - dt.timedelta(days=1), DAY, today=DAY, max_days=366)] == ["finance.term_past"]
