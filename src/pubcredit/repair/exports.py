"""信用修复与异议处理月度统计 as an XLSX file: one row per month and identifying unit (and the city), the figures of
``selectors.repair_figures``. Cells are neutralised against formula injection like the collection exports."""

from __future__ import annotations

import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from pubcredit.ingest.exports import XLSX_TYPE, neutralise

HEADERS = ["月份", "认定单位", "修复申请收到", "修复申请办结", "准予修复", "不予修复", "不予受理", "申请人撤回",
           "办理用时中位数（工作日）", "办理用时P90（工作日）", "按期办结", "有时限办结", "按期办结率",
           "异议收到", "异议办结", "异议成立更正", "异议成立撤销", "异议不成立", "核查用时中位数（工作日）",
           "核查用时P90（工作日）", "异议按期办结率", "当前在办", "当前超期", "期限暂定"]


def _share(value) -> str:
    return f"{value * 100:.1f}%" if value is not None else "—"


def _row(month, unit) -> list:
    a, o = unit.applications, unit.objections
    return [month.strftime("%Y-%m"), unit.department, a.received, a.decided, a.outcomes.get("granted", 0),
            a.outcomes.get("refused", 0), a.outcomes.get("not_accepted", 0), a.withdrawn,
            a.handling_median if a.handling_median is not None else "—",
            a.handling_p90 if a.handling_p90 is not None else "—", a.on_time, a.with_limit, _share(a.on_time_share),
            o.received, o.decided, o.outcomes.get("corrected", 0), o.outcomes.get("withdrawn_record", 0),
            o.outcomes.get("dismissed", 0), o.handling_median if o.handling_median is not None else "—",
            o.handling_p90 if o.handling_p90 is not None else "—", _share(o.on_time_share),
            a.open_now + o.open_now, a.overdue_open + o.overdue_open,
            "是" if (a.provisional or o.provisional) else "否"]


def monthly_xlsx_response(rows, *, name: str) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = "信用修复与异议月度统计"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for month, figures in rows:
        for unit in [*figures.units, figures.city]:
            sheet.append([neutralise(c) if isinstance(c, str) else c for c in _row(month, unit)])
    sheet.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
