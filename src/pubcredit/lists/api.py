"""List endpoints for department systems (红黑名单接口). Token auth.

- ``GET /api/v1/lists``: the lists, their rules (kind, term, push deadline, legal basis) and entries in force;
- ``GET /api/v1/lists/late``: the department's entries pushed later than 7 working days after their decision.
Entries themselves arrive as records of the list classes (``POST /api/v1/records/{class_code}``).
"""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from pubcredit.api import DepartmentToken
from pubcredit.lists import selectors

router = Router(tags=["lists (红黑名单)"], auth=DepartmentToken())


class BasisOut(Schema):
    instrument: str
    article: str
    level: str


class ListOut(Schema):
    code: str
    name_zh: str
    kind: str
    severity: str
    identified_by_zh: str
    identified_in_city: bool
    push_deadline_working_days: int
    removal_reasons: list[str]
    legal_basis: list[BasisOut]
    rule_version: str
    in_force: int


class LateEntryOut(Schema):
    entry_id: int
    list_code: str
    decision_no: str
    decision_date: dt.date
    received_at: dt.datetime
    push_delay_working_days: int
    push_deadline_working_days: int
    subject_code: str
    status: str


@router.get("", response=list[ListOut], url_name="lists")
def list_index(request):
    """Every list class with its rules as data and the number of entries in force today."""
    out = []
    for item in selectors.list_summary():
        spec = item["spec"]
        out.append({**spec.model_dump(include={"code", "name_zh", "kind", "severity", "identified_by_zh",
                                               "identified_in_city", "push_deadline_working_days",
                                               "removal_reasons", "legal_basis"}),
                    "rule_version": spec.rule_version, "in_force": item["in_force"]})
    return out


@router.get("/late", response=list[LateEntryOut], url_name="lists_late")
def late_index(request):
    """The department's list entries pushed late (淄政办字〔2021〕31号 第八项: within 7 working days of the decision)."""
    entries = selectors.late_entries_for_department(department=request.department).select_related("record", "subject")
    return [{"entry_id": e.pk, "list_code": e.list_code, "decision_no": e.decision_no, "decision_date": e.decision_date,
             "received_at": e.record.received_at, "push_delay_working_days": e.push_delay_working_days,
             "push_deadline_working_days": e.push_deadline_working_days, "subject_code": e.subject.display_code,
             "status": e.status} for e in entries[:2000]]
