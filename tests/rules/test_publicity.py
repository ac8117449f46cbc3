"""Publicity rules (信用信息公示): severity, regime and window per regulation, and the state machine.

Each test names the article it checks. Regimes: 发改办财金〔2019〕527号, NDRC Order 58, NDRC Order 36 (from
2026-04-01), SAMR Order 45 and SAMR Order 107 for market regulation (domain/rules.md §1).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from chinese_calendar import constants as cc
from hypothesis import given, settings
from hypothesis import strategies as st

from pubcredit.rules.calendar import HolidayEnvelope, WorkCalendar, deadline
from pubcredit.rules.publicity import (
    PENALTY_TYPES,
    STICKY,
    TRANSITIONS,
    InvalidTransition,
    PublicityDecision,
    PublicityRulebookError,
    RecordFacts,
    Severity,
    State,
    add_months,
    assess,
    detect_sectors,
    event_for,
    family_of,
    fine_yuan,
    parse_rulebook,
    target_state,
    transition,
)

DIR = Path(__file__).resolve().parents[2] / "src" / "pubcredit" / "rulebook" / "publicity"
POLICY = yaml.safe_load((DIR / "policy.yaml").read_text(encoding="utf-8"))
REGIMES = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in DIR.glob("*.yaml") if p.name != "policy.yaml"}
BOOK = parse_rulebook(POLICY, REGIMES)
D = dt.date


def facts(decided: str = "2026-05-06", received: str | None = None, types=("fine",), fine_wan=None, **kw) -> RecordFacts:
    decision_date = D.fromisoformat(decided)
    base = dict(class_code="admin_penalty", nature="negative", class_public=True, public_for_natural_persons=False,
                subject_kind="legal_person", decision_date=decision_date,
                received_on=D.fromisoformat(received) if received else decision_date + dt.timedelta(days=2),
                penalty_types=tuple(types), fine_amount_yuan=fine_yuan(fine_wan))
    base.update(kw)
    return RecordFacts(**base)


def decide(f: RecordFacts, as_of: str | None = None, book=BOOK) -> PublicityDecision:
    return assess(f, book, as_of=D.fromisoformat(as_of) if as_of else f.received_on)


def book_with(policy_changes=None, regime_changes=None):
    """A copied rulebook with some values changed (the test moves one number and watches the decision move)."""
    policy = copy.deepcopy(POLICY)
    policy.update(policy_changes or {})
    regimes = copy.deepcopy(REGIMES)
    for file_name, change in (regime_changes or {}).items():
        change(regimes[file_name])
    return parse_rulebook(policy, regimes)


# --- the rulebook ------------------------------------------------------------------------------------------------


def test_rulebook_has_the_five_regimes_with_their_dates():
    """domain/rules.md §1.1: 527号 2019-05 → 2023-04-30, Order 58 → 2026-03-31, Order 36 from 2026-04-01;
    SAMR Order 45 2021-09-01 → 2025-12-24, SAMR Order 107 from 2025-12-25."""
    dates = {r.code: (r.effective_from, r.effective_to) for r in BOOK.regimes}
    assert dates == {
        "ndrc_2019_527": (D(2019, 5, 1), D(2023, 4, 30)), "ndrc_order_58": (D(2023, 5, 1), D(2026, 3, 31)),
        "ndrc_order_36": (D(2026, 4, 1), None), "samr_order_45": (D(2021, 9, 1), D(2025, 12, 24)),
        "samr_order_107": (D(2025, 12, 25), None)}
    assert BOOK.version.startswith("publicity@2026.1#") and "ndrc_order_36@2026.1" in BOOK.label
    assert BOOK.policy.transition == "most_favourable"


def test_rulebook_refuses_unknown_keys_overlaps_and_unknown_sectors():
    bad = copy.deepcopy(REGIMES)
    bad["ndrc-order-36.yaml"]["classes"]["minor"]["max_month"] = 3
    with pytest.raises(PublicityRulebookError, match="ndrc-order-36.yaml: .*unknown key"):
        parse_rulebook(POLICY, bad)
    overlap = copy.deepcopy(REGIMES)
    overlap["ndrc-order-58.yaml"]["effective_to"] = "2026-04-01"
    with pytest.raises(PublicityRulebookError, match="overlap"):
        parse_rulebook(POLICY, overlap)
    sector = copy.deepcopy(REGIMES)
    sector["ndrc-order-58.yaml"]["sector_min_months"] = {"mining": 12}
    with pytest.raises(PublicityRulebookError, match="mining"):
        parse_rulebook(POLICY, sector)
    wrong = copy.deepcopy(REGIMES)
    wrong["ndrc-order-36.yaml"]["classes"]["general"]["min_months"] = 24
    with pytest.raises(PublicityRulebookError, match="exceeds"):
        parse_rulebook(POLICY, wrong)


def test_every_penalty_type_of_the_catalogue_is_known_to_the_rules():
    catalogue = yaml.safe_load((DIR.parent / "catalog" / "admin_penalty.yaml").read_text(encoding="utf-8"))
    codes = {v["code"] for f in catalogue["fields"] if f["key"] == "penalty_types" for v in f["values"]}
    assert codes == set(PENALTY_TYPES)


def test_add_months_clamps_to_the_month_end():
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2026, 11, 16), 3) == D(2027, 2, 16)


# --- NDRC Order 36 (2026-04-01 →) ------------------------------------------------------------------------------


def test_order36_art8_warning_is_minor_and_art12_minor_is_not_published():
    d = decide(facts(types=("warning",)))
    assert d.severity == Severity.MINOR and d.regime == "ndrc_order_36" and not d.published
    assert d.publish_from is None and d.publish_until is None and d.repairable_from is None
    assert "轻微失信信息原则上不予公示" in d.reason_zh and "第36号令第十二条" in d.reason_zh
    assert d.rule_version == "ndrc_order_36@2026.1"


def test_order36_art8_public_criticism_is_minor():
    assert decide(facts(types=("public_criticism",))).severity == Severity.MINOR


def test_order36_art8_3_fine_up_to_the_lower_amount_is_minor_bound_included():
    """较小数额: the market-regulation figure, ≤ 50 000 CNY for an organisation (inclusive)."""
    assert decide(facts(fine_wan=5)).severity == Severity.MINOR
    over = decide(facts(fine_wan=5.0001))
    assert over.severity == Severity.GENERAL and over.published
    assert "超过较低数额5万元" in over.reason_zh


def test_order36_fine_threshold_for_persons_is_5000_and_individual_businesses_50000():
    assert decide(facts(fine_wan=0.5, subject_kind="natural_person")).severity == Severity.MINOR
    assert decide(facts(fine_wan=0.6, subject_kind="natural_person")).severity == Severity.GENERAL
    assert decide(facts(fine_wan=4, subject_kind="individual_business")).severity == Severity.MINOR


def test_order36_art12_general_is_published_3_months_to_1_year_from_the_decision():
    d = decide(facts(decided="2026-05-06", received="2026-05-08", fine_wan=10))
    assert d.severity == Severity.GENERAL and d.published
    assert d.publish_from == D(2026, 5, 8)  # shown from receipt
    assert d.repairable_from == D(2026, 8, 6)  # 3 months from the decision (art. 7)
    assert d.publish_until == D(2027, 5, 5)  # 1 year from the decision, last day shown
    assert "最短公示3个月、最长12个月" in d.reason_zh


def test_order36_art9_2_confiscation_of_illegal_property_is_general():
    assert decide(facts(types=("confiscate_illegal_property",))).severity == Severity.GENERAL


def test_order36_art10_2_licence_revocation_is_serious_1_to_3_years():
    d = decide(facts(decided="2026-05-06", types=("revoke_license",)))
    assert d.severity == Severity.SERIOUS and d.published
    assert (d.repairable_from, d.publish_until) == (D(2027, 5, 6), D(2029, 5, 5))


def test_order36_art12_several_types_the_longest_wins():
    """罚款 1万元 (minor) with 责令停产停业 (serious): the serious period applies."""
    d = decide(facts(types=("fine", "order_suspension"), fine_wan=1))
    assert d.severity == Severity.SERIOUS and d.publish_until == D(2029, 5, 5)
    assert "以期限最长的严重类为准" in d.reason_zh


def test_order36_art12_penalty_with_a_duration_is_not_repaired_before_it_ends():
    d = decide(facts(decided="2026-05-06", types=("restrict_employment",), restriction_until=D(2028, 5, 5)))
    assert d.severity == Severity.SERIOUS and d.repairable_from == D(2028, 5, 6)
    assert d.publish_until == D(2029, 5, 5)  # Order 36 does not lengthen the maximum
    assert "届满前不得提前终止公示" in d.reason_zh


def test_order36_art12_natural_persons_negative_items_are_not_published():
    d = decide(facts(fine_wan=50, subject_kind="natural_person"))
    assert d.severity == Severity.GENERAL and not d.published
    assert "涉及自然人的失信信息原则上不予公示" in d.reason_zh


def test_natural_person_published_when_the_class_is_configured_public_for_them():
    d = decide(facts(fine_wan=50, subject_kind="natural_person", public_for_natural_persons=True))
    assert d.published


def test_class_not_public_is_never_published():
    assert not decide(facts(fine_wan=50, class_public=False)).published


def test_order36_art8_1_summary_procedure_is_minor():
    d = decide(facts(fine_wan=50, procedure="summary"))
    assert d.severity == Severity.MINOR and not d.published and "简易程序" in d.reason_zh


def test_explicit_severity_of_the_identifying_unit_overrides_the_classification():
    d = decide(facts(types=("warning",), declared_severity=Severity.SERIOUS))
    assert d.severity == Severity.SERIOUS and d.published and "认定单位认定为严重失信" in d.reason_zh
    assert decide(facts(types=("revoke_license",), declared_severity=Severity.MINOR)).published is False


def test_order36_art10_1_huge_fine_threshold_is_data():
    """No 巨额 threshold is set until a sector defines one; setting it in a copied rulebook moves the verdict."""
    assert decide(facts(fine_wan=5000)).severity == Severity.GENERAL

    def huge(data):
        data["fine"]["serious_at_least_yuan"] = {"legal_person": 1_000_000}

    book = book_with(regime_changes={"ndrc-order-36.yaml": huge})
    assert decide(facts(fine_wan=100), book=book).severity == Severity.SERIOUS
    assert decide(facts(fine_wan=99), book=book).severity == Severity.GENERAL


def test_order36_periods_are_data_changing_one_moves_the_dates():
    def longer(data):
        data["classes"]["general"]["max_months"] = 24

    d = decide(facts(decided="2026-05-06", fine_wan=10), book=book_with(regime_changes={"ndrc-order-36.yaml": longer}))
    assert d.publish_until == D(2028, 5, 5)


# --- NDRC Order 58 (2023-05-01 → 2026-03-31) ----------------------------------------------------------------------


def test_order58_penalty_published_3_months_to_3_years_from_the_decision():
    d = decide(facts(decided="2025-06-01", received="2025-06-03", fine_wan=10), as_of="2025-06-03")
    assert d.regime == "ndrc_order_58" and d.published
    assert (d.repairable_from, d.publish_until) == (D(2025, 9, 1), D(2028, 5, 31))


def test_order58_special_equipment_work_safety_and_fire_minimum_is_1_year():
    f = facts(decided="2025-06-01", fine_wan=10, sectors=frozenset({"work_safety"}))
    d = decide(f, as_of="2025-06-03")
    assert d.repairable_from == D(2026, 6, 1) and "安全生产领域最短公示期12个月" in d.reason_zh


def test_order58_has_no_minor_exemption_a_warning_is_published():
    """Order 58's "warnings are not published" is UNVERIFIED (rules.md §1.3): not applied."""
    d = decide(facts(decided="2025-06-01", types=("warning",)), as_of="2025-06-03")
    assert d.regime == "ndrc_order_58" and d.published and d.publish_until == D(2028, 5, 31)


