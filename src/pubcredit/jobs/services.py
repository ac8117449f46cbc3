"""Writes about background jobs: heartbeats, progress, handing back a dead worker's job, daily enqueueing, re-runs.

The task queue is django-tasks with the django-tasks-db backend (``django_tasks_db.DBTaskResult``); its worker loop
claims and runs tasks. What it lacks, and this module adds: a job left "running" by a killed worker goes back to
"ready" (the next worker resumes it: every task is written to be resumable, see docs/architecture.md), daily jobs
enqueued by the platform itself once per business day, and an operator's re-run of a failed job, audited.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.jobs.models import DailyRun, JobProgress, WorkerBeat
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError

# the jobs the platform enqueues itself once per business day: name → (task path, keyword arguments)
DAILY_JOBS: dict[str, tuple[str, dict[str, Any]]] = {
    # 名单期满移出 then 公示状态日常更新, in that order, as ``pubcredit tick`` does
    "tick": ("pubcredit.publicity.tasks.daily_tick", {}),
    # a full sweep of the audit sealer, for a transaction that stayed open longer than the lookback
    "audit_full_seal": ("pubcredit.audit.tasks.seal_audit_chain", {"full": True}),
    "repair_overdue": ("pubcredit.repair.tasks.repair_overdue_digest", {}),  # 信用修复与异议超期提醒 (issue 13)
    # 信用承诺期满 (commitments whose term ended become 已到期)
    "commitments_expire": ("pubcredit.commitments.tasks.commitments_tick", {}),
    "governance_scorecards": ("pubcredit.governance.tasks.governance_daily", {}),  # 部门考核日计算 (issue 20)
    "supervision_objects": ("pubcredit.supervision.tasks.refresh_object_library", {}),  # 检查对象名录库 (issue 15)
    "evaluation_refresh": ("pubcredit.evaluation.tasks.refresh_changed", {}),  # 综合评价增量刷新: starts its 1-min chain
    "finance_national_report": ("pubcredit.finance.tasks.national_report", {}),  # 全国信易贷平台月度报送 (issue 22)
}


# --- actors cross the queue as JSON ------------------------------------------------------------------------------


def actor_for_task(actor: Any) -> dict[str, Any]:
    """What a task needs to act as ``actor`` again in the worker: a user's id or a system actor's label."""
    if isinstance(actor, audit.SystemActor):
        return {"system": actor.label, "department_code": actor.department_code}
    return {"user_id": actor.pk}


def actor_from_task(data: dict[str, Any]) -> Any:
    if "user_id" in data:
        from django.contrib.auth import get_user_model

        return get_user_model().objects.select_related("department").get(pk=data["user_id"])
    return audit.SystemActor(data["system"], data.get("department_code", ""))


# --- progress and heartbeats (technical bookkeeping, not audited) ------------------------------------------------


def job_progress_set(*, result_id: UUID | str, done: int, total: int | None = None, label: str = "") -> None:
    JobProgress.objects.update_or_create(result_id=result_id, defaults={"done": done, "total": total, "label": label})


def worker_beat(*, worker_id: str, started_at: dt.datetime) -> None:
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={
        "host": socket.gethostname()[:255], "pid": os.getpid(), "started_at": started_at, "seen_at": clock.wall_now()})


def worker_gone(*, worker_id: str) -> None:
    """A worker stopping cleanly says so, so its jobs need not wait for the stale limit."""
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


# --- recovery, scheduling, re-runs -------------------------------------------------------------------------------


def jobs_requeue_orphaned(*, actor: Any, own_worker_id: str = "") -> int:
    """Put back to "ready" every running job whose worker has not beaten for ``PUBCREDIT_WORKER_STALE_AFTER`` s.

    ``own_worker_id``: the asking worker is alive whatever its heartbeat row says (on SQLite a long write of its own
    job can delay the beat), so it never hands back its own job.

    The next worker to claim it runs the task again from the start; tasks resume their own work (an import from
    its last committed chunk, a tick from the stored dates), so the job finishes once.
    """
    alive = set(WorkerBeat.objects.filter(
        seen_at__gte=clock.wall_now() - dt.timedelta(seconds=settings.PUBCREDIT_WORKER_STALE_AFTER))
        .values_list("worker_id", flat=True)) | {own_worker_id}
    requeued = 0
    for result in DBTaskResult.objects.running().only("id", "worker_ids", "task_path", "started_at"):
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        with transaction.atomic():
            # only if it is still the same run: not requeued by another worker meanwhile, nor claimed again since
            # (a claim sets a new start time), so a job is never taken from the live worker now running it
            same_run = DBTaskResult.objects.filter(pk=result.pk, status="RUNNING", started_at=result.started_at)
            if same_run.update(status="READY", started_at=None):
                audit.record(Event.JOB_REQUEUED, actor=actor, object_type="job", object_id=result.pk,
                             reason=f"工作进程 {result.worker_ids[-1] if result.worker_ids else '?'} 已停止，任务重新排队",
                             data={"task": result.task_path, "workers": result.worker_ids})
                requeued += 1
    return requeued


def _daily_due_at() -> dt.time | None:
    if settings.PUBCREDIT_DAILY_JOBS_AT in ("", "off"):
        return None
    hour, minute = (int(part) for part in settings.PUBCREDIT_DAILY_JOBS_AT.split(":"))
    return dt.time(hour, minute)


def daily_jobs_enqueue_due(*, actor: Any) -> list[str]:
    """Enqueue each daily job not yet enqueued for today's business day, once the day's start time has passed.

    Idempotent across workers and restarts: the (job, day) pair is unique. A day the platform was down is not
    replayed: each daily job catches up by itself (the stored dates say what is due).
    """
    now, due_at = clock.now(), _daily_due_at()
    if due_at is None or now.timetz().replace(tzinfo=None) < due_at:
        return []
    day = now.date()
    enqueued = []
    for name, (task_path, kwargs) in DAILY_JOBS.items():
        if DailyRun.objects.filter(job=name, day=day).exists():
            continue
        try:
            with transaction.atomic():
                result = import_string(task_path).enqueue(**kwargs)
                DailyRun.objects.create(job=name, day=day, result_id=result.id)
        except IntegrityError:  # another worker enqueued it first; its queue row went with our rollback
            continue
        enqueued.append(name)
    return enqueued


def job_rerun(*, result_id: UUID | str, actor: Any, reason: str = "") -> Any:
    """Run a failed job again with the same arguments (重新执行); the new run is a new queue entry. Audited."""
    try:
        failed = DBTaskResult.objects.get(pk=result_id)
    except (DBTaskResult.DoesNotExist, ValueError, DomainError):
        raise DomainError("job.not_found", "任务不存在", "no such job", "job") from None
    if failed.status != "FAILED":
        raise DomainError("job.not_failed", "只有失败的任务可以重新执行", "only a failed job can be run again", "job")
    with transaction.atomic():
        args_kwargs = failed.args_kwargs
        new = failed.task.using(priority=failed.priority, queue_name=failed.queue_name).enqueue(
            *args_kwargs["args"], **args_kwargs["kwargs"])
        audit.record(Event.JOB_RERUN, actor=actor, object_type="job", object_id=new.id,
                     reason=reason or "操作员重新执行失败的任务",
                     data={"task": failed.task_path, "failed": str(failed.pk)})
    return new
