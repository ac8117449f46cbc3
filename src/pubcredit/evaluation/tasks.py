"""The evaluation as background jobs (后台任务) on the django-tasks queue.

- ``evaluate_run``: a run, with progress for the jobs page; resumable (a job handed back after a killed worker skips
  the subjects already scored in its run).
- ``refresh_changed``: the incremental refresh (增量刷新), every ``REFRESH_EVERY``: it re-scores the subjects whose
  records or entries changed, then queues itself again to run a minute later (``run_after``) unless a refresh is
  already waiting. The daily jobs (``jobs.services.DAILY_JOBS``) queue one each business day, which starts the chain
  on a fresh platform and restarts it if it was ever broken; a second chain is never made."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django_tasks import TaskContext, task

from pubcredit.audit.services import SystemActor
from pubcredit.evaluation.services import evaluation_refresh_changed, evaluation_run_execute
from pubcredit.jobs.services import job_progress_set
from pubcredit.rules import clock

REFRESH_EVERY = dt.timedelta(minutes=1)
REFRESH_TASK_PATH = "pubcredit.evaluation.tasks.refresh_changed"


@task(takes_context=True)
def evaluate_run(context: TaskContext, *, run_id: int) -> dict[str, Any]:
    result_id = context.task_result.id

    def progress(done: int, total: int) -> None:
        job_progress_set(result_id=result_id, done=done, total=total, label=f"公共信用综合评价 批次 {run_id}")

    run = evaluation_run_execute(run_id=run_id, actor=SystemActor("worker:evaluation"), progress=progress)
    return {"run": run.pk, "period": run.period, "done": run.done}


def _refresh_waiting() -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=REFRESH_TASK_PATH, status="READY").exists()


@task()
def refresh_changed() -> dict[str, Any]:
    run = evaluation_refresh_changed(actor=SystemActor("worker:evaluation-refresh"))
    if not _refresh_waiting():
        refresh_changed.using(run_after=clock.wall_now() + REFRESH_EVERY).enqueue()  # the queue runs on real time
    return {"run": run.pk if run else None, "written": run.done if run else 0}
