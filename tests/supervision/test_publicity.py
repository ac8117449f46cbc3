"""A negative inspection result (抽查检查结果负面信息) as a credit record: its publicity rule (SAMR Order 107 art. 10
para. 1, checked in shared/domain/laws/02-samr-credit-repair-measures.md), its way to the public subject page through
the publicity engine, and the evaluation reading it (graded supervision closes the loop: a problem found moves the
class, and the class decides the next draws)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from pubcredit.evaluation import services as evaluation_services
from pubcredit.evaluation.models import EvaluationResult
from pubcredit.evaluation.rulebook import SCORECARD_DIR, load_scorecards
from pubcredit.evaluation.selectors import current_class
from pubcredit.publicity.models import PublicityState
from pubcredit.publicity.rulebook import PUBLICITY_DIR
from pubcredit.publicity.services import publicity_tick
from pubcredit.records.models import CreditRecord
from pubcredit.rules import clock
from pubcredit.rules.publicity import PublicityRulebookError, RecordFacts, assess, parse_rulebook
from pubcredit.subjects.models import Subject
from pubcredit.supervision import services
from pubcredit.supervision.models import DrawnObject, InspectionObject
from tests.factories import uscc

D = dt.date
POLICY = yaml.safe_load((PUBLICITY_DIR / "policy.yaml").read_text(encoding="utf-8"))
REGIMES = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in PUBLICITY_DIR.glob("*.yaml")
           if p.name != "policy.yaml"}
BOOK = parse_rulebook(POLICY, REGIMES)


def spot_check_facts(decided: D, received: D, **kw) -> RecordFacts:
    base = dict(class_code="spot_check_result", nature="negative", class_public=True, public_for_natural_persons=False,
                subject_kind="legal_person", decision_date=decided, received_on=received)
    return RecordFacts(**(base | kw))


# --- the rule -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("family", ["market_regulation", "ndrc"])
def test_samr_order_107_art10_spot_check_negative_published_three_months_then_stops_without_repair(family):
    decision = assess(spot_check_facts(D(2026, 6, 1), D(2026, 6, 3), family=family), BOOK, as_of=D(2026, 6, 3))
    assert decision.published and decision.regime == "samr_order_107_spot_check"
    assert decision.publish_from == D(2026, 6, 3)
    assert decision.publish_until == D(2026, 9, 2)  # three months from publication, the last day shown
    assert decision.repairable_from is None  # stops by itself at the end, never earlier
    assert decision.severity == "minor"
    assert "第107号第十条第一款" in decision.reason_zh and "三个月" in decision.reason_zh


def test_enterprise_information_regulation_art6_spot_check_result_counted_from_20_working_days_when_sent_late():
    # inspected Wed 2026-06-03, entered two months later: the three months run from the day it was due
    # (20 working days: 2026-07-01), not from the late entry
    decision = assess(spot_check_facts(D(2026, 6, 3), D(2026, 8, 3)), BOOK, as_of=D(2026, 8, 3))
    assert decision.publish_from == D(2026, 8, 3)
    assert decision.publish_until == D(2026, 9, 30)
    assert "企业信息公示暂行条例》第六条第二款" in decision.reason_zh


def test_spot_check_result_received_after_its_three_months_is_never_shown():
    decision = assess(spot_check_facts(D(2026, 1, 5), D(2026, 6, 1)), BOOK, as_of=D(2026, 6, 1))
    assert decision.publish_from is None and decision.publish_until is not None


def test_a_class_with_a_fixed_period_cannot_also_be_classified_by_the_regimes():
    policy = POLICY | {"regime_classes": [*POLICY["regime_classes"], "spot_check_result"]}
    with pytest.raises(PublicityRulebookError, match="fixed period"):
        parse_rulebook(policy, REGIMES)


# --- through the services -----------------------------------------------------------------------------------------

def _task_on(department, item, actor, inspectors=(), **kwargs):
    args = {"name": "2026年食品经营随机抽查", "item_ids": [item.pk], "base_ratio": "100", "planned_date": "2026-12-01"}
    task = services.task_create(department=department, actor=actor, **(args | kwargs))
    if inspectors:
        services.task_inspectors_set(task=task, inspector_ids=[i.pk for i in inspectors], actor=actor)
    task = services.task_commit(task=task, actor=actor)
    services.task_draw_start(task=task, actor=actor, enqueue=False)
    return services.task_draw_execute(task_id=task.pk, actor=actor)


def _negative_result(task, libraries, day: D = D(2026, 12, 2)):
    obj = DrawnObject.objects.filter(task=task, inspectors=libraries["food_inspectors"][0]).order_by("position").first()
    with clock.pinned(day + dt.timedelta(days=1)):
        return obj, services.result_enter(drawn_object=obj, item=libraries["food"], outcome="corrected",
                                          inspected_on=day.isoformat(), notes="过期食品未下架，已责令改正",
                                          actor=libraries["account"])


@pytest.mark.django_db
def test_a_negative_result_reaches_the_public_subject_page_for_three_months(city, libraries, department, system_actor,
                                                                           client):
    task = _task_on(department, libraries["food"], system_actor)
    obj, result = _negative_result(task, libraries)
    state = PublicityState.objects.get(record_id=result.record_id)
    assert (state.state, state.publish_from, state.publish_until) == ("published", D(2026, 12, 3), D(2027, 3, 2))
    page = client.get(f"/public/subjects/{obj.subject_id}/").content.decode()
    assert "抽查检查结果信息" in page and "过期食品未下架，已责令改正" in page and "发现问题已责令改正" in page
    assert "检查员" not in page  # the public fields never name the inspectors
    with clock.pinned(D(2027, 3, 3)):
        publicity_tick(actor=system_actor)
    assert PublicityState.objects.get(record_id=result.record_id).state == "expired"
    assert "过期食品未下架" not in client.get(f"/public/subjects/{obj.subject_id}/").content.decode()


SPOT_CHECK_ITEM = {
    "code": "spot_check_negative", "name_zh": "抽查检查发现问题", "source": "record", "direction": "minus",
    "category": "penalties", "class_codes": ["spot_check_result"], "points": 40, "cap": 80,
    "decay": [{"within_months": 12, "factor": 1.0}], "basis_zh": "市场监管总局令第107号第二条第三款（抽查检查结果负面信息）",
}


@pytest.fixture
def scorecard_reading_spot_checks(tmp_path: Path, monkeypatch):
    """The default scorecard with an item for spot_check_result (the evaluation rulebook gains its own; this copy
    lets the loop be checked whatever points the real item gives)."""
    for path in SCORECARD_DIR.glob("*.yaml"):
        card = yaml.safe_load(path.read_text(encoding="utf-8"))
        # the real item (zibo-v2: −25, a class moves only with more results) is replaced, so one result moves it
        card["items"] = [item for item in card["items"] if "spot_check_result" not in item.get("class_codes", ())]
        card["items"].append(SPOT_CHECK_ITEM)
        (tmp_path / path.name).write_text(yaml.safe_dump(card, allow_unicode=True), encoding="utf-8")
    book = load_scorecards(tmp_path)
    monkeypatch.setattr(evaluation_services, "scorecards", lambda: book)
    return book


def _evaluate(subject: Subject, actor, day: D) -> str:
    with clock.pinned(day):
        run = evaluation_services.evaluation_run_start(actor=actor, as_of=day, subject_ids=[subject.pk],
                                                       enqueue=False)
        evaluation_services.evaluation_run_execute(run_id=run.pk, actor=actor)
    return current_class(subject=subject).class_code


@pytest.mark.django_db
def test_negative_result_becomes_a_record_and_moves_the_evaluation_class_and_the_next_draw(
        city, libraries, department, system_actor, scorecard_reading_spot_checks):
    honest = Subject.objects.get(uscc=uscc(1))
    assert _evaluate(honest, system_actor, D(2026, 11, 20)) == "honest"  # a clean record: 诚信守法
    # a complaint (投诉举报) reaches an honest subject (Zibo item 5: 非请勿扰 does not cover it)
    task = _task_on(department, libraries["food"], system_actor, trigger="complaint",
                    object_filter={"keys": [uscc(1)]}, inspectors=libraries["food_inspectors"][:2])
    assert task.drawn.get().subject_id == honest.pk
    _, result = _negative_result(task, libraries)
    assert CreditRecord.objects.get(pk=result.record_id).class_code == "spot_check_result"
    assert _evaluate(honest, system_actor, D(2026, 12, 3)) == "minor"  # 1000 − 40: 轻微失信
    services.object_library_refresh(actor=system_actor)
    assert InspectionObject.objects.get(key=uscc(1)).class_code == "minor"
    with clock.pinned(D(2026, 12, 3)):
        general = _task_on(department, libraries["food"], system_actor, name="2027年食品经营随机抽查",
                           planned_date="2027-01-05")
    assert uscc(1) in {c["key"] for c in general.candidates}  # no longer left alone by general random tasks


@pytest.mark.django_db
def test_object_library_class_is_the_evaluation_current_class(city, system_actor):
    subject = Subject.objects.get(uscc=uscc(16))
    earlier = current_class(subject=subject)
    newer = EvaluationResult.objects.filter(subject=subject).select_related("run").first()
    run = newer.run
    run.pk, run.as_of, run.period = None, D(2026, 10, 31), "2026-10-31"
    run.save()
    newer.pk, newer.run, newer.class_code, newer.grade = None, run, "minor", "B"
    newer.evaluated_at = clock.now() + dt.timedelta(hours=1)
    newer.save()
    services.object_library_refresh(actor=system_actor)
    assert earlier.class_code == "serious" and current_class(subject=subject).class_code == "minor"
    for obj in InspectionObject.objects.select_related("subject"):
        found = current_class(subject=obj.subject)
        assert obj.class_code == (found.class_code if found else "")
