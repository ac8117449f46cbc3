"""One-line builders of list-class submissions and a submit helper that derives the list entries, as the collection
pipeline will (records first, then ``list_entries_sync``)."""

from __future__ import annotations

from pubcredit.catalog.registry import get_class
from pubcredit.lists import subscribers
from pubcredit.lists.services import SyncResult, list_entries_sync
from pubcredit.records.events import LISTS_ORDER, records_changed
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


def _as_person(name: str, n: int) -> dict[str, str | None]:
    """The subject columns of a natural person (自然人), to lay over an organisation's row."""
    return {"subject_name": name, "subject_category": "自然人", "subject_uscc": None, "legal_rep": None,
            "id_type": "身份证", "id_number": resident_id(n)}


def court_person_row(n: int = 1, **overrides) -> dict[str, str | None]:
    return court_row(n, **(_as_person("张三", n) | overrides))


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
        "identifying_unit": "淄博市市场监督管理局", "listing_basis": "《企业信息公示暂行条例》第十八条",
        "source_name": "淄博市市场监督管理局", "source_uscc": AUTHORITY_USCC,
    }
    row.update(overrides)
    return row


def submit_list(class_code: str, rows: list[dict], department, actor, when: str = "2026-11-20"):
    """Submit list-class rows received on ``when``; their entries are derived by the records-changed event's list
    subscriber, in the submission's transaction. Returns (SubmitResult, the SyncResult of that subscriber)."""
    synced: list[SyncResult] = []

    def sync_and_keep(event):  # the subscriber's own call, with its result kept for the test
        synced.append(list_entries_sync(event.record_ids, actor=event.actor))

    records_changed.subscribe(sync_and_keep, name="lists.sync_entries", order=LISTS_ORDER)
    try:
        with clock.pinned(at(when).date()):
            result = records_submit(info_class=get_class(class_code), frame=frame(rows), department=department,
                                    actor=actor, received_at=at(when))
    finally:
        subscribers.connect()
    assert result.rejected == [], result.rejected
    return result, synced[0] if synced else SyncResult()


def tax_violator_row(n: int = 1, **overrides) -> dict[str, str | None]:
    """重大税收违法失信主体 (an organisation): 3 years from the effective (publication) date."""
    row = {
        "subject_name": f"淄博税收违法测试有限公司{n}", "subject_category": "法人及非法人组织", "subject_uscc": uscc(n),
        "legal_rep": "赵六", "registered_address": "淄博市张店区人民西路1号", "violation_category": "偷税",
        "violation_facts": "经查，少缴增值税120万元。", "tax_decision": "追缴税款120万元，处一倍罚款",
        "decision_no": f"淄税稽罚〔2026〕{n}号", "decision_date": "2026-11-16", "identifying_unit": "国家税务总局淄博市税务局",
        "listing_basis": "《重大税收违法失信主体信息公布管理办法》第六条", "source_name": "国家税务总局淄博市税务局",
        "source_uscc": AUTHORITY_USCC,
    }
    row.update(overrides)
    return row


def tax_violator_person_row(n: int = 1, **overrides) -> dict[str, str | None]:
    return tax_violator_row(n, **(_as_person("李四", n) | overrides))


def honor_row(n: int = 1, **overrides) -> dict[str, str | None]:
    """诚信荣誉 (a red list): 3 years from the decision unless the honour's own term is given."""
    row = {
        "subject_name": f"淄博诚信测试有限公司{n}", "subject_category": "法人及非法人组织", "subject_uscc": uscc(n),
        "honor_name": "淄博市诚信示范企业", "honor_level": "市级", "decision_no": f"淄政字〔2026〕{n}号",
        "decision_date": "2026-09-01", "identifying_unit": "淄博市人民政府",
        "listing_basis": "《山东省社会信用条例》第二十六条", "source_name": "淄博市社会信用中心", "source_uscc": AUTHORITY_USCC,
    }
    row.update(overrides)
    return row
