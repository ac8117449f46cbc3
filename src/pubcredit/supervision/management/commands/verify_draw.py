"""``pubcredit verify_draw TASK`` or ``--file draw.json``: recompute a published draw (一公开) and say whether it
matches; exit status 1 when it does not."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from pubcredit.supervision import selectors


class Command(BaseCommand):
    help = "Recompute a published random-inspection draw and check its commitment, list hash and drawn list"

    def add_arguments(self, parser):
        parser.add_argument("task", nargs="?", help="task code, e.g. SJ20260001")
        parser.add_argument("--file", help="a downloaded draw.json (from the public page) instead of the database")

    def handle(self, *args, **options):
        if options["file"]:
            try:
                with open(options["file"], encoding="utf-8") as fh:
                    data = json.load(fh)
            except (OSError, ValueError) as exc:
                raise CommandError(f"无法读取 {options['file']}: {exc}") from exc
        elif options["task"]:
            task = selectors.public_task(options["task"])
            if task is None:
                raise CommandError(f"没有已公布的抽查任务 {options['task']}")
            data = selectors.published_draw(task)
        else:
            raise CommandError("请给出任务编号或 --file")
        result = selectors.verify_published(data)
        for name, ok, detail in result.checks:
            self.stdout.write(f"{'✓' if ok else '✗'} {name}  {detail}")
        if not result.matches:
            self.stdout.write("不一致：该抽取结果不能由公布的数据重现 (does not match)")
            raise SystemExit(1)
        self.stdout.write(f"一致：{data.get('task')} 的抽取结果可由公布的数据重现 (matches)")
