"""Government integrity API (政务诚信接口).

- Arrears ledger (拖欠账款台账), token auth: the token's department reads and handles the complaints transferred to
  it; another department's complaint is not found (404). Complaints are filed on the public site
  (``/public/integrity/arrears/``, with evidence files) and transferred in the workbench.
- Government dishonesty cases (政府失信认定, ``/cases``), a department token or a staff session: the same steps as the
  workbench pages, for those the pages allow (operators and district offices act, leaders read) and for the
  systems of departments granted as case offices (政府失信办理单位: a city department every body, a district
  department its district's bodies). Anyone else is refused (403); a case outside the caller's reach is 404.
- Judicial linkage (司法联动, ``/court-feedback``): the court's token.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from ninja.security import django_auth

from pubcredit.api import DepartmentToken
from pubcredit.api_common import ErrorOut
from pubcredit.integrity import cases, selectors, services
from pubcredit.integrity.rulebook import cases_book
from pubcredit.rules.errors import DomainError
from pubcredit.rules.integrity import CASE_STATUS_LABELS, DEBTOR_KIND_LABELS, REMOVAL_REASONS

router = Router(tags=["integrity"], auth=DepartmentToken())


class IntegrityArrearsFlagOut(Schema):
    code: str
    label_zh: str
    due: dt.date


class IntegrityArrearsOut(Schema):
    id: int
    number: str
    status: str
    status_zh: str
    debtor_uscc: str
    debtor_name: str
    debtor_kind: str
    debtor_kind_zh: str
    complainant_uscc: str
    complainant_name: str
    contract_ref: str
    claimed_amount: str
    amount_owed: str | None
    amount_paid: str
    outstanding: str | None
    filed_on: dt.date
    assigned_on: dt.date | None
    verified_on: dt.date | None
    verify_extended_to: dt.date | None = Field(description="延长后的处理期限 approved by the department head")
    plan_last_day: dt.date | None
    cleared_on: dt.date | None
    due: dt.date | None
    flags: list[IntegrityArrearsFlagOut]
    rulebook_version: str


class IntegrityArrearsVerifyIn(Schema):
    confirmed: bool
    amount_owed: str | None = Field(default=None, max_length=20, description="核实欠款金额（元），如 100000.00")
    verified_on: dt.date
    note: str = Field(default="", max_length=4000)


class IntegrityArrearsExtendIn(Schema):
    extended_to: dt.date = Field(description="the new due day; at most 90 days from receipt (条例第二十五条第二款)")
    approved_by: str = Field(max_length=50, description="批准延长的部门负责人")
    reason: str = Field(max_length=500, description="情况复杂或者有其他特殊原因")


class IntegrityArrearsPlanIn(Schema):
    plan_last_day: dt.date
    plan_note: str = Field(max_length=4000)


class IntegrityArrearsPaymentIn(Schema):
    amount: str = Field(max_length=20, description="还款金额（元），不得超过尚欠金额")
    paid_on: dt.date
    note: str = Field(default="", max_length=300)


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _out(complaint) -> dict[str, Any]:
    row = selectors.complaint_row(complaint)
    c = complaint
    return {"id": c.pk, "number": c.number, "status": c.status, "status_zh": row.status_zh,
            "debtor_uscc": c.debtor.uscc, "debtor_name": c.debtor.name, "debtor_kind": c.debtor_kind,
            "debtor_kind_zh": row.debtor_kind_zh, "complainant_uscc": c.complainant_uscc,
            "complainant_name": c.complainant_name, "contract_ref": c.contract_ref,
            "claimed_amount": _money(c.claimed_amount), "amount_owed": _money(c.amount_owed),
            "amount_paid": _money(c.amount_paid), "outstanding": _money(c.outstanding), "filed_on": c.filed_on,
            "assigned_on": c.assigned_on, "verified_on": c.verified_on, "verify_extended_to": c.verify_extended_to,
            "plan_last_day": c.plan_last_day, "cleared_on": c.cleared_on, "due": row.due,
            "flags": [{"code": f.code, "label_zh": f.label_zh, "due": f.due} for f in row.flags],
            "rulebook_version": c.rulebook_version}


def _own(request, complaint_id: int):
    complaint = selectors.department_complaints(department=request.department).filter(pk=complaint_id).first()
    if complaint is None:
        raise Http404
    return complaint


@router.get("/arrears", response=list[IntegrityArrearsOut], url_name="integrity_arrears_list")
def arrears_list(request, status: str = ""):
    """The complaints transferred to the token's department, newest first (at most 500); ``status`` one of filed,
    assigned, verified, planned, cleared, rejected. ``flags`` names deadlines passed (逾期未核实, 逾期未清偿 …)."""
    return [_out(c) for c in selectors.department_complaints(department=request.department, status=status)[:500]]


@router.get("/arrears/{complaint_id}", response=IntegrityArrearsOut, url_name="integrity_arrears_get")
def arrears_get(request, complaint_id: int):
    """One complaint the token's department handles."""
    return _out(_own(request, complaint_id))