def test_order58_several_types_the_longest_wins():
    d = decide(facts(decided="2025-06-01", types=("warning", "fine"), fine_wan=1, sectors=frozenset({"fire"})),
               as_of="2025-06-03")
    assert d.repairable_from == D(2026, 6, 1) and d.publish_until == D(2028, 5, 31)


# --- 发改办财金〔2019〕527号 (2019-05 → 2023-04-30) ---------------------------------------------------------------


def test_527_general_3_months_to_1_year_warning_included():
    d = decide(facts(decided="2020-06-01", types=("warning",)), as_of="2020-06-03")
    assert d.regime == "ndrc_2019_527" and d.severity == Severity.GENERAL and d.published
    assert (d.repairable_from, d.publish_until) == (D(2020, 9, 1), D(2021, 5, 31))


def test_527_serious_6_months_to_3_years():
    d = decide(facts(decided="2020-06-01", types=("revoke_license",)), as_of="2020-06-03")
    assert d.severity == Severity.SERIOUS and (d.repairable_from, d.publish_until) == (D(2020, 12, 1), D(2023, 5, 31))


def test_a_decision_before_every_regime_uses_the_earliest():
    assert decide(facts(decided="2018-01-10"), as_of="2018-01-12").regime == "ndrc_2019_527"


# --- the boundary at 2026-04-01 and the transition policy -----------------------------------------------------


