"""``pubcredit tick``: the daily publicity job (公示状态日常更新). Idempotent; catches up after missed days."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn

from pubcredit.audit.services import SystemActor
from pubcredit.publicity.services import publicity_tick
from pubcredit.lists.services import lists_expire_due
from pubcredit.rules import clock

_LABELS = {"assess": "评估公示期限", "due": "开始公示", "expire": "期满停止公示", "archive": "归档"}


class Command(BaseCommand):
    help = ("Daily publicity job: assess records missing or stale, then move pending → published → expired → "
            "archived as the stored dates say on today's date. Safe to run twice; a missed day is caught up.")

    def add_arguments(self, parser):
        parser.add_argument("--reassess-all", action="store_true",
                            help="re-assess every record (done automatically when the rulebook files changed)")

    def handle(self, *args, reassess_all=False, **options):
        console = Console(stderr=True)
        actor = SystemActor("cli:tick")
        counts: dict[str, int] = {}
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True) as bar:
            task = bar.add_task(f"公示日常任务 {clock.today().isoformat()}")

            def progress(stage: str, n: int) -> None:
                counts[stage] = counts.get(stage, 0) + n
                bar.update(task, description=f"{_LABELS.get(stage, stage)}：{counts[stage]}")

            # lists first: an entry that ends today stops before publicity is recomputed (idempotent, catches up)
            lists = lists_expire_due(today=clock.today(), actor=actor)
            result = publicity_tick(actor=actor, reassess_all=reassess_all, progress=progress)
        summary = ", ".join(f"{k}={v}" for k, v in sorted(result.as_dict().items()))
        self.stdout.write(f"tick {result.day.isoformat()}: {summary}")
        self.stdout.write(f"lists: {lists}")
        if result.schedule_missing:
            years = "、".join(str(y) for y in result.schedule_missing)
            self.stdout.write(f"calendar: {years}年节假日安排尚未载入，跨入该年的期限按对当事人最有利的方式暂定计算，"
                              f"请尽快载入（pubcredit load_calendar 或 工作日历页面） / holiday schedule missing for "
                              f"{years}: deadlines into it are provisional, load it")