@router.post("/arrears/{complaint_id}/verification", response=IntegrityArrearsOut,
             url_name="integrity_arrears_verify")
def arrears_verify(request, complaint_id: int, payload: IntegrityArrearsVerifyIn):
    """核实: ``confirmed`` with the amount owed, or not (a note saying why is required)."""
    complaint = services.arrears_complaint_verify(
        complaint=_own(request, complaint_id), confirmed=payload.confirmed, amount_owed=payload.amount_owed,
        verified_on=payload.verified_on, note=payload.note, actor=request.actor)
    return _out(complaint)


@router.post("/arrears/{complaint_id}/extension", response=IntegrityArrearsOut, url_name="integrity_arrears_extend")
def arrears_extend(request, complaint_id: int, payload: IntegrityArrearsExtendIn):
    """延长处理期限 with the department head's approval: later than the current due day and at most 90 days from
    receipt (``arrears.extension_too_long``); only while the complaint waits for verification (``arrears.state``)."""
    complaint = services.arrears_verify_extend(
        complaint=_own(request, complaint_id), extended_to=payload.extended_to, approved_by=payload.approved_by,
        reason=payload.reason, actor=request.actor)
    return _out(complaint)


@router.post("/arrears/{complaint_id}/plan", response=IntegrityArrearsOut, url_name="integrity_arrears_plan")
def arrears_plan(request, complaint_id: int, payload: IntegrityArrearsPlanIn):
    """约定还款计划: the day all is paid by and how; past it with money owed, the complaint is flagged 逾期未清偿."""
    complaint = services.arrears_plan_agree(complaint=_own(request, complaint_id), plan_last_day=payload.plan_last_day,
                                            plan_note=payload.plan_note, actor=request.actor)
    return _out(complaint)


@router.post("/arrears/{complaint_id}/payments", response={201: IntegrityArrearsOut},
             url_name="integrity_arrears_payment")
def arrears_payment(request, complaint_id: int, payload: IntegrityArrearsPaymentIn):
    """登记还款: refused (``arrears.overpayment``) when larger than what is still owed; the last payment clears it."""
    payment = services.arrears_payment_record(complaint=_own(request, complaint_id), amount=payload.amount,
                                              paid_on=payload.paid_on, note=payload.note, actor=request.actor)
    payment.complaint.refresh_from_db()
    return Status(201, _out(payment.complaint))


class IntegrityCourtMeasureOut(Schema):
    department: str
    scenario: str
    checked_on: dt.date
    measure_code: str
    measure_name: str
    applied: bool
    note: str
    reported_at: dt.datetime


class IntegrityCourtCaseOut(Schema):
    entry_id: int
    decision_no: str
    subject_name: str
    subject_code: str
    status: str
    removed_on: dt.date | None
    checks: int
    measures: list[IntegrityCourtMeasureOut]


