"""Catalogue test factories: valid identifiers and complete rows for both 双公示 classes."""

from __future__ import annotations

import datetime as dt

from pubcredit.rules.identifiers import uscc_check_char

TODAY = dt.date(2026, 11, 20)
AUTHORITY_USCC = "11370300MB2851234B"  # 淄博市市场监督管理局 (the suite's department)
SUBJECT_USCC = "91370303MA3C00003D"  # constructed Zibo sample (rules.md §10.1)
RESIDENT_ID = "370303199001010017"  # constructed Zibo sample (rules.md §10.2)


def with_check(first17: str) -> str:
    """A USCC completed with its GB 32100 check character."""
    return first17 + uscc_check_char(first17)


def make_uscc(n: int) -> str:
    """A valid USCC numbered n (Zibo 张店, market-regulation enterprise)."""
    return with_check(f"91370303{n:09d}")


def penalty_row(**overrides) -> dict[str, str | None]:
    """A complete, valid 行政处罚 row for a legal person (cells as a clerk would type them)."""
    row = {
        "subject_name": "淄博某某化工有限公司",
        "subject_category": "法人及非法人组织",
        "subject_uscc": SUBJECT_USCC,
        "legal_rep": "张三",
        "decision_no": "淄市监罚〔2026〕101号",
        "violation_type": "未按规定公示年度报告",
        "violation_facts": "当事人未按规定公示2025年度报告。",
        "penalty_basis": "《企业信息公示暂行条例》第十八条",
        "penalty_types": "警告；罚款",
        "penalty_content": "警告，罚款人民币5000元。",
        "fine_amount": "0.5",
        "decision_date": "2026-03-01",
        "valid_until": "2027-03-01",
        "authority_name": "淄博市市场监督管理局",
        "authority_uscc": AUTHORITY_USCC,
        "source_name": "淄博市市场监督管理局",
        "source_uscc": AUTHORITY_USCC,
    }
    row.update(overrides)
    return row


def license_row(**overrides) -> dict[str, str | None]:
    """A complete, valid 行政许可 row for a legal person."""
    row = {
        "subject_name": "淄博某某食品有限公司",
        "subject_category": "法人及非法人组织",
        "subject_uscc": SUBJECT_USCC,
        "legal_rep": "李四",
        "license_doc_name": "食品经营许可决定书",
        "decision_no": "淄食许〔2026〕8号",
        "license_category": "普通",
        "certificate_name": "食品经营许可证",
        "license_no": "JY13703030012345",
        "license_content": "预包装食品销售",
        "decision_date": "2026/3/1",
        "valid_from": "2026/3/1",
        "valid_to": "2031/2/28",
        "authority_name": "淄博市行政审批服务局",
        "authority_uscc": AUTHORITY_USCC,
        "status": "有效",
        "source_name": "淄博市行政审批服务局",
        "source_uscc": AUTHORITY_USCC,
    }
    row.update(overrides)
    return row