def test_regime_boundary_decision_on_2026_03_31_is_order58_on_2026_04_01_order36():
    """Order 36 art. 30: in force from 2026-04-01, repealing Order 58; periods count from the decision."""
    before = decide(facts(decided="2026-03-31", types=("warning",)), as_of="2026-03-31")
    after = decide(facts(decided="2026-04-01", types=("warning",)), as_of="2026-04-01")
    assert before.regime == "ndrc_order_58" and before.published
    assert after.regime == "ndrc_order_36" and not after.published


def test_most_favourable_an_order58_item_stops_when_order36_is_kinder():
    """A warning of 2026-03-31 is published under Order 58; from 2026-04-01 Order 36 does not publish minor items
    and no transitional clause keeps the old burden: the item is withheld (policy ``most_favourable``)."""
    f = facts(decided="2026-03-31", types=("warning",))
    assert decide(f, as_of="2026-03-31").published
    d = decide(f, as_of="2026-04-02")
    assert not d.published and d.regime == "ndrc_order_36" and d.considered == ("ndrc_order_58", "ndrc_order_36")
    assert "从旧兼从轻" in d.reason_zh


def test_most_favourable_never_lengthens_an_old_period():
    """527号 general: max 1 year; Order 58 (3 years) came later but is less favourable: 527 stays."""
    d = decide(facts(decided="2022-06-01", fine_wan=10), as_of="2023-06-01")
    assert d.regime == "ndrc_2019_527" and d.publish_until == D(2023, 5, 31)