@router.get("/court-feedback", response=list[IntegrityCourtCaseOut], url_name="integrity_court_feedback")
def court_feedback(request, since: dt.date | None = None):
    """司法联动: per 失信被执行人 case the token's court pushed (decided on or after ``since``; at most 200, newest
    first), the checks that hit it and the measures departments reported applied or not (``applied``, ``note``)."""
    return [{"entry_id": c.entry.pk, "decision_no": c.entry.decision_no, "subject_name": c.entry.subject.name,
             "subject_code": c.entry.subject.display_code, "status": c.entry.status, "removed_on": c.entry.removed_on,
             "checks": c.checks, "measures": [r.__dict__ for r in c.reports]}
            for c in selectors.court_feedback(department=request.department, since=since)]


# --- government dishonesty cases (政府失信认定) -------------------------------------------------------------------

case_router = Router(tags=["integrity"], auth=[DepartmentToken(), django_auth])
router.add_router("/cases", case_router)

CaseStatus = Literal["open", "rectified", "removed"]
RemovalReason = Literal["rectified", "source_gone", "wrongful"]
SourceType = Literal["arrears", "court_entry", "record"]


class IntegrityCaseFlagOut(Schema):
    code: str = Field(description="rectify_overdue（逾期未整改） or remove_overdue（逾期未移出）")
    label_zh: str
    due: dt.date


class IntegrityAccountabilityOut(Schema):
    person_name: str
    position: str
    responsibility: str
    responsibility_zh: str
    measure: str
    measure_zh: str
    decided_on: dt.date
    deciding_body: str
    note: str


class IntegrityCaseOut(Schema):
    id: int
    number: str
    status: CaseStatus
    status_zh: str
    body_uscc: str
    body_name: str
    body_kind: str
    body_kind_zh: str
    ground: str
    ground_zh: str
    source_type: SourceType
    source_id: int
    source_reference: str
    source_standing: bool = Field(description="the ground still stands today (entry in force, debt owed, record open)")
    facts: str
    supervisor: str = Field(description="通报对象: the superior body or supervising department")
    serious: bool = Field(description="情节严重: listed on the public site while the ground stands (条例第二十六条)")
    public: bool = Field(description="shown on the public site today")
    identified_on: dt.date
    rectify_due: dt.date
    rectified_on: dt.date | None
    rectification_note: str
    removed_on: dt.date | None
    removal_reason: str
    removal_reason_zh: str
    removal_note: str
    flags: list[IntegrityCaseFlagOut]
    rulebook_version: str


class IntegrityCaseDetailOut(IntegrityCaseOut):
    accountability: list[IntegrityAccountabilityOut] = Field(description="问责记录 (staff and case offices only)")


class IntegrityCaseSourceOut(Schema):
    source_type: SourceType
    source_id: int
    ground: str
    ground_zh: str
    reference: str
    label_zh: str


class IntegrityCaseFilter(Schema):
    status: CaseStatus | None = None
    ground: str | None = Field(default=None, max_length=32, description="a ground of rulebook/integrity/cases.yaml")
    body_uscc: str | None = Field(default=None, max_length=18)
    serious: bool | None = None
    overdue: bool | None = Field(default=None, description="true: only cases with a limit passed (逾期未整改/未移出)")


class IntegrityCaseIdentifyIn(Schema):
    body_uscc: str = Field(max_length=18, description="the 机关, 事业单位 or state enterprise identified")
    source_type: SourceType
    source_id: int = Field(ge=1, le=2**62)
    facts: str = Field(max_length=4000, description="认定事实")
    supervisor: str = Field(max_length=200, description="上级机关或主管部门（通报对象）")
    serious: bool = False
    rectify_due: dt.date | None = Field(default=None, description="整改期限; the rulebook default when omitted")


class IntegrityAccountabilityIn(Schema):
    person_name: str = Field(max_length=50)
    position: str = Field(max_length=100)
    responsibility: str = Field(max_length=16, description="leader, direct or soe_manager (cases.yaml)")
    measure: str = Field(max_length=24, description="a measure of cases.yaml, e.g. inquiry_talk, demerit")
    decided_on: dt.date
    deciding_body: str = Field(max_length=200)
    note: str = Field(default="", max_length=500)


class IntegrityCaseRectifyIn(Schema):
    rectified_on: dt.date
    note: str = Field(max_length=4000, description="整改情况")


