"""Builders of commitments (信用承诺) for the tests."""

from __future__ import annotations

from tests.factories import uscc


def commitment(n: int = 1, **overrides) -> dict[str, str | None]:
    """A 审批替代型 commitment for a food business licence, made on 2026-11-02, verified by 2026-11-30."""
    row = {
        "subject_name": f"淄博承诺测试有限公司{n}", "subject_category": "法人及非法人组织", "subject_uscc": uscc(n),
        "decision_no": f"淄市监承诺〔2026〕{n}号", "commitment_type": "审批替代型", "matter": "食品经营许可",
        "approval_no": f"SP-2026-{n:04d}", "decision_date": "2026-11-02", "verification_date": "2026-11-30",
        "term_end": "2027-11-01",
    }
    row.update(overrides)
    return row
