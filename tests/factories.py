"""One-line builders of valid submissions (Dispatch-style factories)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pubcredit.rules.identifiers import resident_id_check_char, uscc_check_char

AUTHORITY_USCC = "11370300MB2851234B"


def uscc(n: int, division: str = "370303", registrar: str = "91") -> str:
    first17 = f"{registrar}{division}MA{n:06d}0"
    return first17 + uscc_check_char(first17)


def resident_id(n: int, division: str = "370303", born: str = "19900101") -> str:
    first17 = f"{division}{born}{n:03d}"
    return first17 + resident_id_check_char(first17)


def penalty(n: int = 1, **overrides) -> dict[str, str | None]:
    row = {
        "subject_name": f"淄博测试化工有限公司{n}", "subject_category": "法人及非法人组织", "subject_uscc": uscc(n),
        "legal_rep": "王伟", "decision_no": f"淄市监罚〔2026〕{n}号", "violation_type": "销售不合格产品",
        "violation_facts": "经查，当事人销售不合格产品。", "penalty_basis": "《中华人民共和国产品质量法》第四十九条",
        "penalty_types": "罚款", "penalty_content": "罚款1万元", "fine_amount": "1",
        "decision_date": "2026-11-16", "valid_until": "2027-11-16", "authority_name": "淄博市市场监督管理局",
        "authority_uscc": AUTHORITY_USCC, "source_name": "淄博市市场监督管理局", "source_uscc": AUTHORITY_USCC,
    }
    row.update(overrides)
    return row


def person_penalty(n: int = 1, **overrides) -> dict[str, str | None]:
    person = {"subject_name": "张三", "subject_category": "自然人", "subject_uscc": None, "legal_rep": None,
              "id_type": "身份证", "id_number": resident_id(n)}
    return penalty(n, **(person | overrides))


def frame(rows: list[dict]) -> pl.DataFrame:
    keys = sorted({k for r in rows for k in r})
    return pl.DataFrame([{k: r.get(k) for k in keys} for r in rows], schema={k: pl.String for k in keys})


def at(day: str, hour: int = 10) -> dt.datetime:
    from pubcredit.rules.clock import PLATFORM_TZ

    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), PLATFORM_TZ)
