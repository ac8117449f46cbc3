"""Rejected rows as files a clerk can fix and send again (退回数据下载): CSV and XLSX.

One table for both formats and both edges (API and console): the row's original cells under the provider's own
headers, then ``原行号`` (the row number in the submitted file) and ``错误原因`` ("字段：原因；字段：原因").

- Identity numbers: a rejected row keeps its cells with identity numbers masked and the clear cells encrypted.
  The export gives the submitting department its own data back in clear (it has to correct it), and writes one
  audit event (查阅自然人信息) naming the batch and how many rows were decrypted.
- Column order: the batch's own header order when the pipeline recorded it (``summary["columns"]``); otherwise
  catalogue field order, then columns the catalogue does not know in the order first seen. (PostgreSQL's jsonb
  does not keep the key order of ``RejectedRow.cells``, so the stored order cannot be trusted across databases.)
- Formula injection (CSV/XLSX injection): any cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return is written with a leading ``'`` so that a spreadsheet shows it as text instead of running it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill

from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.catalog.headers import match_header
from pubcredit.catalog.registry import get_class
from pubcredit.catalog.schema import InfoClass
from pubcredit.ingest.models import Batch, RejectedRow
from pubcredit.rules.errors import DomainError
from pubcredit.subjects import crypto

ROW_HEADER = "原行号"
REASON_HEADER = "错误原因"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# signs a spreadsheet may take for the start of a formula, full-width forms included (an IME types ＝ for =), and the
# blanks it may skip before them (" =1+1" runs in some spreadsheets; U+3000 is the full-width space)
FORMULA_SIGNS = frozenset("=+-@＝＋－＠")
LEADING_BLANKS = " \t\r\n\u3000\u00a0\ufeff"
_HARMLESS = re.compile(r"[+-]|[+-]\d+(?:\.\d+)?")  # a placeholder dash, a signed number
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
_ITERATOR_CHUNK = 2000


def neutralise(value: Any) -> str:
    """A cell as text that no spreadsheet will evaluate: ``=1+1`` → ``'=1+1``; None → ``""``.

    Prefixed: a cell starting with ``= + - @``, a tab or a carriage return, or with any of ``= + - @ ＝ ＋ － ＠``
    after leading blanks (spaces, full-width spaces, tabs, line breaks): `` =1+1`` and ``＝1+1`` too.

    Two things that start with ``-``/``+`` but cannot run are left alone, so that a corrected export reads back as
    it was sent: a lone ``-``/``+`` (a clerk's "nothing here" placeholder) and a plain signed number (``-5``).
    """
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, bool):
        text = "是" if value else "否"
    else:
        text = str(value)
    if _HARMLESS.fullmatch(text):
        return text
    if text.startswith(FORMULA_STARTS) or text.lstrip(LEADING_BLANKS)[:1] in FORMULA_SIGNS:
        return "'" + text
    return text


def _info_class(class_code: str) -> InfoClass | None:
    try:
        return get_class(class_code)
    except DomainError:
        return None


def field_label(info_class: InfoClass | None, key: str | None) -> str:
    """The Chinese label of a field key (``subject_uscc`` → 统一社会信用代码); ``file``/None → 文件."""
    if not key or key == "file":
        return "文件"
    if info_class is not None and key in info_class.fields_by_key:
        return info_class.field(key).label_zh
    return key


def _without_label(message: str, label: str) -> str:
    """``处罚决定日期“2099-01-01”晚于今天`` → ``“2099-01-01”晚于今天`` (the label is said before it)."""
    return message[len(label):].lstrip("：: ") or message if message.startswith(label) else message


def reason_text(errors: Iterable[dict], info_class: InfoClass | None) -> str:
    """``统一社会信用代码：校验位错误；处罚决定日期：不能晚于今天`` (a problem without a field: its message only)."""
    parts = []
    for error in errors:
        message = error.get("message") or error.get("code") or ""
        key = error.get("field")
        label = field_label(info_class, key) if key else ""
        # the plan's messages often start with the field's label already (证件号码：…): say it once
        parts.append(f"{label}：{_without_label(message, label)}" if label else message)
    return "；".join(parts)


def _clear_cells(row: RejectedRow, decrypt: bool) -> dict[str, Any]:
    if decrypt and row.cells_encrypted:
        return json.loads(crypto.decrypt(row.cells_encrypted))
    return row.cells


def columns_for(rows, *, info_class: InfoClass | None, recorded: list[str] | None = None) -> list[str]:
    """The cell columns of an export: the recorded header order when known, else catalogue order (see module)."""
    seen: dict[str, None] = {}
    for cells in rows.values_list("cells", flat=True).iterator(chunk_size=_ITERATOR_CHUNK):
        seen.update(dict.fromkeys(str(k) for k in (cells or {})))
    if recorded:
        return [*[h for h in recorded if h], *[h for h in seen if h not in recorded]]
    if info_class is None:
        return list(seen)
    position = {f.key: i for i, f in enumerate(info_class.fields)}
    unknown = len(position)
    order = {h: i for i, h in enumerate(seen)}
    return sorted(seen, key=lambda h: (position.get(match_header(info_class, h), unknown), order[h]))


def table_rows(rows, *, columns: list[str], info_class: InfoClass | None, decrypt: bool) -> Iterator[list[str]]:
    """Header row, then one neutralised row per rejected row."""
    yield [neutralise(h) for h in (*columns, ROW_HEADER, REASON_HEADER)]
    for row in rows.iterator(chunk_size=_ITERATOR_CHUNK):
        cells = _clear_cells(row, decrypt)
        yield [*(neutralise(cells.get(h)) for h in columns), str(row.row_no),
               neutralise(reason_text(row.errors, info_class))]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_stream(lines: Iterator[list[str]]) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()  # UTF-8 with BOM: Excel on Windows opens it as UTF-8 instead of GBK
    for line in lines:
        yield writer.writerow(line).encode("utf-8")


def _xlsx_bytes(lines: Iterator[list[str]], *, sheet_title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=sheet_title[:31])
    head = next(lines)
    styled = []
    for text in head:
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", text))
        cell.font = Font(bold=True)
        if text == REASON_HEADER:
            cell.fill = PatternFill("solid", fgColor="F8CBAD")
        styled.append(cell)
    sheet.append(styled)
    for line in lines:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) for v in line])  # every value is text, never a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rejections_response(*, batch: Batch, rows, file_format: str, actor: Any, decrypt: bool = True):
    """The rejected rows of ``batch`` as a CSV (streamed, UTF-8 with BOM) or XLSX download.

    ``rows`` is the batch's RejectedRow queryset (see ``selectors.batch_rejections``). When clear identity numbers
    are given back (``decrypt``), one audit event records it.
    """
    if file_format not in FORMATS:
        raise DomainError("export.format", "下载格式只能是 csv 或 xlsx", "format must be csv or xlsx", "format")
    info_class = _info_class(batch.class_code)
    columns = columns_for(rows, info_class=info_class, recorded=batch.summary.get("columns"))
    if decrypt:
        decrypted = rows.exclude(cells_encrypted="").count()
        if decrypted:
            audit.record(Event.NATURAL_PERSON_READ, actor=actor, object_type="batch", object_id=batch.pk,
                         reason="下载退回数据（含证件号码明文）", data={"rows": decrypted, "format": file_format})
    lines = table_rows(rows, columns=columns, info_class=info_class, decrypt=decrypt)
    name = f"batch{batch.pk}_{batch.class_code}_rejections.{file_format}"
    if file_format == "csv":
        response = StreamingHttpResponse(_csv_stream(lines), content_type=CSV_TYPE)
    else:
        response = HttpResponse(_xlsx_bytes(lines, sheet_title=f"退回数据{batch.pk}"), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
