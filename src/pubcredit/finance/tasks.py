"""The 信易贷 part of the daily jobs (``jobs.services.DAILY_JOBS``): the monthly report to the national 信易贷
platform, sent once the month is over and tried again each day until the platform accepts it."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from pubcredit.audit.services import SystemActor
from pubcredit.finance.services import national_report_due
from pubcredit.rules import clock


@task()
def national_report() -> dict[str, Any]:
    return national_report_due(today=clock.today(), actor=SystemActor("worker:national_xinyidai_report"))