def test_transition_decision_date_keeps_the_regime_of_the_decision():
    book = book_with({"transition": "decision_date"})
    d = decide(facts(decided="2026-03-31", types=("warning",)), as_of="2026-06-01", book=book)
    assert d.regime == "ndrc_order_58" and d.published and d.considered == ("ndrc_order_58",)


# --- market regulation: SAMR Orders 45 and 107 ---------------------------------------------------------------------


def samr(**kw) -> RecordFacts:
    return facts(family="market_regulation", **kw)


def test_family_follows_the_deciding_authority():
    policy = BOOK.policy
    assert family_of(policy, authority_name="淄博市市场监督管理局") == "market_regulation"
    assert family_of(policy, authority_name="淄博市生态环境局", department_name="淄博市生态环境局") == "ndrc"
    assert family_of(policy, department_name="淄博市张店区市场监督管理局") == "market_regulation"


def test_sectors_from_explicit_codes_or_keywords():
    policy = BOOK.policy
    assert detect_sectors(policy, ["销售不符合食品安全标准的食品", "《中华人民共和国食品安全法》"]) == {"food"}
    assert detect_sectors(policy, ["未按规定公示年度报告"]) == frozenset()
    assert detect_sectors(policy, ["食品"], explicit=["drug"]) == {"drug"}


def test_samr107_art7_warning_only_is_not_published():
    d = decide(samr(decided="2026-01-10", types=("warning",)))
    assert d.regime == "samr_order_107" and d.severity == Severity.MINOR and not d.published
    assert "第107号令第七条第二款" in d.reason_zh


def test_samr107_art7_lower_fine_minor_stops_after_3_months_from_publication_no_early_repair():
    d = decide(samr(decided="2026-01-10", received="2026-01-14", fine_wan=5))
    assert d.severity == Severity.MINOR and d.published
    assert d.publish_from == D(2026, 1, 14) and d.publish_until == D(2026, 4, 13) and d.repairable_from is None


def test_samr107_art9_general_3_months_to_1_year():
    d = decide(samr(decided="2026-01-10", received="2026-01-14", fine_wan=8))
    assert d.severity == Severity.GENERAL
    assert (d.repairable_from, d.publish_until) == (D(2026, 4, 14), D(2027, 1, 13))


def test_samr107_art8_1_food_sector_non_minor_is_serious_minor_stays_minor():
    food = frozenset({"food"})
    d = decide(samr(decided="2026-01-10", received="2026-01-14", fine_wan=8, sectors=food))
    assert d.severity == Severity.SERIOUS and (d.repairable_from, d.publish_until) == (D(2027, 1, 14), D(2029, 1, 13))
    assert decide(samr(decided="2026-01-10", fine_wan=1, sectors=food)).severity == Severity.MINOR


def test_samr107_art8_3_licence_revocation_no_repair_stops_after_3_years():
    d = decide(samr(decided="2026-01-10", received="2026-01-14", types=("revoke_license",)))
    assert d.severity == Severity.SERIOUS and d.repairable_from is None and d.publish_until == D(2029, 1, 13)
    assert "不得提前停止公示" in d.reason_zh


def test_samr107_art8_2_restriction_longer_than_3_years_extends_the_period():
    d = decide(samr(decided="2026-01-10", received="2026-01-14", types=("restrict_employment",),
                    restriction_until=D(2031, 1, 9)))
    assert d.publish_until == D(2031, 1, 9) and d.repairable_from is None  # repair would come after the end


def test_samr107_suspension_of_a_licence_is_general_not_listed_in_art8():
    assert decide(samr(decided="2026-01-10", types=("suspend_license",))).severity == Severity.GENERAL


def test_samr45_art13_criticism_3_months_others_3_years_from_publication():
    crit = decide(samr(decided="2024-03-01", received="2024-03-05", types=("public_criticism",)), as_of="2024-03-05")
    assert crit.regime == "samr_order_45" and crit.publish_until == D(2024, 6, 4) and crit.repairable_from is None
    other = decide(samr(decided="2024-03-01", received="2024-03-05", fine_wan=20), as_of="2024-03-05")
    assert other.publish_until == D(2027, 3, 4)


