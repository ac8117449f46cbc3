"""Credit repair and objection endpoints (信用修复与异议接口). Department token.

- ``GET /api/v1/records/{id}/repair-eligibility`` and ``GET /api/v1/list-entries/{id}/repair-eligibility``;
- ``POST /api/v1/repair-applications`` (the platform's single window receives an application) and
  ``POST /api/v1/repair-applications/{id}/{action}`` (the identifying unit: accept, notice, extend, grant, refuse…);
- ``POST /api/v1/objections`` and ``POST /api/v1/objections/{id}/{action}`` (accept, decide).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.http import Http404
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from pubcredit.api import DepartmentToken
from pubcredit.repair import selectors, services
from pubcredit.repair.evidence import evidence_add
from pubcredit.rules.errors import DomainError
from pubcredit.rules.repair import Eligibility

router = Router(tags=["repair (信用修复与异议)"], auth=DepartmentToken())


class EligibilityReasonOut(Schema):
    code: str
    message: str
    message_en: str


class EligibilityOut(Schema):
    eligible: bool
    eligible_from: dt.date | None = Field(description="eligible: first eligible day; not yet: the day it will be; "
                                                      "never: null")
    reasons: list[EligibilityReasonOut]
    authority: str = Field(description="认定单位: who decides")
    regime: str
    accept_working_days: int | None
    decide_working_days: int | None
    complex_extension_working_days: int | None
    materials: list[str]
    rule_version: str


def _eligibility(result: Eligibility) -> dict[str, Any]:
    limits = result.limits
    return {"eligible": result.eligible, "eligible_from": result.eligible_from,
            "reasons": [{"code": r.code, "message": r.message_zh, "message_en": r.message_en} for r in result.reasons],
            "authority": result.authority, "regime": result.regime,
            "accept_working_days": limits.accept if limits else None,
            "decide_working_days": limits.decide if limits else None,
            "complex_extension_working_days": limits.complex_extension if limits else None,
            "materials": list(result.conditions_zh), "rule_version": result.rule_version}


@router.get("/records/{record_id}/repair-eligibility", response=EligibilityOut, url_name="record_repair_eligibility")
def record_eligibility(request, record_id: int):
    """信用修复资格: eligible now, from which day, or why not, and who decides (NDRC Order 36 art. 12–14)."""
    record = selectors.record_for_department(department=request.department, pk=record_id)
    if record is None:
        raise Http404
    return _eligibility(selectors.record_eligibility(record=record))


@router.get("/list-entries/{entry_id}/repair-eligibility", response=EligibilityOut,
            url_name="entry_repair_eligibility")
def entry_eligibility(request, entry_id: int):
    """名单条目的信用修复（提前移出）资格, by the list's own removal rules."""
    entry = selectors.entry_for_department(department=request.department, pk=entry_id)
    if entry is None:
        raise Http404
    return _eligibility(selectors.entry_eligibility(entry=entry))


def _body_record(request, record_id: int):
    """A record named in a request body: unknown or not visible is a field error (404 is for paths)."""
    record = selectors.record_for_department(department=request.department, pk=record_id)
    if record is None:
        raise DomainError("repair.record_not_found", "信用信息不存在或无权访问", "no such record", "record_id")
    return record


class ApplicationIn(Schema):
    record_id: int
    applicant_uscc: str = Field(max_length=18)
    contact_name: str = Field(max_length=50)
    contact_phone: str = Field(max_length=30)
    proof_description: str = Field(max_length=4000)
    commitment_signed: bool
    contact_email: str = Field(default="", max_length=254, description="optional: each step's notice is e-mailed here")


