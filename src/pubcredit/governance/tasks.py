"""The governance part of the daily jobs (部门考核日计算), enqueued by the worker once per business day
(``jobs.services.DAILY_JOBS``); idempotent: a re-run recomputes the open month and never touches a frozen one."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from pubcredit.audit.services import SystemActor
from pubcredit.governance.services import scorecards_compute
from pubcredit.rules import clock


@task()
def governance_daily() -> dict[str, Any]:
    return scorecards_compute(today=clock.today(), actor=SystemActor("worker:governance_daily")).as_dict()