def test_samr45_art2_warning_only_and_summary_procedure_are_not_published():
    assert not decide(samr(decided="2024-03-01", types=("warning",)), as_of="2024-03-05").published
    assert not decide(samr(decided="2024-03-01", fine_wan=20, procedure="summary"), as_of="2024-03-05").published


def test_samr45_art14_never_early_for_order_suspension():
    d = decide(samr(decided="2024-03-01", received="2024-03-05", types=("order_suspension",)), as_of="2024-03-05")
    assert d.severity == Severity.SERIOUS and d.repairable_from is None


def test_market_regulation_before_samr45_follows_the_ndrc_regime():
    assert decide(samr(decided="2020-06-01"), as_of="2020-06-03").regime == "ndrc_2019_527"


def test_samr_boundary_2025_12_25_and_most_favourable():
    """SAMR Order 107 art. 31 (from 2025-12-25): a 20 000 CNY fine of 2025-12-24 was general for 3 years under
    Order 45; under Order 107 it is minor, 3 months — the kinder rule applies once in force."""
    f = samr(decided="2025-12-24", received="2025-12-24", fine_wan=2)
    # Order 45's 较低数额 is the same 50 000 figure: already minor, 3 months
    assert decide(f, as_of="2025-12-24").publish_until == D(2026, 3, 23)
    g = samr(decided="2025-12-24", received="2025-12-24", fine_wan=20)
    assert decide(g, as_of="2025-12-24").publish_until == D(2028, 12, 23)
    later = decide(g, as_of="2025-12-26")
    assert later.regime == "samr_order_107" and later.publish_until == D(2026, 12, 23)


def test_negative_classes_without_configured_rules_are_withheld():
    """A negative class that is neither in regime_classes nor handed in with its list entry's window is withheld."""
    d = decide(facts(class_code="business_anomaly", types=()))
    assert not d.published and d.regime == "unconfigured" and "尚未配置" in d.reason_zh


def _entry_window(**kw):
    from pubcredit.rules.lists import EntryPublicity

    base = dict(published=True, publish_from=D(2026, 11, 20), publish_until=D(2029, 11, 15), reason_zh="名单公示。",
                reason_en="list.", rule_version="list:samr_serious_violation@2026.1", severity="serious")
    base.update(kw)
    return EntryPublicity(**base)


def test_list_records_follow_their_entry_window_not_the_regimes():
    """名单公示: a list-class record is published over its entry's window (rules.lists.entry_publicity), whatever the
    penalty regimes say, and leaves publication with the entry."""
    d = decide(facts(class_code="samr_serious_violation", types=(), list_publicity=_entry_window()))
    assert (d.published, d.publish_from, d.publish_until, d.repairable_from) == (True, D(2026, 11, 20),
                                                                                  D(2029, 11, 15), None)
    assert d.regime == "list:samr_serious_violation" and d.severity == Severity.SERIOUS
    assert d.rule_version == "list:samr_serious_violation@2026.1"
    assert target_state(current=None, decision=d, record_revoked=False, today=D(2026, 11, 20)) == State.PUBLISHED
    red = decide(facts(class_code="tax_a_level", nature="positive", types=(),
                       list_publicity=_entry_window(severity=None, publish_until=None)))
    assert red.published and red.severity is None and red.publish_until is None


def test_a_removed_list_entry_ends_the_record_publication_by_its_reason():
    from pubcredit.rules.lists import RemovalReason

    def state(reason, current=State.PUBLISHED):
        window = _entry_window(publish_until=D(2027, 2, 28), ended_by=RemovalReason(reason))
        d = decide(facts(class_code="samr_serious_violation", types=(), list_publicity=window))
        return target_state(current=current, decision=d, record_revoked=False, today=D(2027, 3, 1))

    assert state("repaired") == State.REPAIRED  # 信用修复移出: publication and sharing stop
    assert state("revoked") == State.REVOKED
    assert state("court_deleted") == State.EXPIRED and state("expired") == State.EXPIRED
    assert state("repaired", current=State.WITHHELD) == State.EXPIRED  # never shown: no repair to record
    withheld = decide(facts(class_code="major_tax_violator", types=(), subject_kind="natural_person",
                            list_publicity=_entry_window(published=False, publish_from=None, publish_until=None)))
    assert target_state(current=None, decision=withheld, record_revoked=False, today=D(2026, 11, 20)) == State.WITHHELD


# --- licences (双公示) ------------------------------------------------------------------------------------------


def licence(**kw) -> RecordFacts:
    return facts(class_code="admin_license", nature="neutral", types=(), **kw)


def test_licence_published_from_receipt_without_end():
    """国发〔2016〕33号 / 发改办财金〔2018〕424号: licences are published (双公示), no maximum period."""
    d = decide(licence(decided="2026-11-16", received="2026-11-18", licence_status="valid"))
    assert d.published and d.severity is None and d.regime == "shuanggongshi"
    assert d.publish_from == D(2026, 11, 18) and d.publish_until is None and d.repairable_from is None