class IntegrityCaseRemoveIn(Schema):
    removal_reason: RemovalReason
    note: str = Field(default="", max_length=4000, description="required for wrongful (认定有误撤销)")


def _viewer(request):
    """The department system (token) or the staff user (session) the request acts as."""
    return request.actor if getattr(request, "api_token", None) is not None else request.user


def _case_reader(request):
    viewer = _viewer(request)
    if not (cases.may_act_on_cases(viewer) or selectors.may_view_government(viewer)):
        raise PermissionDenied
    return viewer


def _case_out(case, *, detail: bool = False) -> dict[str, Any]:
    row = selectors.case_row(case)
    book = cases_book()
    out = {"id": case.pk, "number": case.number, "status": case.status, "status_zh": row.status_zh,
           "body_uscc": case.body.uscc, "body_name": case.body.name, "body_kind": case.body_kind,
           "body_kind_zh": DEBTOR_KIND_LABELS.get(case.body_kind, case.body_kind), "ground": case.ground,
           "ground_zh": row.ground_zh, "source_type": case.source_type, "source_id": case.source_id,
           "source_reference": case.source_reference, "source_standing": bool(row.source and row.source.live),
           "facts": case.facts, "supervisor": case.supervisor, "serious": case.serious, "public": row.public,
           "identified_on": case.identified_on, "rectify_due": case.rectify_due, "rectified_on": case.rectified_on,
           "rectification_note": case.rectification_note, "removed_on": case.removed_on,
           "removal_reason": case.removal_reason, "removal_reason_zh": REMOVAL_REASONS.get(case.removal_reason, ""),
           "removal_note": case.removal_note,
           "flags": [{"code": f.code, "label_zh": f.label_zh, "due": f.due} for f in row.flags],
           "rulebook_version": case.rulebook_version}
    if detail:
        out["accountability"] = [
            {"person_name": r.person_name, "position": r.position, "responsibility": r.responsibility,
             "responsibility_zh": book.responsibilities.get(r.responsibility, r.responsibility), "measure": r.measure,
             "measure_zh": book.measures.get(r.measure, r.measure), "decided_on": r.decided_on,
             "deciding_body": r.deciding_body, "note": r.note} for r in case.accountability.all()]
    return out


def _case(request, case_id: int, *, act: bool = False):
    viewer = _case_reader(request)
    case = selectors.government_case_get(viewer=viewer, pk=case_id)
    if case is None:
        raise Http404
    if act and not cases.may_act_on_cases(viewer, case.body):
        raise PermissionDenied  # leaders read, never act
    return viewer, case


_CASE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut}
_ONE_CASE_ERRORS = {**_CASE_ERRORS, 404: ErrorOut}


@case_router.get("", response={200: list[IntegrityCaseOut], **_CASE_ERRORS}, url_name="integrity_case_list")
def case_list(request, filters: Query[IntegrityCaseFilter]):
    """政府失信案件 in the caller's reach, newest first (at most 500): filter by ``status``, ``ground``, ``body_uscc``,
    ``serious`` and ``overdue`` (a limit passed). Operators, leaders and city case offices read every case, district
    offices their district's; anyone else 403."""
    viewer = _case_reader(request)
    qs = selectors.government_cases(viewer=viewer, status=filters.status or "")
    if filters.ground:
        qs = qs.filter(ground=filters.ground)
    if filters.body_uscc:
        qs = qs.filter(body__uscc=filters.body_uscc.strip().upper())
    if filters.serious is not None:
        qs = qs.filter(serious=filters.serious)
    rows = [_case_out(c) for c in qs[:500]]
    if filters.overdue is not None:
        rows = [r for r in rows if bool(r["flags"]) == filters.overdue]
    return rows


@case_router.get("/sources", response={200: list[IntegrityCaseSourceOut], **_CASE_ERRORS},
                 url_name="integrity_case_sources")
