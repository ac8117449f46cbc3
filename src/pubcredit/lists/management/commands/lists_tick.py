"""``pubcredit lists_tick``: the daily list job (名单期满移出). Idempotent; catches up after missed days.

``pubcredit tick`` (the shared daily job) should call :func:`pubcredit.lists.services.lists_expire_due` too; this
command runs the list part alone (e.g. after a rulebook change or for a drill with ``PUBCREDIT_TODAY``).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand
from rich.console import Console

from pubcredit.audit.services import SystemActor
from pubcredit.lists.services import lists_expire_due
from pubcredit.rules import clock


class Command(BaseCommand):
    help = ("Remove list entries whose term ended before today as expired (on the day after their last day, so a "
            "missed day is caught up with the real dates). Safe to run twice. Prints the counts as JSON.")

    def handle(self, *args, **options):
        console = Console(stderr=True)
        with console.status(f"名单期满移出 {clock.today().isoformat()}"):
            result = lists_expire_due(today=clock.today(), actor=SystemActor("cli:lists_tick"))
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