def test_licence_invalid_or_of_a_natural_person_is_not_published():
    assert not decide(licence(licence_status="invalid")).published
    assert not decide(licence(licence_status="valid", subject_kind="natural_person")).published


# --- properties --------------------------------------------------------------------------------------------------

types_st = st.sets(st.sampled_from(sorted(PENALTY_TYPES)), min_size=1, max_size=4)
days = st.dates(min_value=D(2018, 1, 1), max_value=D(2030, 12, 31))
kinds = st.sampled_from(["legal_person", "individual_business", "natural_person"])
families = st.sampled_from(["ndrc", "market_regulation"])
amounts = st.one_of(st.none(), st.decimals(min_value=0, max_value=1000, places=2))


@settings(max_examples=300, deadline=None)
@given(types_st, days, st.integers(0, 30), kinds, families, amounts, st.integers(0, 2000))
def test_property_windows_are_ordered_and_more_types_never_shorten(types, decided, delay, kind, family, amount, later):
    """Order 36 art. 12 / SAMR 107 art. 6: adding a penalty type never makes the window shorter."""
    f = facts(decided=decided.isoformat(), received=(decided + dt.timedelta(days=delay)).isoformat(),
              types=tuple(sorted(types)), subject_kind=kind, family=family,
              fine_amount_yuan=None if amount is None else Decimal(amount) * 10_000)
    as_of = f.received_on + dt.timedelta(days=later)
    d = assess(f, BOOK, as_of=as_of)
    if d.published:
        assert d.publish_from is not None and d.publish_until is not None and d.publish_from <= d.publish_until + dt.timedelta(days=1)
        assert d.repairable_from is None or f.decision_date <= d.repairable_from <= d.publish_until
    else:
        assert d.publish_from is None and d.publish_until is None
    for extra in ("revoke_license", "order_suspension"):
        more = assess(replace(f, penalty_types=tuple(sorted(types | {extra}))), BOOK, as_of=as_of)
        if d.published and more.published:
            assert more.publish_until >= d.publish_until or more.regime != d.regime


# --- the state machine -------------------------------------------------------------------------------------------


def decision(published=True, start="2026-05-08", until="2027-05-05") -> PublicityDecision:
    return PublicityDecision(Severity.GENERAL, "ndrc_order_36", published, D.fromisoformat(start) if published else None,
                             None, D.fromisoformat(until) if published else None, "", "", "x@1")


def test_transition_table_allows_only_listed_moves():
    assert transition(State.PENDING, "due") == State.PUBLISHED
    assert transition(State.PUBLISHED, "repair") == State.REPAIRED
    with pytest.raises(InvalidTransition):
        transition(State.WITHHELD, "repair")
    with pytest.raises(InvalidTransition):
        transition(State.ARCHIVED, "due")
    targets = {new for new in TRANSITIONS.values()}
    assert State.ARCHIVED in targets and all(not (s == State.ARCHIVED) for s, _ in TRANSITIONS)


def test_event_for_finds_the_move_or_none():
    assert event_for(State.PENDING, State.PUBLISHED) == "due"
    assert event_for(State.EXPIRED, State.PUBLISHED) == "reinstate"
    assert event_for(State.OBJECTION_HOLD, State.PUBLISHED) == "resume"
    assert event_for(State.PUBLISHED, State.PUBLISHED) is None
    assert event_for(State.ARCHIVED, State.PUBLISHED) is None


def test_target_state_from_the_dates_catches_up_a_missed_day():
    dec = decision()
    assert target_state(current=State.PENDING, decision=dec, record_revoked=False, today=D(2026, 5, 7)) == State.PENDING
    assert target_state(current=State.PENDING, decision=dec, record_revoked=False, today=D(2026, 5, 8)) == State.PUBLISHED
    assert target_state(current=State.PUBLISHED, decision=dec, record_revoked=False, today=D(2027, 5, 5)) == State.PUBLISHED
    # the job did not run for months: pending goes straight to expired
    assert target_state(current=State.PENDING, decision=dec, record_revoked=False, today=D(2027, 9, 1)) == State.EXPIRED
    assert target_state(current=State.PUBLISHED, decision=decision(False), record_revoked=False,
                        today=D(2026, 6, 1)) == State.WITHHELD


def test_target_state_revocation_wins_and_workflow_states_stay():
    dec = decision()
    assert target_state(current=State.PUBLISHED, decision=dec, record_revoked=True, today=D(2026, 6, 1)) == State.REVOKED
    for sticky in STICKY - {State.ARCHIVED}:
        assert target_state(current=sticky, decision=dec, record_revoked=False, today=D(2026, 6, 1)) == sticky
    assert target_state(current=State.ARCHIVED, decision=dec, record_revoked=True, today=D(2026, 6, 1)) == State.ARCHIVED
    # an objection held past the maximum period ends with the period
    assert target_state(current=State.OBJECTION_HOLD, decision=dec, record_revoked=False,
                        today=D(2027, 6, 1)) == State.EXPIRED


