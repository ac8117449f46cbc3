"""``pubcredit evaluate --all``: a quarterly run (公共信用综合评价) of every organisation, in this process.

``--as-of`` picks the evaluation date (default: the last quarter end), ``--model-version`` replays a scorecard version,
``--resume RUN`` finishes a run that was stopped, ``--queue`` hands the run to the worker instead."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from pubcredit.audit.services import SystemActor
from pubcredit.evaluation.choices import RunTrigger
from pubcredit.evaluation.services import evaluation_run_execute, evaluation_run_start
from pubcredit.rules.errors import DomainError


class Command(BaseCommand):
    help = "公共信用综合评价：对全部法人和非法人组织评分、分级（默认上一季度末）"

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="评价全部主体（季度评价）")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, help="评价基准日 YYYY-MM-DD")
        parser.add_argument("--model-version", dest="model_version", help="评价模型版本（回放）")
        parser.add_argument("--resume", type=int, help="继续执行已中断的评价批次")
        parser.add_argument("--queue", action="store_true", help="交给后台工作进程执行")

    def handle(self, *args, **opts):
        actor = SystemActor("cli:evaluate")
        if opts["resume"]:
            run_id = opts["resume"]
        elif opts["all"]:
            try:
                run = evaluation_run_start(actor=actor, trigger=RunTrigger.QUARTERLY, as_of=opts["as_of"],
                                           version=opts["model_version"], enqueue=opts["queue"])
            except DomainError as exc:
                raise CommandError(exc.message_zh) from None
            run_id = run.pk
            if opts["queue"]:
                self.stdout.write(f"评价批次 {run_id} 已交给后台工作进程")
                return
        else:
            raise CommandError("请指定 --all 或 --resume")

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  {done}/{total}")

        run = evaluation_run_execute(run_id=run_id, actor=actor, progress=progress)
        self.stdout.write(f"评价批次 {run.pk}（{run.period}，模型 {run.scorecard_version}）：{run.done} 个主体")
