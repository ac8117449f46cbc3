"""Builders for the 信易贷 tests: monthly payment rows and a submit helper through the normal records service."""

from __future__ import annotations

from pubcredit.catalog.registry import get_class
from pubcredit.records.services import records_submit
from pubcredit.rules import clock
from tests.factories import AUTHORITY_USCC, at, frame, uscc


def social_insurance_row(n: int, month: int, status: str = "正常", **overrides) -> dict[str, str | None]:
    """社会保险缴费状态 of 淄博测试化工有限公司n (the subject of ``penalty(n)``) for a month of 2026."""
    row = {
        "subject_name": f"淄博测试化工有限公司{n}", "subject_category": "法人及非法人组织", "subject_uscc": uscc(n),
        "decision_no": f"SB-2026{month:02d}-{n}", "decision_date": f"2026-{month:02d}-28", "payment_status": status,
        "insured_count": "12", "amount_due": "36000", "amount_paid": "36000" if status == "正常" else "0",
        "source_name": "淄博市社会保险事业中心", "source_uscc": AUTHORITY_USCC,
    }
    row.update(overrides)
    return row


def utility_row(n: int, month: int, utility: str = "电费", status: str = "正常") -> dict[str, str | None]:
    return {
        "subject_name": f"淄博测试化工有限公司{n}", "subject_category": "法人及非法人组织", "subject_uscc": uscc(n),
        "decision_no": f"DF-2026{month:02d}-{n}", "decision_date": f"2026-{month:02d}-30", "utility_type": utility,
        "payment_status": status, "amount_due": "5200", "source_name": "国网淄博供电公司", "source_uscc": AUTHORITY_USCC,
    }


def submit(class_code: str, rows: list[dict], department, actor, when: str = "2026-11-18"):
    with clock.pinned(at(when).date()):
        result = records_submit(info_class=get_class(class_code), frame=frame(rows), department=department,
                                actor=actor, received_at=at(when))
    assert result.rejected == [], result.rejected
    return result
