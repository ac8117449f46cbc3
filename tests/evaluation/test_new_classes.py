"""The two negative classes scorecard zibo-v2 reads, end to end: a negative 双随机 inspection result and a broken
credit commitment each become a credit record through their app's service, and the next evaluation moves."""

from __future__ import annotations

import datetime as dt

import pytest

from pubcredit.commitments.services import commitment_accept, commitment_breach_record
from pubcredit.evaluation import services
from pubcredit.rules import clock
from pubcredit.subjects.models import Subject
from pubcredit.supervision import services as supervision
from pubcredit.supervision.models import DrawnObject
from tests.commitments.helpers import commitment
from tests.factories import uscc
from tests.supervision.conftest import libraries  # noqa: F401  (the inspection items and inspectors)

pytestmark = pytest.mark.django_db


def evaluate(actor, subject):
    run = services.evaluation_run_start(actor=actor, subject_ids=[subject.pk], enqueue=False)
    return services.evaluation_run_execute(run_id=run.pk, actor=actor).results.get()


def test_a_negative_inspection_result_becomes_a_record_and_the_evaluation_moves(
        libraries, department, system_actor, today):  # noqa: F811
    now = clock.now()
    subject = Subject.objects.create(kind="legal_person", name="淄博抽查评价测试公司", uscc=uscc(31), created_at=now,
                                     updated_at=now)
    supervision.object_library_refresh(actor=system_actor)
    task = supervision.task_create(department=department, actor=system_actor, name="2026年食品经营随机抽查",
                                   item_ids=[libraries["food"].pk], base_ratio="100", planned_date="2026-12-01")
    # a team of the two inspectors named, so the one with an account (inspector 1) is drawn to enter the result
    supervision.task_inspectors_set(task=task, inspector_ids=[i.pk for i in libraries["food_inspectors"][:2]],
                                    actor=system_actor)
    task = supervision.task_commit(task=task, actor=system_actor)
    supervision.task_draw_start(task=task, actor=system_actor, enqueue=False)
    task = supervision.task_draw_execute(task_id=task.pk, actor=system_actor)
    drawn = DrawnObject.objects.get(task=task, subject=subject)
    with clock.pinned(dt.date(2026, 12, 3)):
        before = evaluate(system_actor, subject)
        result = supervision.result_enter(drawn_object=drawn, item=libraries["food"], outcome="corrected",
                                          inspected_on="2026-12-02", notes="过期食品未下架，已责令改正",
                                          actor=libraries["account"])
        after = evaluate(system_actor, subject)
    assert (before.score, before.grade, before.scorecard_version) == (1000, "A", "zibo-v2")
    assert (after.score, after.grade, after.scorecard_version) == (975, "A", "zibo-v2")
    line = after.items[0]
    assert (line["item_code"], line["source_id"], line["points"]) == ("spot_check_negative", result.record_id, -25)
    assert "抽查检查结果负面信息" in line["note_zh"]


def test_a_second_negative_result_within_three_months_makes_the_subject_minor(department, system_actor, today):
    from pubcredit.catalog.registry import get_class
    from pubcredit.records.services import record_submit_one

    subject = None
    for n, day in ((1, "2026-11-02"), (2, "2026-11-16")):
        values = {"subject_name": "淄博抽查评价测试公司", "subject_category": "legal_person", "subject_uscc": uscc(32),
                  "decision_no": f"CJ-2026-{n}", "decision_date": day, "task_code": "CJ-2026", "item_name": "食品经营检查",
                  "outcome": "referred", "facts": "发现问题，移交处理", "inspecting_unit": department.name,
                  "source_name": department.name, "source_uscc": department.uscc}
        submitted = record_submit_one(info_class=get_class("spot_check_result"), values=values, department=department,
                                      actor=system_actor)
        assert submitted.record_ids, submitted
    subject = Subject.objects.get(uscc=uscc(32))
    result = evaluate(system_actor, subject)
    assert (result.score, result.grade, result.class_code) == (950, "B", "minor")


def test_a_breach_becomes_a_record_and_the_evaluation_moves_by_its_declared_severity(department, system_actor, today):
    accepted = commitment_accept(department=department, values=commitment(1), actor=system_actor)
    subject = accepted.subject
    before = evaluate(system_actor, subject)
    outcome = commitment_breach_record(record=accepted, department=department, evidence="核查发现无冷藏设施，与承诺不符",
                                       decided_on="2026-11-20", severity="general", actor=system_actor)
    after = evaluate(system_actor, subject)
    assert (before.score, before.grade) == (1000, "A")
    assert (after.score, after.grade, after.class_code, after.scorecard_version) == (940, "C", "general", "zibo-v2")
    assert [(i["item_code"], i["source_id"]) for i in after.items] == [("breach_general", outcome.breach_record.pk)]


def test_order_36_art_25_an_untrue_repair_commitment_is_a_serious_breach(department, system_actor, today):
    accepted = commitment_accept(department=department, values=commitment(2), actor=system_actor)
    commitment_breach_record(record=accepted, department=department, evidence="修复承诺与事实不符",
                             decided_on="2026-11-20", serious_untrue=True, actor=system_actor)
    result = evaluate(system_actor, accepted.subject)
    assert (result.score, result.grade, result.class_code) == (780, "D", "serious")
    assert result.items[0]["item_code"] == "breach_serious"


def test_a_breach_without_a_declared_severity_does_not_count_until_one_is_declared(department, system_actor, today):
    accepted = commitment_accept(department=department, values=commitment(3), actor=system_actor)
    commitment_breach_record(record=accepted, department=department, evidence="未按承诺补齐材料",
                             decided_on="2026-11-20", actor=system_actor)
    result = evaluate(system_actor, accepted.subject)
    assert (result.score, result.items) == (1000, [])


def test_a_run_under_zibo_v1_replays_unchanged_and_ignores_the_new_classes(department, system_actor, today):
    accepted = commitment_accept(department=department, values=commitment(4), actor=system_actor)
    commitment_breach_record(record=accepted, department=department, evidence="核查发现无冷藏设施", decided_on="2026-11-20",
                             severity="general", actor=system_actor)
    run = services.evaluation_run_start(actor=system_actor, subject_ids=[accepted.subject_id], version="zibo-v1",
                                        enqueue=False)
    result = services.evaluation_run_execute(run_id=run.pk, actor=system_actor).results.get()
    assert (result.score, result.scorecard_version, result.items) == (1000, "zibo-v1", [])
