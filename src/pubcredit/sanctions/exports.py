"""The batch screening result as a file (批量核查结果下载): CSV (UTF-8 with BOM, for Excel) or XLSX.

One row per input row, in the file's order: the caller's reference, the subject as found (identity numbers masked),
the verdict (命中 / 未命中 / 无法核查), the lists hit with their terms, the measures with force and legal basis, the
check id to replay, and (last, so that earlier columns keep their places) the evaluation grade with the measures it
triggered (综合评价等级触发措施). Cells are neutralised against formula injection like the collection exports.
"""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from pubcredit.ingest.exports import CSV_TYPE, XLSX_TYPE, neutralise
from pubcredit.rules.errors import DomainError
from pubcredit.sanctions.models import CheckBatch
from pubcredit.sanctions.selectors import batch_rows

HEADERS = ["行号", "业务编号", "主体名称", "主体代码", "核查结果", "命中名单", "适用措施", "核查编号", "说明",
           "综合评价等级触发措施"]
FORCE = {"M": "强制", "D": "参考", "C": "依法适用"}


def _measure_cell(m: dict) -> str:
    """``名称【惩戒·强制·待核实】适用条件：…；依据：…`` (the applies label and condition from issue 11 on)."""
    tags = ["惩戒" if m["kind"] == "punish" else "激励", FORCE.get(m.get("force", ""), "")]
    if m.get("applies") == "verify":
        tags.append("待核实")
    if m.get("information"):
        tags.append("信息提示")
    condition = f"适用条件：{m['condition_zh']}；" if m.get("condition_zh") else ""
    return f"{m['name']}【{'·'.join(tags)}】{condition}依据：{m['legal_basis']}"


def grade_cell(grade_hit: dict | None) -> str:
    """``等级D（严重失信，评价基准日2026-09-30，模型zibo-v2）：措施…`` or "" when no grade measure was answered."""
    if not grade_hit:
        return ""
    head = (f"等级{grade_hit['grade']}（{grade_hit['class_name_zh']}，评价基准日{grade_hit['as_of']}，"
            f"模型{grade_hit['model_version']}）")
    return f"{head}：{'；'.join(_measure_cell(m) for m in grade_hit['measures'])}"


def _cells(row: dict) -> list[str]:
    if row["error"]:
        return [str(row["row"]), row["reference"], "", "", "无法核查", "", "", "", row["error"]["message"], ""]
    subject = row["subject"]
    lists = "；".join(f"{h.get('list_name', h['list_code'])}（{h['since']}至{h['until'] or '移出为止'}）" for h in row["hits"])
    measures = "；".join(_measure_cell(m) for h in row["hits"] for m in h["measures"])
    verdict = "命中" if row["hits"] else "未命中"
    note = "" if subject["found"] else "平台无该主体信息"
    return [str(row["row"]), row["reference"], subject["name"] or "", subject["code"], verdict, lists, measures,
            row["check_id"], note, grade_cell(row.get("grade_hit"))]


def batch_result_response(batch: CheckBatch, fmt: str) -> HttpResponse:
    rows = [_cells(r) for r in batch_rows(batch)]
    name = f"check-batch-{batch.pk}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADERS)
        for row in rows:
            writer.writerow([neutralise(c) for c in row])
        response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type=CSV_TYPE)
    elif fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.title = "核查结果"
        sheet.append(HEADERS)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([neutralise(c) for c in row])
        for letter, width in zip("ABCDEFGHIJ", (6, 18, 28, 22, 10, 40, 60, 38, 20, 60), strict=True):
            sheet.column_dimensions[letter].width = width
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    else:
        raise DomainError("check.format", "format 须为 csv 或 xlsx", "format must be csv or xlsx", "format")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
