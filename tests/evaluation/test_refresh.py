"""Incremental refresh (增量刷新): a subject whose records or list entries change is re-scored by the next refresh
(the worker runs one every minute), with the same result a full run gives on the same data."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pubcredit.audit.models import AuditEvent
from pubcredit.catalog.registry import get_class
from pubcredit.evaluation import selectors, services
from pubcredit.evaluation.choices import RunTrigger
from pubcredit.evaluation.models import EvaluationResult, EvaluationRun
from pubcredit.publicity.services import publicity_repair
from pubcredit.records.models import CreditRecord
from pubcredit.records.services import records_submit
from tests.factories import at, frame, penalty, uscc
from tests.lists.helpers import samr_row, submit_list

pytestmark = pytest.mark.django_db

SERIOUS = {"penalty_types": "吊销许可证件", "penalty_content": "吊销许可证", "fine_amount": None}
GENERAL = {"fine_amount": "100", "penalty_content": "罚款100万元", "decision_date": "2026-05-06",
           "valid_until": "2027-05-06"}  # decided in May: its 3-month minimum has passed, so it can be repaired


def submit(department, actor, rows):
    result = records_submit(info_class=get_class("admin_penalty"), frame=frame(rows), department=department,
                            actor=actor, received_at=at("2026-11-19"))
    assert result.rejected == [], result.rejected


def full_run(actor):
    run = services.evaluation_run_start(actor=actor, enqueue=False)
    return services.evaluation_run_execute(run_id=run.pk, actor=actor)


def test_the_first_refresh_only_sets_its_watermark(city, system_actor):
    assert services.evaluation_refresh_changed(actor=system_actor) is None
    assert not EvaluationResult.objects.exists()


def test_a_new_penalty_then_its_repair_show_in_the_class_at_the_next_refreshes(city, department, system_actor):
    full_run(system_actor)
    services.evaluation_refresh_changed(actor=system_actor)
    submit(department, system_actor, [penalty(3, **GENERAL, decision_no="淄市监罚〔2026〕33号")])
    subject = city[uscc(3)]
    run = services.evaluation_refresh_changed(actor=system_actor)
    assert run.trigger == RunTrigger.INCREMENTAL and run.subject_ids == [subject.pk]
    current = selectors.current_class(subject=subject)
    assert (current.score, current.grade, current.class_code) == (940, "C", "general")
    assert AuditEvent.objects.filter(action="evaluation.refresh", object_id=str(run.pk)).exists()

    record = CreditRecord.objects.get(decision_no="淄市监罚〔2026〕33号")
    publicity_repair(record=record, actor=system_actor, reason="已履行并整改")
    services.evaluation_refresh_changed(actor=system_actor)
    current = selectors.current_class(subject=subject)
    assert (current.score, current.grade) == (1000, "A")


def test_a_new_listing_shows_at_the_next_refresh_and_nothing_new_writes_nothing(city, department, system_actor):
    full_run(system_actor)
    services.evaluation_refresh_changed(actor=system_actor)
    submit_list("samr_serious_violation", [samr_row(3)], department, system_actor, when="2026-11-20")
    services.evaluation_refresh_changed(actor=system_actor)
    assert selectors.current_class(subject=city[uscc(3)]).class_code == "serious"
    rows = EvaluationResult.objects.count()
    # the look-back sees the same changes again: re-scored, equal, no new row and no new run
    assert services.evaluation_refresh_changed(actor=system_actor) is None
    assert EvaluationResult.objects.count() == rows


def test_a_repaired_penalty_seen_again_by_the_look_back_writes_nothing(city, department, system_actor):
    """A repaired line scores −0.0 points, which PostgreSQL's jsonb stores as 0: the next refreshes of the look-back
    (15 minutes) re-score the subject and must find its result unchanged, on either database."""
    full_run(system_actor)
    services.evaluation_refresh_changed(actor=system_actor)
    submit(department, system_actor, [penalty(3, **GENERAL, decision_no="淄市监罚〔2026〕34号")])
    publicity_repair(record=CreditRecord.objects.get(decision_no="淄市监罚〔2026〕34号"), actor=system_actor,
                     reason="已履行并整改")
    run = services.evaluation_refresh_changed(actor=system_actor)
    assert run.subject_ids == [city[uscc(3)].pk]
    rows = EvaluationResult.objects.count()
    assert services.evaluation_refresh_changed(actor=system_actor) is None
    assert EvaluationResult.objects.count() == rows


def test_a_result_that_differs_only_by_the_sign_of_a_zero_is_the_same_result():
    line = {"item_code": "penalty_general", "points": -0.0, "repaired": True, "source_id": 7}

    def result(points):
        return EvaluationResult(as_of=dt.date(2026, 11, 20), scorecard_version="zibo-v2", score=1000, grade="A",
                                class_code="honest", items=[{**line, "points": points}], overrides=[])

    assert services._same_result(result(-0.0), result(0.0))
    assert not services._same_result(result(-0.0), result(-60.0))


def test_the_refresh_job_queues_its_next_round_a_minute_later_and_never_a_second_chain(city, run_worker):
    from django_tasks_db.models import DBTaskResult

    from pubcredit.evaluation.tasks import REFRESH_TASK_PATH, refresh_changed

    refresh_changed.enqueue()
    refresh_changed.enqueue()  # e.g. the daily job while a chain is running
    run_worker()
    waiting = DBTaskResult.objects.filter(task_path=REFRESH_TASK_PATH, status="READY")
    assert waiting.count() == 1
    delay = waiting.get().run_after - DBTaskResult.objects.filter(status="SUCCESSFUL").latest("finished_at").finished_at
    assert dt.timedelta(seconds=50) < delay <= dt.timedelta(minutes=1)


_numbers = itertools.count(100)

change = st.one_of(
    st.tuples(st.just("penalty"), st.integers(0, 2), st.sampled_from(["serious", "general", "minor"])),
    st.tuples(st.just("listing"), st.integers(0, 2), st.just("")),
    st.tuples(st.just("repair"), st.integers(0, 2), st.just("")),
)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@given(changes=st.lists(change, min_size=1, max_size=5))
def test_incremental_refresh_equals_a_full_run_on_the_same_data(city, department, system_actor, changes):
    base = next(_numbers) * 10  # fresh organisations for each example
    full_run(system_actor)
    services.evaluation_refresh_changed(actor=system_actor)
    listed, repairable = set(), {}
    for kind, which, severity in changes:
        n = base + which
        if kind == "penalty":
            extra = {"serious": SERIOUS, "general": GENERAL, "minor": {}}[severity]
            number = f"淄市监罚〔2026〕{next(_numbers)}号"
            submit(department, system_actor, [penalty(n, **extra, decision_no=number)])
            if severity == "general":
                repairable.setdefault(n, []).append(number)
        elif kind == "listing" and n not in listed:
            submit_list("samr_serious_violation", [samr_row(n, decision_no=f"淄市监严〔2026〕{n}号")], department,
                        system_actor, when="2026-11-20")
            listed.add(n)
        elif kind == "repair" and repairable.get(n):
            record = CreditRecord.objects.get(decision_no=repairable[n].pop())
            publicity_repair(record=record, actor=system_actor, reason="已履行并整改")
        services.evaluation_refresh_changed(actor=system_actor)
    full = full_run(system_actor)
    for result in full.results.all():
        latest = EvaluationResult.objects.filter(subject_id=result.subject_id).exclude(run=full) \
            .order_by("-evaluated_at", "-id").first()
        assert latest is not None, result.subject_id
        assert (latest.as_of, latest.score, latest.grade, latest.items, latest.overrides) == \
            (result.as_of, result.score, result.grade, result.items, result.overrides)
    assert EvaluationRun.objects.filter(trigger=RunTrigger.INCREMENTAL).exists()
