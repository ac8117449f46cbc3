"""Reads about background jobs for the console's jobs page (后台任务)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django_tasks_db.models import DBTaskResult

from pubcredit.accounts.access import is_city_operator
from pubcredit.jobs.models import JobProgress

# the queue's states in Chinese (任务状态)
STATUS_ZH = {"READY": "排队中", "RUNNING": "执行中", "SUCCESSFUL": "已完成", "FAILED": "失败"}

# task path → what an operator calls it
TASK_NAMES_ZH = {
    "pubcredit.ingest.tasks.import_file": "文件导入",
    "pubcredit.publicity.tasks.daily_tick": "日常任务（名单期满移出、公示状态更新）",
    "pubcredit.lists.tasks.lists_tick": "名单期满移出",
    "pubcredit.audit.tasks.seal_audit_chain": "审计链封存",
    "pubcredit.evaluation.tasks.evaluate_run": "公共信用综合评价",
    "pubcredit.evaluation.tasks.refresh_changed": "公共信用综合评价增量刷新",
    "pubcredit.finance.tasks.national_report": "全国信易贷平台月度报送",
}


def may_see_jobs(user: Any) -> bool:
    """The jobs page and re-runs are for credit-centre operators (信用中心操作员) only."""
    return bool(getattr(user, "is_authenticated", False) and is_city_operator(user))


@dataclass(frozen=True)
class JobRow:
    result: DBTaskResult
    name_zh: str
    status_zh: str
    progress: JobProgress | None

    rerun: bool = False  # a failed job an operator has already run again (the re-run is its own row)

    @property
    def failed(self) -> bool:
        return self.result.status == "FAILED"


def _rerun_failed_ids() -> set[str]:
    """The failed jobs already run again: ``job_rerun`` keeps the failed row and audits which one it re-ran."""
    from pubcredit.audit.events import Event
    from pubcredit.audit.models import AuditEvent

    return {str(i) for i in AuditEvent.objects.filter(event=Event.JOB_RERUN).values_list("data__failed", flat=True)}


def job_list(*, limit: int = 200, status: str = "") -> list[JobRow]:
    """The newest jobs first, with their state in Chinese and their progress when the task reports one.
    ``status`` (one of ``STATUS_ZH``) keeps only the jobs in that state; anything else lists every job."""
    qs = DBTaskResult.objects.order_by("-enqueued_at")
    if status in STATUS_ZH:
        qs = qs.filter(status=status)
    results = list(qs[:limit])
    progress = {p.result_id: p for p in JobProgress.objects.filter(result_id__in=[r.id for r in results])}
    rerun = _rerun_failed_ids() if any(r.status == "FAILED" for r in results) else set()
    return [JobRow(r, TASK_NAMES_ZH.get(r.task_path, r.task_path), STATUS_ZH.get(r.status, r.status), progress.get(r.id),
                   rerun=str(r.id) in rerun) for r in results]


def failed_awaiting_rerun_count() -> int:
    """Failed jobs nobody has run again yet (the city operator's home counts them)."""
    rerun = _rerun_failed_ids()
    return sum(1 for pk in DBTaskResult.objects.filter(status="FAILED").values_list("id", flat=True)
               if str(pk) not in rerun)
