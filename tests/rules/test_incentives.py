"""信易+ eligibility rules (rules/incentives.py), Zibo policy item 12 (守信激励): no incentive for a black-listed
subject; red lists, evaluation class and a natural person's negative records as each scenario asks."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pubcredit.rules.incentives import Eligibility, IncentiveScenario, SubjectFacts, eligibility, parse_incentive_book

LISTS = {"tax_a_level": "red", "integrity_honor": "red", "court_dishonest_debtor": "black"}


def _scenario(kinds=("legal_person", "natural_person"), **rule):
    return IncentiveScenario(code="s", name_zh="测试场景", family_zh="信易租", provider_zh="市商务局", subject_kinds=kinds,
                             eligibility=Eligibility(**rule), benefit_zh="免押金", basis_zh="淄政办字〔2021〕31号第12项")


@settings(deadline=None)  # timing on a shared machine is not the rule under test
@given(st.dictionaries(st.sampled_from(["court_dishonest_debtor", "major_tax_violator"]), st.just("名单"), min_size=1),
       st.sampled_from(["honest", "minor", None]))
def test_zibo_item_12_no_incentive_while_on_a_black_list(black, klass):
    facts = SubjectFacts(kind="legal_person", black_lists=black, evaluation_class=klass)
    assert eligibility(_scenario(), facts, kind_if_unknown="legal_person").eligible is False


def test_evaluation_class_applies_to_organisations_only():
    rule = {"evaluation_classes": ("honest",)}
    org = eligibility(_scenario(**rule), SubjectFacts(kind="legal_person", evaluation_class="minor"),
                      kind_if_unknown="legal_person")
    person = eligibility(_scenario(**rule), SubjectFacts(kind="natural_person"), kind_if_unknown="natural_person")
    assert org.eligible is False and person.eligible is True


def test_natural_person_needs_no_negative_record_in_force():
    rule = {"no_negative_record": True}
    assert eligibility(_scenario(**rule), SubjectFacts(kind="natural_person", negative_records_in_force=1),
                       kind_if_unknown="natural_person").eligible is False
    assert eligibility(_scenario(**rule), SubjectFacts(kind=None), kind_if_unknown="natural_person").eligible is True


def test_red_list_where_asked():
    rule = {"red_lists_any": ("integrity_honor",)}
    held = SubjectFacts(kind="natural_person", red_lists={"integrity_honor": "诚信荣誉"})
    assert eligibility(_scenario(**rule), held, kind_if_unknown="natural_person").eligible is True
    assert eligibility(_scenario(**rule), SubjectFacts(kind="natural_person"),
                       kind_if_unknown="natural_person").eligible is False


def test_every_condition_is_reported_passed_or_not():
    outcome = eligibility(_scenario(red_lists_any=("tax_a_level",), evaluation_classes=("honest",)),
                          SubjectFacts(kind="legal_person", evaluation_class="honest"), kind_if_unknown="legal_person")
    assert [(r.code, r.passed) for r in outcome.reasons] == [
        ("incentive.subject_kind", True), ("incentive.black_list", True), ("incentive.red_list", False),
        ("incentive.evaluation_class", True)]


def test_rulebook_refuses_a_black_list_named_as_red_and_unknown_classes():
    base = {"code": "s", "name_zh": "n", "family_zh": "f", "provider_zh": "p", "subject_kinds": ["legal_person"],
            "benefit_zh": "b", "basis_zh": "x"}
    with pytest.raises(ValueError, match="not red lists"):
        parse_incentive_book({"version": "1", "scenarios": [
            {**base, "eligibility": {"red_lists_any": ["court_dishonest_debtor"]}}]}, known_lists=LISTS)
    with pytest.raises(ValueError, match="unknown evaluation classes"):
        parse_incentive_book({"version": "1", "scenarios": [
            {**base, "eligibility": {"evaluation_classes": ["saintly"]}}]}, known_lists=LISTS)