class ApplicationOut(Schema):
    id: int
    record_id: int
    state: str
    state_zh: str
    authority: str
    received_on: dt.date
    accept_due: dt.date
    accepted_on: dt.date | None
    decide_due: dt.date | None
    answer_due: dt.date
    deadline_provisional: bool
    notice_text: str
    complex_reason: str
    decision_reason: str
    decided_on: dt.date | None
    kind: str = Field(description="repair (信用修复) or reorganisation (破产重整临时屏蔽, Order 36 art. 20)")
    court_ruling_no: str = Field(description="reorganisation: the court's ruling approving the plan")
    outcome_ruling_no: str = Field(description="reorganisation: the ruling confirming completion or ending the plan")
    shielded_on: dt.date | None = Field(description="reorganisation: the day the item was shielded")


def _app_out(app) -> dict[str, Any]:
    return {"id": app.pk, "record_id": app.record_id, "state": app.state, "state_zh": app.get_state_display(),
            "authority": app.authority, "received_on": app.received_on, "accept_due": app.accept_due,
            "accepted_on": app.accepted_on, "decide_due": app.decide_due, "answer_due": app.answer_due,
            "deadline_provisional": app.deadline_provisional, "notice_text": app.notice_text,
            "complex_reason": app.complex_reason, "decision_reason": app.decision_reason,
            "decided_on": app.decided_on, "kind": app.kind, "court_ruling_no": app.court_ruling_no,
            "outcome_ruling_no": app.outcome_ruling_no, "shielded_on": app.shielded_on}


@router.post("/repair-applications", response={201: ApplicationOut}, url_name="repair_application_submit")
def application_submit(request, payload: ApplicationIn):
    """Receive an application (统一受理): the applicant's own, eligible item; proof and the signed commitment only."""
    record = _body_record(request, payload.record_id)
    app = services.repair_application_submit(
        record=record, applicant_uscc=payload.applicant_uscc, contact_name=payload.contact_name,
        contact_phone=payload.contact_phone, proof_description=payload.proof_description,
        commitment_signed=payload.commitment_signed, contact_email=payload.contact_email, actor=request.actor)
    return Status(201, _app_out(app))


class ReorganisationIn(Schema):
    """破产重整临时屏蔽申请 (NDRC Order 36 art. 20; SAMR 107 art. 22)."""

    record_id: int
    applicant_uscc: str = Field(max_length=18)
    applicant_role: Literal["enterprise", "administrator"] = Field(description="重整企业 or 管理人")
    court_ruling_no: str = Field(max_length=100, description="the court's ruling approving the plan or settlement")
    contact_name: str = Field(max_length=50)
    contact_phone: str = Field(max_length=30)
    plan_description: str = Field(max_length=4000)
    contact_email: str = Field(default="", max_length=254, description="optional: each step's notice is e-mailed here")


@router.post("/reorganisation-applications", response={201: ApplicationOut}, url_name="reorganisation_submit")
def reorganisation_submit(request, payload: ReorganisationIn):
    """Receive a bankruptcy reorganisation application (破产重整信用修复): the enterprise's own published item, with
    the court's ruling; the unit shields it within 10 working days (SAMR items 7), then restores or repairs it."""
    record = _body_record(request, payload.record_id)
    app = services.reorganisation_submit(
        record=record, applicant_uscc=payload.applicant_uscc, applicant_role=payload.applicant_role,
        court_ruling_no=payload.court_ruling_no, contact_name=payload.contact_name,
        contact_phone=payload.contact_phone, plan_description=payload.plan_description,
        contact_email=payload.contact_email, actor=request.actor)
    return Status(201, _app_out(app))


# --- proof files (证明材料). Registered before the step operations: their path ``/{id}/{action}`` would otherwise
# take ``/{id}/evidence``.


class EvidenceOut(Schema):
    """A proof file kept for a case (证明材料)."""

    id: int
    kind: str  # pdf / jpeg / png (by content)
    original_name: str
    size: int
    sha256: str
    scan_status: str  # pending / clean / infected / not_scanned / error
    scan_status_zh: str
    created_at: dt.datetime


def _evidence_out(evidence) -> dict[str, Any]:
    return {"id": evidence.pk, "kind": evidence.kind, "original_name": evidence.original_name, "size": evidence.size,
            "sha256": evidence.sha256, "scan_status": evidence.scan_status,
            "scan_status_zh": evidence.get_scan_status_display(), "created_at": evidence.created_at}


