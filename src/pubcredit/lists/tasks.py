"""The list part of the daily job alone (名单期满移出), for a re-run after a rulebook change; idempotent."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from pubcredit.audit.services import SystemActor
from pubcredit.lists.services import lists_expire_due
from pubcredit.rules import clock


@task()
def lists_tick() -> dict[str, Any]:
    return lists_expire_due(today=clock.today(), actor=SystemActor("worker:lists_tick")).as_dict()
