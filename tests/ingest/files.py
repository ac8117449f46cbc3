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