def _upload(case, file: UploadedFile, actor):
    if file.size and file.size > settings.PUBCREDIT_UPLOAD_MAX_BYTES:
        raise DomainError("repair.evidence_too_large", "文件过大", "file too large", "file")
    return Status(201, _evidence_out(evidence_add(case=case, filename=file.name or "", chunks=file.chunks(),
                                                  actor=actor)))


@router.post("/repair-applications/{application_id}/evidence", response={201: EvidenceOut},
             url_name="repair_application_evidence")
def application_evidence(request, application_id: int, file: File[UploadedFile]):
    """Add a proof file (multipart ``file``) to an open application: PDF, JPG or PNG by content, the extension
    agreeing, at most 10 MB; scanned for viruses on the worker when a scan command is configured (else 未扫描)."""
    app = selectors.application_get(department=request.department, pk=application_id)
    if app is None:
        raise Http404
    return _upload(app, file, request.actor)


@router.post("/objections/{objection_id}/evidence", response={201: EvidenceOut}, url_name="objection_evidence")
def objection_evidence(request, objection_id: int, file: File[UploadedFile]):
    """Add a supporting file (佐证材料, multipart ``file``) to an open objection; the same checks as applications."""
    obj = selectors.objection_get(department=request.department, pk=objection_id)
    if obj is None:
        raise Http404
    return _upload(obj, file, request.actor)


class RepairStepIn(Schema):
    reason: str = Field(default="", max_length=4000, description="required for notice, not_accept, extend, grant, "
                                                                 "refuse, restore, complete (the missing materials "
                                                                 "for a notice)")
    ruling_no: str = Field(default="", max_length=100, description="restore: the ruling ending the plan; complete: "
                                                                   "the ruling confirming it (unless already filed)")


_REORGANISATION_STEPS = {
    "shield": lambda app, step, dep, actor: services.reorganisation_shield(
        application=app, reason=step.reason, department=dep, actor=actor),
    "restore": lambda app, step, dep, actor: services.reorganisation_restore(
        application=app, ruling_no=step.ruling_no, reason=step.reason, department=dep, actor=actor),
    "complete": lambda app, step, dep, actor: services.reorganisation_complete(
        application=app, ruling_no=step.ruling_no, reason=step.reason, department=dep, actor=actor),
}
_APP_STEPS = {
    "accept": lambda app, reason, dep, actor: services.repair_application_accept(
        application=app, department=dep, actor=actor),
    "notice": lambda app, reason, dep, actor: services.repair_application_notice(
        application=app, missing=reason, department=dep, actor=actor),
    "not_accept": lambda app, reason, dep, actor: services.repair_application_not_accept(
        application=app, reason=reason, department=dep, actor=actor),
    "extend": lambda app, reason, dep, actor: services.repair_application_extend(
        application=app, reason=reason, department=dep, actor=actor),
    "grant": lambda app, reason, dep, actor: services.repair_application_grant(
        application=app, reason=reason, department=dep, actor=actor),
    "refuse": lambda app, reason, dep, actor: services.repair_application_refuse(
        application=app, reason=reason, department=dep, actor=actor),
}


@router.post("/repair-applications/{application_id}/{action}", response=ApplicationOut,
             url_name="repair_application_step")
def application_step(request, application_id: int,
                     action: Literal["accept", "notice", "not_accept", "extend", "grant", "refuse", "shield", "restore",
                                     "complete"], payload: RepairStepIn):
    """One step by the identifying unit (认定单位); another department's application is not found. A reorganisation
    application (破产重整) takes shield, restore (the plan failed) and complete (the plan completed)."""
    app = selectors.application_get(department=request.department, pk=application_id)
    if app is None:
        raise Http404
    if action in _REORGANISATION_STEPS:
        return _app_out(_REORGANISATION_STEPS[action](app, payload, request.department, request.actor))
    return _app_out(_APP_STEPS[action](app, payload.reason, request.department, request.actor))


