"""Builders for publicity tests: licences next to tests.factories' penalties, and a submission that runs the
publicity assessment as records_submit does through the records-changed event (docs/architecture.md)."""

from __future__ import annotations

from contextlib import contextmanager

from pubcredit.catalog.registry import get_class
from pubcredit.publicity.services import publicity_assess
from pubcredit.records.services import records_submit
from pubcredit.rules import clock
from tests.factories import AUTHORITY_USCC, at, frame, uscc


def licence(n: int = 1, **overrides) -> dict[str, str | None]:
    row = {
        "subject_name": f"淄博测试化工有限公司{n}", "subject_category": "法人及非法人组织", "subject_uscc": uscc(n),
        "legal_rep": "王伟", "license_doc_name": "食品经营许可决定书", "decision_no": f"淄市监许〔2026〕{n}号",
        "license_category": "普通", "certificate_name": "食品经营许可证", "license_no": f"JY13703{n:08d}",
        "license_content": "预包装食品销售", "decision_date": "2026-11-16", "valid_from": "2026-11-16",
        "valid_to": "2031-11-15", "authority_name": "淄博市市场监督管理局", "authority_uscc": AUTHORITY_USCC,
        "status": "有效", "source_name": "淄博市市场监督管理局", "source_uscc": AUTHORITY_USCC,
    }
    row.update(overrides)
    return row


@contextmanager
def unassessed():
    """Records written by a path that skips the publicity step (a backfill): publicity's subscriber to the
    records-changed event is taken off for the block, so nothing is assessed inside (the real wiring otherwise)."""
    from pubcredit.publicity import subscribers
    from pubcredit.records.events import records_changed

    records_changed.unsubscribe("publicity.assess")
    try:
        yield
    finally:
        subscribers.connect()


def submit(rows, *, department, actor, when: str = "2026-11-18", class_code: str = "admin_penalty",
           assess: bool = True):
    """Submit rows received on ``when`` (clock pinned to it) and assess their publicity, as the pipeline does
    (a second assessment is a no-op once records_submit assesses by itself). ``assess=False``: not assessed."""
    with clock.pinned(at(when).date()), unassessed():
        result = records_submit(info_class=get_class(class_code), frame=frame(rows), department=department,
                                actor=actor, received_at=at(when))
        assert not result.rejected, result.rejected
    if assess:
        with clock.pinned(at(when).date()):
            publicity_assess(result.record_ids, actor=actor)
    return result


def eco_department(actor):
    """A department outside market regulation: its penalties follow the NDRC regimes."""
    from pubcredit.accounts.services import department_create

    return department_create(code="STHJJ", name="淄博市生态环境局", uscc="11370300MB2851235E", actor=actor)


def ndrc_penalty(n: int = 1, **overrides) -> dict[str, str | None]:
    """A penalty by 淄博市生态环境局 (NDRC regimes), 10万元 fine unless overridden."""
    from tests.factories import penalty

    base = {"authority_name": "淄博市生态环境局", "source_name": "淄博市生态环境局", "fine_amount": "10",
            "penalty_content": "罚款10万元", "violation_type": "超标排放大气污染物",
            "penalty_basis": "《中华人民共和国大气污染防治法》第九十九条"}
    return penalty(n, **(base | overrides))


def ndrc_person_penalty(n: int = 1, **overrides) -> dict[str, str | None]:
    from tests.factories import person_penalty

    return person_penalty(n, **({"authority_name": "淄博市生态环境局", "source_name": "淄博市生态环境局"} | overrides))
