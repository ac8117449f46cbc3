"""The draw as a background job (后台任务) with progress; a job run twice draws once."""

from __future__ import annotations

from typing import Any

from django_tasks import TaskContext, task

from pubcredit.audit.services import SystemActor
from pubcredit.jobs.services import job_progress_set
from pubcredit.rules.errors import DomainError
from pubcredit.supervision.services import task_draw_execute


@task(takes_context=True)
def draw_task(context: TaskContext, *, task_id: int) -> dict[str, Any]:
    result_id = context.task_result.id

    def progress(done: int, total: int) -> None:
        job_progress_set(result_id=result_id, done=done, total=total, label=f"双随机抽取 任务 {task_id}")

    try:
        task = task_draw_execute(task_id=task_id, actor=SystemActor("worker:supervision_draw"), progress=progress)
    except DomainError as exc:  # recorded on the task (待抽取, with the reason): not a failed job to re-run
        return {"task": task_id, "drawn": 0, "error": exc.code}
    return {"task": task.pk, "code": task.code, "drawn": task.drawn.count()}


@task()
def refresh_object_library() -> dict[str, Any]:
    """Daily (jobs.services.DAILY_JOBS): the object library follows new subjects, licences and evaluation results."""
    from pubcredit.supervision.services import object_library_refresh

    return {"objects": object_library_refresh(actor=SystemActor("worker:supervision_objects"))}
