"""Grade triggers in the measure list (联合奖惩措施 by 公共信用综合评价等级): a measure names the grades that trigger
it, is matched on the subject's current grade with the same three-valued conditions as a list entry, and never
reaches a natural person (never graded). The seed carries the Zibo policy's graded supervision (淄政办字〔2021〕31号
第5项)."""

from __future__ import annotations

import datetime as dt

import pytest

from pubcredit.rules.sanctions import GradeFacts, MeasureError, MeasureSet, match_grade, validate_measure

ON = dt.date(2026, 11, 20)
BASE = {"code": "test.serious_class", "name_zh": "严重失信类企业加强监管", "kind": "punish", "grades": ["D", "D-"],
        "scenarios": ["supervision"], "implementing": ["有关部门"], "force": "D",
        "legal_basis": [{"instrument": "《山东省社会信用条例》", "article": "第二十八条第（四）项"}], "version": "t",
        "effective_from": "2022-12-01"}


def facts(grade, kind="legal_person"):
    klass = {"A+": "honest", "A": "honest", "B": "minor", "C": "general", "C-": "general", "D": "serious",
             "D-": "serious"}[grade]
    return GradeFacts(grade, klass, dt.date(2026, 9, 30), "zibo-v1", kind)


def test_a_measure_on_class_serious_fires_for_grades_d_and_d_minus_only():
    measures = MeasureSet([validate_measure(BASE)])
    for grade in ("D", "D-"):
        hit = match_grade(facts(grade), scenario="supervision", measures=measures, on=ON)
        assert [m.code for m in hit.measures] == ["test.serious_class"]
        assert hit.as_dict()["class_name_zh"] == "严重失信" and hit.as_dict()["model_version"] == "zibo-v1"
        assert hit.measures[0].condition_zh == "公共信用综合评价等级为D、D-（严重失信）"
        assert hit.measures[0].mandatory is False  # force D: a prompt, never an automatic refusal
    for grade in ("A+", "A", "B", "C", "C-"):
        assert match_grade(facts(grade), scenario="supervision", measures=measures, on=ON) is None
    # only in its scenarios, only while in force
    assert match_grade(facts("D"), scenario="honors", measures=measures, on=ON) is None
    assert match_grade(facts("D"), scenario="supervision", measures=measures, on=dt.date(2022, 11, 30)) is None


def test_natural_persons_are_never_graded_so_no_grade_measure_reaches_them():
    measures = MeasureSet([validate_measure(BASE)])
    assert match_grade(facts("D", "natural_person"), scenario="supervision", measures=measures, on=ON) is None
    assert match_grade(None, scenario="supervision", measures=measures, on=ON) is None


def test_a_grade_measure_uses_the_conditions_machinery():
    only_persons = MeasureSet([validate_measure({**BASE, "conditions": {"subject_kinds": ["individual_business"]}})])
    hit = match_grade(facts("D"), scenario="supervision", measures=only_persons, on=ON)
    assert hit.measures == () and hit.decisions[0].applies == "no"  # kept in the explanation, not in the answer
    to_verify = MeasureSet([validate_measure({**BASE, "conditions": {"verify_zh": "违法行为仍在持续"}})])
    hit = match_grade(facts("D-"), scenario="supervision", measures=to_verify, on=ON)
    assert hit.measures[0].applies == "verify" and "须核实：违法行为仍在持续" in hit.measures[0].condition_zh


def test_a_mandatory_grade_punishment_conditioned_on_an_entry_fact_is_refused():
    """No list entry carries facts for a grade measure: such a clause would stay 'to verify' for ever."""
    data = {**BASE, "force": "M", "conditions": {"all": [{"fact": "fine_amount", "at_least": 200, "zh": "罚款200万元以上"}]}}
    with pytest.raises(MeasureError) as err:
        validate_measure(data, list_facts={})
    assert err.value.problems[0].code == "measure.condition_unknown_fact"


def test_a_measure_needs_a_list_or_a_grade_and_only_the_seven_grades():
    with pytest.raises(MeasureError):
        validate_measure({**BASE, "grades": []})
    with pytest.raises(MeasureError) as err:
        validate_measure({**BASE, "grades": ["E"]})
    assert err.value.problems[0].field.startswith("grades")
    assert validate_measure({**BASE, "lists": ["court_dishonest_debtor"]}).grades == ("D", "D-")


def test_zibo_policy_item_5_graded_supervision_is_in_the_seed_for_every_class(db):
    from pubcredit.sanctions.rulebook import load_seed

    measures = MeasureSet(load_seed().measures)
    answers = {grade: [m.code for m in match_grade(facts(grade), scenario="supervision", measures=measures,
                                                   on=ON).measures]
               for grade in ("A+", "A", "B", "C", "C-", "D", "D-")}
    assert answers["D"] == answers["D-"] == ["evaluation.serious_key_supervision"]
    assert answers["B"] == answers["C"] == answers["C-"] == ["evaluation.minor_general_one_inspection"]
    assert answers["A+"] == answers["A"] == ["evaluation.honest_no_disturbance"]
    assert measures.has_grade_measures("supervision") and not measures.has_grade_measures("honors")