@given(st.sampled_from(list(State)), st.booleans(), st.booleans(), days)
def test_property_target_state_is_reachable_or_unchanged(current, published, revoked, today):
    """Whatever the dates say, the target is the current state or one move of the table away."""
    target = target_state(current=current, decision=decision(published), record_revoked=revoked, today=today)
    assert target == current or event_for(current, target) is not None or current in STICKY


# -- SAMR Order 45 art. 9: periods of late records count from when the national system published them -------------

_SEEDED = WorkCalendar.from_days(cc.holidays, cc.workdays)
_ENVELOPE = HolidayEnvelope.model_validate(yaml.safe_load(
    (DIR.parents[1] / "workdays" / "holiday_envelope.yaml").read_text(encoding="utf-8")))


def _seeded_working_days(start: dt.date, n: int):
    return deadline(_SEEDED, start, n, _ENVELOPE, favour="earlier")


def test_samr_order_45_art_9_period_counts_from_decision_plus_20_working_days_for_late_records():
    """A licence revocation decided 2024-01-10 was on the national system by 2024-02-06 (20 working days, the
    make-up Sunday 2024-02-04 counted); the platform received it on 2026-06-01. Its 3 years end 2027-02-05, not
    2029-05-31."""
    f = samr(decided="2024-01-10", received="2026-06-01", types=("revoke_license",))
    d = assess(f, BOOK, as_of=D(2026, 6, 1), working_days=_seeded_working_days)
    assert d.published and d.publish_from == D(2026, 6, 1)
    assert d.publish_until == D(2027, 2, 5) and d.repairable_from is None and not d.provisional
    assert "第45号令第九条" in d.reason_zh and "公示期自2024-02-06起算" in d.reason_zh


def test_samr_order_45_art_9_a_record_received_in_time_counts_from_its_receipt():
    f = samr(decided="2026-01-10", received="2026-01-14", fine_wan=8)
    d = assess(f, BOOK, as_of=D(2026, 1, 14), working_days=_seeded_working_days)
    assert d.publish_until == D(2027, 1, 13) and "第45号令第九条" not in d.reason_zh


def test_samr_order_45_art_9_late_record_whose_due_day_falls_in_an_unloaded_year_is_provisional_and_earliest():
    """Decided 2026-12-20, received 2027-03-01: 20 working days run into 2027, whose schedule is not loaded; the
    earliest day the national system could have published it is taken, and the decision is marked provisional."""
    f = samr(decided="2026-12-20", received="2027-03-01", fine_wan=8)
    d = assess(f, BOOK, as_of=D(2027, 3, 1), working_days=_seeded_working_days)
    weekdays_only = _SEEDED.add_working_days(D(2026, 12, 20), 20).value
    assert d.provisional and d.publish_until <= add_months(weekdays_only, 12) - dt.timedelta(days=1)
    assert "2027年节假日安排尚未载入" in d.reason_zh


@pytest.mark.parametrize("valid_until", ["2024-01-10", "2023-12-31", "2099-12-31"])
def test_samr_order_45_art_13_para_3_valid_until_on_or_before_the_decision_or_2099_12_31_is_no_duration(valid_until):
    """处罚有效期 = the decision date, earlier, or 长期 (2099-12-31) is "no duration": a restriction counted 3 years from
    publication, not to 2099."""
    d = decide(samr(decided="2024-01-10", received="2024-01-12", types=("restrict_employment",),
                    restriction_until=D.fromisoformat(valid_until)), as_of="2024-01-12")
    assert d.publish_until == D(2027, 1, 11)


def test_samr_order_107_art_8_valid_until_extends_only_penalties_with_a_duration_others_get_a_warning():
    """A fine has no duration: a 处罚有效期 five years out is noted in the explanation, never an extension."""
    fine = decide(samr(decided="2026-01-10", received="2026-01-14", fine_wan=8, restriction_until=D(2031, 1, 9)))
    assert fine.publish_until == D(2027, 1, 13)
    assert "处罚有效期2031-01-09不延长公示期" in fine.reason_zh and "罚款不是附期限的处罚" in fine.reason_zh
    ban = decide(samr(decided="2026-01-10", received="2026-01-14", types=("restrict_employment",),
                      restriction_until=D(2031, 1, 9)))
    assert ban.publish_until == D(2031, 1, 9)


# -- Order 36 art. 8(3), 10(1), 11: sectors' own 较小数额 / 巨额; until then the borrowed figure, shown as borrowed ----


