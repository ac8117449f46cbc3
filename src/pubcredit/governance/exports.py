"""The monthly dispatch report (调度通报) as XLSX (openpyxl) and as PDF (WeasyPrint, with the reports app's font
stack and A4 page rules): the task ledger with each task's status, overdue flag and the month's progress, the linked
platform figures city-wide, and the department scorecards. Both files come from one ``dispatch_data``, built from
the same selectors as the pages, so the files and the screen never disagree."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from pubcredit.governance.selectors import month_board, task_rows
from pubcredit.rules import clock

RED = PatternFill("solid", fgColor="FDE2E1")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TASK_HEADERS = ["编号", "任务", "牵头单位", "配合单位", "完成时限", "调度周期", "状态", "是否逾期", "逾期说明", "本月进展",
                "关联平台指标（全市本月）"]


def _pct(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def dispatch_data(*, viewer, month: dt.date) -> dict[str, Any]:
    board = month_board(viewer=viewer, month=month)
    city = {c.key: c for c in board.city.cells} if board.city else {}
    tasks = []
    for row in task_rows(month=month):
        task = row.task
        tasks.append({"overdue": row.overdue, "cells": [
            task.code, task.title, "、".join(task.lead_units), "、".join(task.co_units),
            task.deadline.isoformat() if task.deadline else "—", row.recurrence_zh, row.status_zh,
            "逾期" if row.overdue else "否", row.overdue_reason,
            f"{row.latest.unit}：{row.latest.text}" if row.latest else "未报送",
            "；".join(f"{city[k].name_zh} {_pct(city[k].value)}" if k in city else k for k in task.indicators)]})
    cards = [{"name": row.name, "score": row.score if row.score is not None else "无数据",
              "cells": [(f"{_pct(c.value)}（{c.failing}/{c.total}）" if c.total else "无数据", c.status == "red")
                        for c in row.cells]}
             for row in [*board.departments, *board.districts, *([board.city] if board.city else [])]]
    return {"title": f"淄博市社会信用体系建设任务调度通报（{month:%Y年%m月}）", "month": month,
            "note": f"依据：淄政办字〔2021〕31号；生成日期：{clock.today().isoformat()}；"
                    f"考核表{'已冻结' if board.frozen else '为本月截至当日的数据'}",
            "task_headers": TASK_HEADERS, "tasks": tasks, "figure_names": [n for _, n in board.figure_names],
            "cards": cards, "overdue": sum(t["overdue"] for t in tasks)}


def dispatch_workbook(*, viewer, month: dt.date) -> bytes:
    data = dispatch_data(viewer=viewer, month=month)
    book = Workbook()
    sheet = book.active
    sheet.title = "任务调度"
    sheet.append([data["title"]])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([data["note"]])
    sheet.append(data["task_headers"])
    for cell in sheet[3]:
        cell.font = BOLD
    for task in data["tasks"]:
        sheet.append(task["cells"])
        if task["overdue"]:
            for cell in sheet[sheet.max_row]:
                cell.fill = RED
    for column, width in zip("ABCDEFGHIJK", (6, 28, 22, 30, 12, 10, 8, 8, 30, 40, 40)):
        sheet.column_dimensions[column].width = width
    for line in sheet.iter_rows(min_row=4):
        for cell in line:
            cell.alignment = WRAP

    ranking = book.create_sheet("部门考核")
    ranking.append(["部门", "得分", *data["figure_names"]])
    for cell in ranking[1]:
        cell.font = BOLD
    for card in data["cards"]:
        ranking.append([card["name"], card["score"], *[text for text, _ in card["cells"]]])
        for cell, (_, red) in zip(ranking[ranking.max_row][2:], card["cells"]):
            if red:
                cell.fill = RED
    ranking.column_dimensions["A"].width = 28
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def dispatch_pdf(*, viewer, month: dt.date) -> bytes:
    """The same report as a PDF: WeasyPrint with the reports app's font stack (the CJK font embedded)."""
    from weasyprint import HTML

    from pubcredit.reports.render import FONT_FAMILY

    html = render_to_string("governance/dispatch_print.html", {**dispatch_data(viewer=viewer, month=month),
                                                               "font_family": FONT_FAMILY})
    return HTML(string=html).write_pdf()
