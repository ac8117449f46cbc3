"""Arrears ledger API (拖欠账款台账接口). Token auth: the token's department reads and handles the complaints
transferred to it; another department's complaint is not found (404).

Complaints are filed on the public site (``/public/integrity/arrears/``, with evidence files) and transferred in the
workbench; these operations serve the handling department's own system.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.responses import Status

from pubcredit.api import DepartmentToken
from pubcredit.integrity import selectors, services

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
            "assigned_on": c.assigned_on, "verified_on": c.verified_on, "plan_last_day": c.plan_last_day,
            "cleared_on": c.cleared_on, "due": row.due,
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
