"""One-line builders of list-class submissions and a submit helper that derives the list entries, as the collection
pipeline will (records first, then ``list_entries_sync``)."""

from __future__ import annotations

from pubcredit.catalog.registry import get_class
from pubcredit.lists.services import list_entries_sync
from pubcredit.records.services import records_submit
from pubcredit.rules import clock
from tests.factories import AUTHORITY_USCC, at, frame, resident_id, uscc

COURT_USCC = "11370300MB2851234B"  # a valid code standing in for the court's


def court_row(n: int = 1, **overrides) -> dict[str, str | None]:
    """失信被执行人 (an organisation), ground 2 (obstructing execution): a 2-year term from the decision."""
    row = {
        "subject_name": f"淄博失信测试有限公司{n}", "subject_category": "法人及非法人组织", "subject_uscc": uscc(n),
        "legal_rep": "李强", "case_no": f"（2026）鲁0303执{n}号", "court_name": "淄博市张店区人民法院",
        "basis_doc_no": f"（2025）鲁0303民初{n}号", "filing_date": "2026-01-05", "obligation": "支付货款10万元",
        "performance": "全部未履行", "dishonest_conduct": "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
        "decision_no": f"（2026）鲁0303执{n}号之一", "decision_date": "2026-11-16",
        "identifying_unit": "淄博市张店区人民法院", "listing_basis": "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条第二项",
        "source_name": "淄博市中级人民法院", "source_uscc": COURT_USCC,
    }
    row.update(overrides)
    return row


def court_person_row(n: int = 1, **overrides) -> dict[str, str | None]:
    person = {"subject_name": "张三", "subject_category": "自然人", "subject_uscc": None, "legal_rep": None,
              "id_type": "身份证", "id_number": resident_id(n)}
    return court_row(n, **(person | overrides))


def samr_row(n: int = 1, **overrides) -> dict[str, str | None]:
    row = {
        "subject_name": f"淄博严重违法测试有限公司{n}", "subject_category": "法人及非法人组织", "subject_uscc": uscc(n),
        "listing_reason": "提交虚假材料取得许可", "decision_no": f"淄市监严〔2026〕{n}号", "decision_date": "2026-11-16",
        "identifying_unit": "淄博市市场监督管理局", "listing_basis": "《市场监督管理严重违法失信名单管理办法》第十条",
        "source_name": "淄博市市场监督管理局", "source_uscc": AUTHORITY_USCC,
    }
    row.update(overrides)
    return row


def tax_a_row(n: int = 1, **overrides) -> dict[str, str | None]:
    row = {
        "subject_name": f"淄博守信测试有限公司{n}", "subject_category": "法人及非法人组织", "subject_uscc": uscc(n),
        "rating_year": "2025", "decision_no": f"淄税A〔2026〕{n}号", "decision_date": "2026-04-20",
        "identifying_unit": "国家税务总局淄博市税务局", "listing_basis": "《纳税缴费信用管理办法》",
        "source_name": "国家税务总局淄博市税务局", "source_uscc": AUTHORITY_USCC,
    }
    row.update(overrides)
    return row


def anomaly_row(n: int = 1, **overrides) -> dict[str, str | None]:
    row = {
        "subject_name": f"淄博异常测试有限公司{n}", "subject_category": "法人及非法人组织", "subject_uscc": uscc(n),
        "listing_reason": "未按规定报送年度报告", "decision_no": f"淄市监异〔2026〕{n}号", "decision_date": "2026-11-16",
        "identifying_unit": "淄博市市场监督管理局", "listing_basis": "《企业信息公示暂行条例》第十七条",
        "source_name": "淄博市市场监督管理局", "source_uscc": AUTHORITY_USCC,
    }
    row.update(overrides)
    return row


def submit_list(class_code: str, rows: list[dict], department, actor, when: str = "2026-11-20"):
    """Submit list-class rows received on ``when`` and derive their entries; returns (SubmitResult, SyncResult)."""
    with clock.pinned(at(when).date()):
        result = records_submit(info_class=get_class(class_code), frame=frame(rows), department=department,
                                actor=actor, received_at=at(when))
        assert result.rejected == [], result.rejected
        return result, list_entries_sync(result.record_ids, actor=actor)
