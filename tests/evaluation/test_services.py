"""Evaluation runs (公共信用综合评价): scoring the city from the database, resuming, repair, the selector."""

from __future__ import annotations

import datetime as dt

import pytest

from pubcredit.audit.models import AuditEvent
from pubcredit.evaluation import selectors, services
from pubcredit.evaluation.choices import RunStatus, RunTrigger
from pubcredit.evaluation.models import EvaluationResult
from pubcredit.records.models import CreditRecord
from pubcredit.rules.errors import DomainError
from tests.factories import uscc

pytestmark = pytest.mark.django_db


def run_now(actor, **kwargs):
    run = services.evaluation_run_start(actor=actor, enqueue=False, **kwargs)
    return services.evaluation_run_execute(run_id=run.pk, actor=actor)


def test_run_grades_every_organisation_and_never_a_natural_person(city, system_actor):
    run = run_now(system_actor)
    assert run.status == RunStatus.DONE and run.total == 3 == run.results.count()
    assert not EvaluationResult.objects.filter(subject__kind="natural_person").exists()
    by = {r.subject.uscc: r for r in run.results.select_related("subject")}
    serious = by[uscc(1)]
    assert (serious.score, serious.grade, serious.class_code) == (780, "D", "serious")
    assert sum(line["points"] for line in serious.items) == serious.score - 1000
    assert by[uscc(3)].grade == "A" and by[uscc(3)].items == []  # the 2023 penalty has decayed away
    listed = by[uscc(2)]
    assert listed.class_code == "serious" and listed.items[0]["item_code"] == "serious_list"
    assert AuditEvent.objects.filter(action__in=["evaluation.start", "evaluation.finish"]).count() == 2


def test_quarterly_run_defaults_to_the_last_quarter_end(city, system_actor):
    run = run_now(system_actor, trigger=RunTrigger.QUARTERLY)
    assert (run.as_of, run.period) == (dt.date(2026, 9, 30), "2026Q3")
    # what the platform knew on 2026-09-30: the records received in November are not in it
    assert {r.grade for r in run.results.all()} == {"A"}


def test_a_killed_run_resumes_without_double_rows(city, system_actor, monkeypatch):
    monkeypatch.setattr(services, "PARTITION_SIZE", 1)
    run = services.evaluation_run_start(actor=system_actor, enqueue=False)

    def killed(done, total):
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        services.evaluation_run_execute(run_id=run.pk, actor=system_actor, progress=killed)
    assert run.results.count() == 2
    finished = services.evaluation_run_execute(run_id=run.pk, actor=system_actor)
    assert finished.status == RunStatus.DONE and finished.results.count() == 3 == finished.done


def test_order_36_art_3_a_repaired_penalty_counts_as_repaired(city, department, system_actor):
    from pubcredit.catalog.registry import get_class
    from pubcredit.publicity.services import publicity_repair
    from pubcredit.records.services import records_submit
    from tests.factories import at, frame, penalty

    # a general penalty (罚款100万元) decided in May: its 3-month minimum has passed, so it can be repaired
    records_submit(info_class=get_class("admin_penalty"), frame=frame([penalty(5, fine_amount="100",
                   penalty_content="罚款100万元", decision_date="2026-05-06", valid_until="2027-05-06")]),
                   department=department, actor=system_actor, received_at=at("2026-11-19"))
    subject = CreditRecord.objects.get(decision_no="淄市监罚〔2026〕5号").subject
    before = run_now(system_actor, subject_ids=[subject.pk]).results.get()
    assert (before.score, before.class_code) == (940, "general")
    publicity_repair(record=CreditRecord.objects.get(subject=subject), actor=system_actor, reason="已履行并整改")
    after = run_now(system_actor, subject_ids=[subject.pk]).results.get()
    assert (after.score, after.grade) == (1000, "A")
    assert after.items[0]["repaired"] is True and "已信用修复" in after.items[0]["note_zh"]


def test_results_are_never_overwritten_and_current_class_reads_the_latest(city, system_actor):
    assert selectors.current_class(subject=city[uscc(1)]) is None
    first = run_now(system_actor, trigger=RunTrigger.QUARTERLY)
    assert selectors.current_class(subject=city[uscc(1)]).grade == "A"
    run_now(system_actor)
    current = selectors.current_class(subject=city[uscc(1)])
    assert (current.grade, current.class_code, current.class_name_zh, current.scorecard_version) == \
        ("D", "serious", "严重失信", "zibo-v2")
    assert first.scorecard_version == "zibo-v1"  # 2026Q3 was scored under the version then in force
    assert first.results.get(subject=city[uscc(1)]).grade == "A"  # the quarter's row stays as it was
    assert selectors.current_class(subject=city["person"]) is None
    # the check API's read by id gives the same (one query of the needed columns)
    assert selectors.current_class_of(subject_id=city[uscc(1)].pk) == current
    assert selectors.current_class_of(subject_id=city["person"].pk) is None


def test_a_future_date_or_an_unknown_version_is_refused(city, system_actor):
    with pytest.raises(DomainError) as exc:
        services.evaluation_run_start(actor=system_actor, as_of=dt.date(2027, 1, 1), enqueue=False)
    assert exc.value.field == "as_of"
    with pytest.raises(DomainError) as exc:
        services.evaluation_run_start(actor=system_actor, version="nope", enqueue=False)
    assert exc.value.field == "version"


def test_run_on_the_worker_reports_progress(city, operator, run_worker, django_capture_on_commit_callbacks):
    from pubcredit.jobs.models import JobProgress

    with django_capture_on_commit_callbacks(execute=True):
        run = services.evaluation_run_start(actor=operator)
    run.refresh_from_db()
    assert run.task_result_id is not None and run.status == RunStatus.QUEUED
    run_worker()
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.results.count() == 3
    progress = JobProgress.objects.get(result_id=run.task_result_id)
    assert (progress.done, progress.total) == (3, 3)


def test_evaluate_command_runs_a_quarter(city, capsys):
    from django.core.management import call_command

    call_command("evaluate", "--all", "--as-of", "2026-11-20")
    assert "3 个主体" in capsys.readouterr().out