def test_ndrc_order_36_art_8_item_3_lower_amount_borrowed_from_samr_order_107_is_said_to_be_borrowed():
    minor = decide(facts(decided="2026-05-06", fine_wan=3))
    assert minor.severity == Severity.MINOR and "借用市场监管总局令第107号第七条的数额" in minor.reason_zh
    general = decide(facts(decided="2026-05-06", fine_wan=8))
    assert general.severity == Severity.GENERAL
    assert "超过较低数额5万元（借用市场监管总局令第107号第七条的数额）" in general.reason_zh
    assert "未设定巨额标准" in general.reason_zh


def test_ndrc_order_36_art_10_item_1_huge_fine_threshold_is_per_sector_data_and_none_by_default():
    """No sector has set a 巨额 figure: a 500万元 fine is general. A sector's own figure (rulebook data) makes it serious
    in that sector only; its 较小数额 stays the borrowed one."""
    work_safety = frozenset({"work_safety"})
    assert BOOK.regime("ndrc_order_36").sector_fines == {}
    assert decide(facts(decided="2026-05-06", fine_wan=500, sectors=work_safety)).severity == Severity.GENERAL

    def set_huge(regime):
        regime["sector_fines"] = {"work_safety": {
            "serious_at_least_yuan": {"legal_person": 1_000_000, "individual_business": 1_000_000,
                                      "natural_person": 100_000},
            "article_serious": "应急管理部门罚款标准第五条", "basis_zh": "应急管理部门行政处罚罚款数额标准"}}

    book = book_with(regime_changes={"ndrc-order-36.yaml": set_huge})
    huge = decide(facts(decided="2026-05-06", fine_wan=500, sectors=work_safety), book=book)
    assert huge.severity == Severity.SERIOUS and "达到安全生产领域巨额100万元" in huge.reason_zh
    assert "应急管理部门罚款标准第五条" in huge.reason_zh
    assert decide(facts(decided="2026-05-06", fine_wan=500), book=book).severity == Severity.GENERAL
    small = decide(facts(decided="2026-05-06", fine_wan=3, sectors=work_safety), book=book)
    assert small.severity == Severity.MINOR and "借用市场监管总局令第107号第七条" in small.reason_zh


def test_a_sector_fine_for_a_sector_policy_does_not_declare_is_refused():
    def bad(regime):
        regime["sector_fines"] = {"ecology": {"serious_at_least_yuan": {"legal_person": 1}, "basis_zh": "某标准"}}

    with pytest.raises(PublicityRulebookError, match="ecology"):
        book_with(regime_changes={"ndrc-order-36.yaml": bad})


# --- 违背信用承诺信息 (commitment breaches): no penalty type, so the regimes place them only as Order 36 lets them ---

def breach(decided: str = "2026-06-01", **kw) -> RecordFacts:
    return facts(decided, types=(), class_code="commitment_breach", **kw)


def test_ndrc_order_36_art25_untrue_commitment_published_three_years_without_early_end():
    d = decide(breach(untrue_commitment=True))
    assert d.published and d.severity == Severity.SERIOUS
    assert d.publish_until == D(2029, 5, 31) and d.repairable_from is None
    assert "第36号令第二十五条" in d.reason_zh and "不得提前终止公示" in d.reason_zh


def test_ndrc_order_36_art25_untrue_commitment_wins_over_a_lighter_declared_severity():
    d = decide(breach(untrue_commitment=True, declared_severity=Severity.MINOR))
    assert d.published and d.publish_until == D(2029, 5, 31)


def test_ndrc_order_36_art12_natural_persons_untrue_commitment_not_published():
    d = decide(breach(untrue_commitment=True, subject_kind="natural_person"))
    assert not d.published and d.publish_from is None


def test_ndrc_order_36_art11_breach_without_declared_severity_is_withheld_not_guessed():
    d = decide(breach())
    assert not d.published and d.severity is None
    assert "未认定失信程度" in d.reason_zh and "第36号令第十一条" in d.reason_zh


def test_ndrc_order_36_art12_declared_general_breach_three_months_to_one_year():
    d = decide(breach(declared_severity=Severity.GENERAL))
    assert d.published and d.severity == Severity.GENERAL
    assert d.repairable_from == D(2026, 9, 1) and d.publish_until == D(2027, 5, 31)


def test_ndrc_order_36_art12_declared_minor_breach_not_published():
    assert not decide(breach(declared_severity=Severity.MINOR)).published


def test_breach_found_by_a_market_regulator_follows_the_general_regime_not_the_penalty_system():
    d = decide(breach(declared_severity=Severity.SERIOUS, family="market_regulation"))
    assert d.regime == "ndrc_order_36" and d.publish_until == D(2029, 5, 31)


def test_ndrc_order_36_art25_only_from_its_entry_into_force():
    # decided under Order 58 (before 2026-04-01), which has no such article: the declared severity decides
    assert not decide(breach("2026-03-02", untrue_commitment=True)).published
