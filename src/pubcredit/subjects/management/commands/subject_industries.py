"""``pubcredit subject_industries FILE --reason R``: set organisations' industry (行业门类) from a registration export.

The file is a CSV (UTF-8, with or without BOM, or GB18030 as Chinese Excel writes it) with a column of unified
social credit codes (统一社会信用代码) and one of industries (行业门类 / 行业代码 / 所属行业: a GB/T 4754-2017
section letter, section name or class code). All or nothing: a bad row refuses the file, every bad row named.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pubcredit.audit.services import SystemActor
from pubcredit.rules.errors import DomainError
from pubcredit.subjects.services import subjects_industry_set

USCC_HEADERS = ("统一社会信用代码", "信用代码", "社会信用代码", "uscc")
INDUSTRY_HEADERS = ("行业门类", "行业代码", "所属行业", "行业", "国民经济行业", "industry")


def _text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def read_rows(path: Path) -> list[dict[str, str]]:
    reader = csv.reader(_text(path).splitlines())
    header = [h.strip() for h in next(reader, [])]
    try:
        uscc = next(header.index(h) for h in USCC_HEADERS if h in header)
        industry = next(header.index(h) for h in INDUSTRY_HEADERS if h in header)
    except StopIteration:
        raise CommandError("文件须有“统一社会信用代码”列和“行业门类”（或“行业代码”“所属行业”）列") from None
    return [{"uscc": cells[uscc] if uscc < len(cells) else "",
             "industry": cells[industry] if industry < len(cells) else ""}
            for cells in reader if any(c.strip() for c in cells)]


class Command(BaseCommand):
    help = "Set organisations' industry (国民经济行业门类, GB/T 4754-2017) from a registration CSV: FILE --reason R"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--reason", required=True, help="where the data comes from (e.g. 市场监管局登记注册信息)")

    def handle(self, *args, **opts):
        try:
            result = subjects_industry_set(rows=read_rows(opts["file"]), reason=opts["reason"],
                                           actor=SystemActor("cli:subject_industries"))
        except DomainError as exc:
            lines = "\n".join(f"  {p.field}: {p.message_zh}" for p in exc.problems)
            raise CommandError(f"未写入任何行业（{len(exc.problems)} 处错误）：\n{lines}") from exc
        self.stdout.write(f"行业已更新 {result.updated} 个主体，未变 {result.unchanged} 个，"
                          f"平台无此主体 {len(result.not_found)} 个")