def case_sources(request, body_uscc: str = Query(..., max_length=18)):
    """What a body may be identified on today (拖欠账款逾期未清偿, 失信被执行人 in force, open government records), for
    those who may identify it; sources an open case already rests on are left out."""
    viewer = _viewer(request)
    body = selectors.government_body_by_uscc(body_uscc)
    if body is None:
        raise DomainError("body_uscc.unknown", "平台中没有该统一社会信用代码的机关、事业单位或国有企业",
                          "no government body with this code", "body_uscc")
    if not cases.may_act_on_cases(viewer, body):
        raise PermissionDenied
    book = cases_book()
    return [{"source_type": s.source_type, "source_id": s.source_id, "ground": s.ground,
             "ground_zh": book.grounds[s.ground].name_zh, "reference": s.reference, "label_zh": s.label_zh}
            for s in selectors.identifiable_sources(subject_id=body.pk)]


@case_router.get("/{case_id}", response={200: IntegrityCaseDetailOut, **_ONE_CASE_ERRORS},
                 url_name="integrity_case_get")
def case_get(request, case_id: int):
    """One case with its accountability records (问责记录: staff and case offices only, never public)."""
    return _case_out(_case(request, case_id)[1], detail=True)


@case_router.post("", response={201: IntegrityCaseDetailOut, **_CASE_ERRORS}, url_name="integrity_case_identify")
def case_identify(request, payload: IntegrityCaseIdentifyIn):
    """认定政府失信 on one source of the body that stands today; refused field by field (``gov_case.not_government``,
    ``gov_case.source``, ``gov_case.source_not_standing``, ``gov_case.duplicate``, ``facts.required`` …), nothing
    kept. 403 for a caller who may not identify this body."""
    viewer = _viewer(request)
    body = selectors.government_body_by_uscc(payload.body_uscc, any_subject=True)
    if body is None:
        raise DomainError("body_uscc.unknown", "平台中没有该统一社会信用代码的主体", "no subject with this code",
                          "body_uscc")
    if not cases.may_act_on_cases(viewer, body):
        raise PermissionDenied
    case = cases.government_case_identify(
        body=body, source_type=payload.source_type, source_id=payload.source_id, facts=payload.facts,
        supervisor=payload.supervisor, serious=payload.serious, rectify_due=payload.rectify_due, actor=viewer)
    return Status(201, _case_out(case, detail=True))


@case_router.post("/{case_id}/accountability", response={201: IntegrityCaseDetailOut, **_ONE_CASE_ERRORS},
                  url_name="integrity_case_accountability")
def case_accountability(request, case_id: int, payload: IntegrityAccountabilityIn):
    """登记问责: a named person, position, responsibility and measure, the deciding body and date (not before the
    identification, not in the future). Never public."""
    viewer, case = _case(request, case_id, act=True)
    cases.accountability_record_add(case=case, actor=viewer, **payload.dict())
    case.refresh_from_db()
    return Status(201, _case_out(case, detail=True))


@case_router.post("/{case_id}/rectification", response={200: IntegrityCaseDetailOut, **_ONE_CASE_ERRORS},
                  url_name="integrity_case_rectify")
def case_rectify(request, case_id: int, payload: IntegrityCaseRectifyIn):
    """整改完成: the day and the report; only an open case (``gov_case.state`` otherwise)."""
    viewer, case = _case(request, case_id, act=True)
    case = cases.government_case_rectify(case=case, rectified_on=payload.rectified_on, note=payload.note, actor=viewer)
    return _case_out(case, detail=True)


@case_router.post("/{case_id}/removal", response={200: IntegrityCaseDetailOut, **_ONE_CASE_ERRORS},
                  url_name="integrity_case_remove")
def case_remove(request, case_id: int, payload: IntegrityCaseRemoveIn):
    """移出: ``rectified`` (after rectification), ``source_gone`` (the court deleted the entry, the debt was paid, the
    record fulfilled: ``gov_case.source_live`` while it stands) or ``wrongful`` (a note required)."""
    viewer, case = _case(request, case_id, act=True)
    case = cases.government_case_remove(case=case, removal_reason=payload.removal_reason, note=payload.note,
                                        actor=viewer)
    return _case_out(case, detail=True)
