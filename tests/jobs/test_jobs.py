"""Issue 12 item 2: background jobs on the database queue — uploads, daily jobs, hand-backs, re-runs, the page."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pubcredit.audit.events import Event
from pubcredit.audit.models import AuditEvent
from pubcredit.audit.services import verify_chain
from pubcredit.ingest import views
from pubcredit.ingest.forms import spool_upload
from pubcredit.ingest.models import Batch
from pubcredit.ingest.services import batch_receive_file
from pubcredit.ingest.tasks import import_file
from pubcredit.jobs.models import DailyRun, JobProgress, WorkerBeat
from pubcredit.jobs.services import (actor_for_task, daily_jobs_enqueue_due, job_rerun, jobs_requeue_orphaned,
                                     worker_beat)
from pubcredit.records.models import CreditRecord
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from tests.ingest.files import penalties, table, write_csv

pytestmark = pytest.mark.django_db


def _upload(provider, tmp_path, rows=3):
    path = write_csv(tmp_path / "处罚.csv", table(penalties(rows)))
    saved = spool_upload(SimpleUploadedFile("处罚.csv", path.read_bytes()))
    return saved, views.start_import(path=saved, class_code="admin_penalty", department=provider.department,
                                     actor=provider, filename="处罚.csv")


def test_an_upload_is_a_queued_job_the_worker_imports(provider, tmp_path, today, run_worker):
    saved, batch = _upload(provider, tmp_path)
    assert batch.status == "received" and CreditRecord.objects.count() == 0
    job = DBTaskResult.objects.get()
    assert (job.status, job.task_path) == ("READY", "pubcredit.ingest.tasks.import_file")
    run_worker()
    job.refresh_from_db()
    batch.refresh_from_db()
    assert job.status == "SUCCESSFUL" and job.return_value == {"batch": batch.pk, "status": "done"}
    assert batch.summary["created"] == 3 and CreditRecord.objects.count() == 3
    assert not saved.exists(), "the spooled upload is deleted once imported"
    progress = JobProgress.objects.get(result_id=job.id)
    assert (progress.done, progress.total, progress.percent) == (3, 3, 100) and "处罚.csv" in progress.label
    report = verify_chain()  # the batch run sealed what it wrote
    assert report.ok and report.unsealed == 0 and report.checked == AuditEvent.objects.count()


def test_the_sync_setting_imports_inside_the_request(provider, tmp_path, today, settings):
    settings.PUBCREDIT_IMPORT_SYNC = True
    saved, batch = _upload(provider, tmp_path)
    assert batch.status == "done" and not DBTaskResult.objects.exists() and not saved.exists()


def test_daily_jobs_are_enqueued_once_per_business_day(system_actor, settings, today, run_worker):
    settings.PUBCREDIT_DAILY_JOBS_AT = "00:00"
    assert sorted(daily_jobs_enqueue_due(actor=system_actor)) == ["audit_full_seal", "commitments_expire",
                                                                   "evaluation_refresh", "finance_national_report",
                                                                   "governance_scorecards", "repair_overdue",
                                                                   "supervision_objects", "tick"]
    assert daily_jobs_enqueue_due(actor=system_actor) == []  # a second worker, or the next round: nothing
    assert DBTaskResult.objects.count() == 8
    assert set(DailyRun.objects.values_list("day", flat=True)) == {today}
    run_worker()
    # the evaluation refresh queued its next round a minute later (run_after): waiting, not run
    waiting = DBTaskResult.objects.filter(status="READY")
    assert list(waiting.values_list("task_path", flat=True)) == ["pubcredit.evaluation.tasks.refresh_changed"]
    assert set(DBTaskResult.objects.exclude(pk__in=waiting).values_list("status", flat=True)) == {"SUCCESSFUL"}
    tick = DBTaskResult.objects.get(task_path="pubcredit.publicity.tasks.daily_tick")
    assert tick.return_value["day"] == today.isoformat()


def test_daily_jobs_wait_for_their_time_of_day(system_actor, settings, today):
    now = clock.now()
    later = min(now + dt.timedelta(minutes=5), now.replace(hour=23, minute=59))
    settings.PUBCREDIT_DAILY_JOBS_AT = later.strftime("%H:%M")
    if later.time().replace(second=0, microsecond=0) > now.time():  # not in the day's last minute
        assert daily_jobs_enqueue_due(actor=system_actor) == [] and not DailyRun.objects.exists()
    settings.PUBCREDIT_DAILY_JOBS_AT = now.strftime("%H:%M")
    # tick, audit_full_seal, repair_overdue, commitments_expire, governance_scorecards, supervision_objects,
    # evaluation_refresh, finance_national_report
    assert len(daily_jobs_enqueue_due(actor=system_actor)) == 8


def test_a_dead_workers_running_job_goes_back_to_the_queue_audited(provider, tmp_path, today, system_actor,
                                                                     settings):
    _upload(provider, tmp_path)
    dead, alive = DBTaskResult.objects.get(), None
    DBTaskResult.objects.filter(pk=dead.pk).update(status="RUNNING", worker_ids=["dead-worker"],
                                                   started_at=timezone.now())
    alive = import_file.enqueue(batch_id=Batch.objects.get().pk, path="/nonexistent", actor=actor_for_task(provider))
    DBTaskResult.objects.filter(pk=alive.id).update(status="RUNNING", worker_ids=["live-worker"])
    worker_beat(worker_id="live-worker", started_at=timezone.now())
    WorkerBeat.objects.create(worker_id="dead-worker", pid=1, started_at=timezone.now(),
                              seen_at=timezone.now() - dt.timedelta(seconds=settings.PUBCREDIT_WORKER_STALE_AFTER + 1))
    assert jobs_requeue_orphaned(actor=system_actor) == 1
    assert DBTaskResult.objects.get(pk=dead.pk).status == "READY"
    assert DBTaskResult.objects.get(pk=alive.id).status == "RUNNING"
    event = AuditEvent.objects.get(event=Event.JOB_REQUEUED)
    assert event.object_id == str(dead.pk) and "dead-worker" in event.reason
    assert jobs_requeue_orphaned(actor=system_actor) == 0


def _failed_import(provider, tmp_path, run_worker):
    path = write_csv(tmp_path / "gone.csv", table(penalties(2)))
    batch = batch_receive_file(path=path, class_code="admin_penalty", department=provider.department, actor=provider)
    result = import_file.enqueue(batch_id=batch.pk, path=str(tmp_path / "missing.csv"), actor=actor_for_task(provider))
    run_worker()
    failed = DBTaskResult.objects.get(pk=result.id)
    assert failed.status == "FAILED"
    return failed, path, batch


def test_an_operator_reruns_a_failed_job_audited(provider, operator, tmp_path, today, run_worker):
    failed, path, batch = _failed_import(provider, tmp_path, run_worker)
    # the operator puts the file back where the job expects it, then runs the job again
    (tmp_path / "missing.csv").write_bytes(path.read_bytes())
    rerun = job_rerun(result_id=failed.pk, actor=operator)
    event = AuditEvent.objects.get(event=Event.JOB_RERUN)
    assert (event.object_id, event.actor_label, event.data["failed"]) == (str(rerun.id), "user:operator", str(failed.pk))
    run_worker()
    assert DBTaskResult.objects.get(pk=rerun.id).status == "SUCCESSFUL"
    batch.refresh_from_db()
    assert batch.status == "done" and CreditRecord.objects.count() == 2
    with pytest.raises(DomainError) as refused:
        job_rerun(result_id=rerun.id, actor=operator)
    assert refused.value.code == "job.not_failed"


def test_jobs_page_shows_state_and_lets_only_operators_rerun(client, provider, operator, tmp_path, today,
                                                            run_worker):
    failed, _, _ = _failed_import(provider, tmp_path, run_worker)
    client.force_login(provider)
    assert client.get(reverse("jobs:job_list")).status_code == 403
    assert client.post(reverse("jobs:job_rerun", args=[failed.pk])).status_code == 403
    client.force_login(operator)
    page = client.get(reverse("jobs:job_list")).content.decode()
    assert "文件导入" in page and "失败" in page and f'data-job="{failed.pk}"' in page and "重新执行" in page
    response = client.post(reverse("jobs:job_rerun", args=[failed.pk]), follow=True)
    assert "已重新排队执行" in response.content.decode()
    # the re-run (the evaluation refresh's next round, queued by the daily jobs, waits a minute: not counted)
    assert DBTaskResult.objects.filter(status="READY").exclude(
        task_path="pubcredit.evaluation.tasks.refresh_changed").count() == 1
    assert AuditEvent.objects.filter(event=Event.JOB_RERUN, actor_label="user:operator").count() == 1


def test_city_operator_home_counts_failed_jobs_linking_to_the_failed_ones(client, provider, operator, tmp_path, today,
                                                                          run_worker):
    """Issue 21 item 3: the city operator's inbox counts failed jobs not yet run again; the count links to the jobs
    page filtered to failed ones; once re-run, the job drops out of the count and the page says it was re-run."""
    failed, _, _ = _failed_import(provider, tmp_path, run_worker)
    client.force_login(operator)
    counters = {c.key: c for c in client.get(reverse("console:home")).context["inbox"].counters}
    assert (counters["jobs_failed"].count, counters["jobs_failed"].url) == (1, reverse("jobs:job_list") + "?status=FAILED")
    rerun = job_rerun(result_id=failed.pk, actor=operator)
    page = client.get(counters["jobs_failed"].url).content.decode()
    assert f'data-job="{failed.pk}"' in page and f'data-job="{rerun.id}"' not in page and "已重新执行" in page
    assert f'data-job="{rerun.id}"' in client.get(reverse("jobs:job_list")).content.decode()  # unfiltered: every job
    counters = {c.key: c for c in client.get(reverse("console:home")).context["inbox"].counters}
    assert counters["jobs_failed"].count == 0


def test_a_job_claimed_again_since_it_was_seen_is_not_taken_back(provider, tmp_path, today, system_actor,
                                                                 monkeypatch):
    """Two workers hand back the same dead worker's job; the second one's look is stale: the live claim stays."""
    _upload(provider, tmp_path)
    job = DBTaskResult.objects.get()
    DBTaskResult.objects.filter(pk=job.pk).update(status="RUNNING", worker_ids=["dead-worker"],
                                                  started_at=timezone.now() - dt.timedelta(minutes=5))
    stale_view = list(DBTaskResult.objects.running())  # what the slower worker read before anything happened
    assert jobs_requeue_orphaned(actor=system_actor) == 1  # the faster worker hands it back …
    worker_beat(worker_id="live-worker", started_at=timezone.now())
    DBTaskResult.objects.get(pk=job.pk).claim("live-worker")  # … and a live worker claims it
    monkeypatch.setattr(DBTaskResult.objects, "running", lambda: SimpleNamespace(only=lambda *fields: stale_view))
    assert jobs_requeue_orphaned(actor=system_actor) == 0
    assert DBTaskResult.objects.get(pk=job.pk).status == "RUNNING"
