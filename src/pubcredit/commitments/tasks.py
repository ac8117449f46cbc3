"""The commitments part of the daily jobs (承诺期满), enqueued by the worker once per business day
(``jobs.services.DAILY_JOBS``); idempotent, so a re-run or a catch-up after missed days changes nothing twice."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from pubcredit.audit.services import SystemActor
from pubcredit.commitments.services import commitments_expire_due
from pubcredit.rules import clock


@task()
def commitments_tick() -> dict[str, Any]:
    return commitments_expire_due(today=clock.today(), actor=SystemActor("worker:commitments_tick")).as_dict()
