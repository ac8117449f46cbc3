"""The evaluation run as a background job (后台任务) on the django-tasks queue, with progress for the jobs page.

Resumable: a job handed back after a killed worker skips the subjects already scored in its run."""

from __future__ import annotations

from typing import Any

from django_tasks import TaskContext, task

from pubcredit.audit.services import SystemActor
from pubcredit.evaluation.services import evaluation_run_execute
from pubcredit.jobs.services import job_progress_set


@task(takes_context=True)
def evaluate_run(context: TaskContext, *, run_id: int) -> dict[str, Any]:
    result_id = context.task_result.id

    def progress(done: int, total: int) -> None:
        job_progress_set(result_id=result_id, done=done, total=total, label=f"公共信用综合评价 批次 {run_id}")

    run = evaluation_run_execute(run_id=run_id, actor=SystemActor("worker:evaluation"), progress=progress)
    return {"run": run.pk, "period": run.period, "done": run.done}
