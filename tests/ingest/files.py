"""Builders of department files as clerks make them (headers in Chinese, GB18030, title rows…)."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

from tests.factories import penalty

LABELS = {
    "subject_name": "行政相对人名称", "subject_category": "行政相对人类别", "subject_uscc": "统一社会信用代码",
    "legal_rep": "法定代表人", "id_type": "证件类型", "id_number": "证件号码", "decision_no": "行政处罚决定书文号",
    "violation_type": "违法行为类型", "violation_facts": "违法事实", "penalty_basis": "处罚依据",
    "penalty_types": "处罚类别", "penalty_content": "处罚内容", "fine_amount": "罚款金额（万元）",
    "decision_date": "处罚决定日期", "valid_until": "处罚有效期", "authority_name": "处罚机关",
    "authority_uscc": "处罚机关统一社会信用代码", "source_name": "数据来源单位", "source_uscc": "数据来源单位统一社会信用代码",
}


def table(rows: list[dict], labels: dict[str, str] = LABELS) -> list[list]:
    return [list(labels.values()), *[[r.get(k) for k in labels] for r in rows]]


def write_csv(path: Path, rows: list[list], encoding: str = "gb18030", title_rows: tuple[str, ...] = ()) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        for title in title_rows:
            writer.writerow([title])
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def penalties(n: int, start: int = 1, **overrides) -> list[dict]:
    return [penalty(i, **overrides) for i in range(start, start + n)]


# --- hand-built workbooks (issue 19): what a careless or hostile file holds, written part by part with zipfile -----

_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>'),
}


def write_sparse_xlsx(path: Path, cells: dict[str, str], *, dimension: str | None = None,
                      extra_parts: dict[str, bytes] | None = None) -> Path:
    """A minimal workbook whose first sheet holds just ``cells`` ({"A1": "text", "XFD1048576": "x"}), as inline
    strings; ``dimension`` writes a ``<dimension ref>`` (a file may declare any range)."""
    import re
    import zipfile
    from xml.sax.saxutils import escape

    rows: dict[int, list[tuple[str, str]]] = {}
    for ref, value in cells.items():
        rows.setdefault(int(re.sub(r"[A-Z]", "", ref)), []).append((ref, value))
    body = "".join(f'<row r="{r}">' + "".join(f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
                                             for ref, v in row) + "</row>" for r, row in sorted(rows.items()))
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             + (f'<dimension ref="{dimension}"/>' if dimension else "") + f"<sheetData>{body}</sheetData></worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in _XLSX_PARTS.items():
            book.writestr(name, text)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra_parts or {}).items():
            book.writestr(name, data)
    return path