class ObjectionIn(Schema):
    record_id: int
    objector_name: str = Field(max_length=100)
    objector_contact: str = Field(max_length=100)
    grounds: str = Field(max_length=4000)
    objector_email: str = Field(default="", max_length=254, description="optional: each step's notice is e-mailed here")


class ObjectionDecideIn(Schema):
    reason: str = Field(default="", max_length=4000)
    outcome: Literal["correct", "withdraw_record", "dismiss"] | None = None
    corrections: dict[str, str] | None = None


class ObjectionOut(Schema):
    id: int
    record_id: int
    state: str
    state_zh: str
    received_on: dt.date
    forward_due: dt.date
    accept_due: dt.date | None = Field(description="受理期限: the unit decides on acceptance by this day "
                                       "(《企业经营异常名录管理办法》第十五条, 5 WD); null where the law sets none")
    verify_due: dt.date | None
    deadline_provisional: bool
    decision_reason: str
    decided_on: dt.date | None
    corrected_version: int | None


def _obj_out(obj) -> dict[str, Any]:
    return {"id": obj.pk, "record_id": obj.record_id, "state": obj.state, "state_zh": obj.get_state_display(),
            "received_on": obj.received_on, "forward_due": obj.forward_due, "accept_due": obj.accept_due, "verify_due": obj.verify_due,
            "deadline_provisional": obj.deadline_provisional, "decision_reason": obj.decision_reason,
            "decided_on": obj.decided_on, "corrected_version": obj.corrected_version}


@router.post("/objections", response={201: ObjectionOut}, url_name="objection_submit")
def objection_submit(request, payload: ObjectionIn):
    """Receive an objection (异议申诉) to a record, forwarded to its identifying unit within 1 working day."""
    record = _body_record(request, payload.record_id)
    obj = services.objection_submit(record=record, objector_name=payload.objector_name,
                                    objector_contact=payload.objector_contact, grounds=payload.grounds,
                                    objector_email=payload.objector_email, actor=request.actor)
    return Status(201, _obj_out(obj))


@router.post("/objections/{objection_id}/{action}", response=ObjectionOut, url_name="objection_step")
def objection_step(request, objection_id: int, action: Literal["accept", "decide"], payload: ObjectionDecideIn):
    """Accept (the record shows 异议处理中) or decide with reasons (correct / withdraw_record / dismiss)."""
    obj = selectors.objection_get(department=request.department, pk=objection_id)
    if obj is None:
        raise Http404
    if action == "accept":
        return _obj_out(services.objection_accept(objection=obj, department=request.department, actor=request.actor))
    return _obj_out(services.objection_decide(objection=obj, outcome=payload.outcome or "", reason=payload.reason,
                                              corrections=payload.corrections, department=request.department,
                                              actor=request.actor))


class RepairNoticeOut(Schema):
    """One step notice (办理进度通知) to the identifying unit or to the applicant/objector."""

    id: int
    recipient: str  # unit (认定单位) / applicant (申请人/异议人)
    application_id: int | None
    objection_id: int | None
    step: str
    subject_line: str
    message: str
    email_status: str  # pending / sent / failed / not_configured / no_address
    email_status_zh: str
    created_at: dt.datetime
    read: bool


@router.get("/repair-notices", response=list[RepairNoticeOut], url_name="repair_notices")
def repair_notices(request, unread: bool = False):
    """The department's notices of its repair applications and objections (both recipients), newest first, at most
    200; ``unread``: only the unit's unread ones."""
    return [{"id": n.pk, "recipient": n.recipient, "application_id": n.application_id,
             "objection_id": n.objection_id, "step": n.step, "subject_line": n.subject_line, "message": n.message,
             "email_status": n.email_status, "email_status_zh": n.get_email_status_display(),
             "created_at": n.created_at, "read": n.read_at is not None}
            for n in selectors.notice_list(department=request.department, unread_only=unread)[:200]]
