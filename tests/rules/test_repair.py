"""Eligibility for credit repair (信用修复), tests named after the articles (rules/repair.py)."""

import datetime as dt

import pytest

from pubcredit.rulebook.loader import load_yaml
from pubcredit.rules import repair as R

D = dt.date


@pytest.fixture(scope="module")
def book():
    return R.parse_rulebook(load_yaml("repair/procedure.yaml"))


def record(**kw):
    base = dict(kind="record", authority="淄博市市场监督管理局", publicity_regime="ndrc_order_36@2026.1",
                state="published", repairable_from=D(2026, 8, 1), publish_until=D(2027, 4, 30))
    base.update(kw)
    return R.ItemFacts(**base)


def codes(result):
    return [r.code for r in result.reasons]


def test_order36_art12_art14_minimum_period_running_gives_the_day(book):
    result = R.assess_eligibility(record(), book, as_of=D(2026, 7, 31))
    assert not result.eligible and result.eligible_from == D(2026, 8, 1)
    assert codes(result) == ["minimum_period.running"]
    assert "第十二条" in result.reasons[0].message_zh


def test_order36_art14_eligible_once_minimum_reached_with_authority_and_limits(book):
    result = R.assess_eligibility(record(), book, as_of=D(2026, 8, 1))
    assert result.eligible and result.eligible_from == D(2026, 8, 1)
    assert result.authority == "淄博市市场监督管理局"
    assert (result.limits.accept, result.limits.decide, result.limits.complex_extension) == (3, 7, 10)
    assert any("信用承诺" in c for c in result.conditions_zh)


def test_samr_order107_limits_accept_2_decide_7_plus_10(book):
    result = R.assess_eligibility(record(publicity_regime="samr_order_107@2025.1"), book, as_of=D(2026, 9, 1))
    assert (result.limits.accept, result.limits.decide, result.limits.complex_extension) == (2, 7, 10)
    assert result.regime == "samr_order_107"


def test_order36_art12_penalty_that_cannot_end_early_is_never_eligible(book):
    result = R.assess_eligibility(record(repairable_from=None), book, as_of=D(2027, 1, 1))
    assert not result.eligible and result.eligible_from is None
    assert codes(result) == ["penalty.no_early_end"]


def test_order36_art12_para3_duration_still_running(book):
    facts = record(repairable_from=D(2027, 3, 1), duration_until=D(2027, 2, 28))
    result = R.assess_eligibility(facts, book, as_of=D(2026, 12, 1))
    assert codes(result) == ["duration.running"] and result.eligible_from == D(2027, 3, 1)


def test_order36_art14_obligations_not_performed_blocks_without_a_date(book):
    result = R.assess_eligibility(record(obligations_performed=False), book, as_of=D(2026, 9, 1))
    assert not result.eligible and result.eligible_from is None
    assert "obligations.not_performed" in codes(result)


def test_order36_art25_repair_blocked_three_years_after_fraud(book):
    facts = record(fraud_block_until=D(2029, 9, 30))
    result = R.assess_eligibility(facts, book, as_of=D(2026, 10, 1))
    assert not result.eligible and result.eligible_from == D(2029, 10, 1)
    assert codes(result) == ["fraud.blocked"]
    assert R.assess_eligibility(facts, book, as_of=D(2029, 10, 1)).eligible


@pytest.mark.parametrize("state, code", [("expired", "item.expired"), ("repaired", "item.repaired"),
                                         ("withheld", "item.not_published"), ("archived", "item.archived")])
def test_order36_art3_items_no_longer_published_need_no_repair(book, state, code):
    result = R.assess_eligibility(record(state=state), book, as_of=D(2026, 9, 1))
    assert not result.eligible and codes(result) == [code] and result.eligible_from is None


def test_order36_art18_item_under_objection_waits(book):
    result = R.assess_eligibility(record(state="objection_hold"), book, as_of=D(2026, 9, 1))
    assert codes(result) == ["item.under_objection"]


def entry(code, **kw):
    base = dict(kind="list_entry", authority="国家税务总局淄博市税务局", publicity_regime=f"list:{code}",
                state="published", list_code=code, list_effective=D(2026, 1, 15))
    base.update(kw)
    return R.ItemFacts(**base)


def test_spc_2017_7_art10_court_list_only_by_the_court(book):
    result = R.assess_eligibility(entry("court_dishonest_debtor"), book, as_of=D(2027, 1, 1))
    assert not result.eligible and codes(result) == ["list.court_only"]
    assert result.authority == "作出失信决定的人民法院" and result.limits is None


def test_sat_order54_art18_tax_list_after_six_months(book):
    facts = entry("major_tax_violator")
    early = R.assess_eligibility(facts, book, as_of=D(2026, 7, 14))
    assert codes(early) == ["minimum_period.running"] and early.eligible_from == D(2026, 7, 15)
    ok = R.assess_eligibility(facts, book, as_of=D(2026, 7, 15))
    assert ok.eligible and (ok.limits.accept, ok.limits.decide) == (2, 15)


def test_sat_order54_art22_listed_twice_in_five_years_no_early_stop(book):
    result = R.assess_eligibility(entry("major_tax_violator", listings_in_window=2), book, as_of=D(2026, 9, 1))
    assert not result.eligible and result.eligible_from is None and "list.repeat_listing" in codes(result)


def test_samr_order107_art13_serious_list_after_one_year_and_art16_abnormal_list_two_days(book):
    serious = R.assess_eligibility(entry("samr_serious_violation"), book, as_of=D(2026, 9, 1))
    assert serious.eligible_from == D(2027, 1, 15) and not serious.eligible
    anomaly = R.assess_eligibility(entry("business_anomaly"), book, as_of=D(2026, 1, 15))
    assert anomaly.eligible and anomaly.limits.decide == 2


def test_removed_entry_and_red_list_are_not_repairable(book):
    assert codes(R.assess_eligibility(entry("major_tax_violator", list_in_force=False), book,
                                      as_of=D(2027, 1, 1))) == ["entry.removed"]
    assert codes(R.assess_eligibility(entry("tax_a_level"), book, as_of=D(2027, 1, 1))) == ["list.not_negative"]


def test_application_state_table_one_time_notice_and_complex_extension():
    assert R.app_transition("received", "notice") == R.AppState.INCOMPLETE
    assert R.app_transition("incomplete", "supplement") == R.AppState.RECEIVED
    assert R.app_transition("accepted", "extend") == R.AppState.EXTENDED
    with pytest.raises(R.InvalidMove):
        R.app_transition("extended", "extend")  # the extension is granted once
    with pytest.raises(R.InvalidMove):
        R.app_transition("withdrawn", "grant")


def test_rulebook_refuses_unknown_keys(book):
    data = load_yaml("repair/procedure.yaml")
    data["regimes"]["ndrc_order_36"]["surprise"] = 1
    with pytest.raises(R.RepairRulebookError):
        R.parse_rulebook(data)
