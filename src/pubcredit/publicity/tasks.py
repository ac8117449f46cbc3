"""The daily job (日常任务), enqueued by ``pubcredit worker`` once per business day (jobs.services.DAILY_JOBS).

Same steps as ``pubcredit tick``: lists first (an entry that ends today stops before publicity is recomputed), then
publicity. Both are idempotent and catch up after missed days, so a run resumed after a killed worker finishes once.
"""

from __future__ import annotations

from typing import Any

from django_tasks import TaskContext, task

from pubcredit.audit.services import SystemActor
from pubcredit.jobs.services import job_progress_set
from pubcredit.lists.services import lists_expire_due
from pubcredit.publicity.services import publicity_tick
from pubcredit.rules import clock


@task(takes_context=True)
def daily_tick(context: TaskContext, *, reassess_all: bool = False) -> dict[str, Any]:
    actor = SystemActor("worker:tick")
    result_id = context.task_result.id
    counts: dict[str, int] = {}

    def progress(stage: str, n: int) -> None:
        counts[stage] = counts.get(stage, 0) + n
        job_progress_set(result_id=result_id, done=sum(counts.values()), label=f"{clock.today().isoformat()} {stage}")

    lists = lists_expire_due(today=clock.today(), actor=actor)
    result = publicity_tick(actor=actor, reassess_all=reassess_all, progress=progress)
    return {"day": result.day.isoformat(), "publicity": result.as_dict(), "lists": lists.as_dict()}
