"""Every write of government integrity (政务诚信): the state-enterprise register, grants of this app's functions, and
the arrears ledger (拖欠账款台账) — a firm's complaint with evidence, its transfer to the handling department,
verification of the amount owed, the agreed plan, payments and clearance.

Each step is one transaction, moves the complaint by ``rules.integrity.TRANSITIONS`` and writes one audit event
(``arrears.step`` with ``data.event``). Source: 《保障中小企业款项支付条例》 (docs/integrity.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max

from pubcredit.accounts.choices import DepartmentKind, Role
from pubcredit.accounts.models import Department
from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.ingest.forms import upload_too_large
from pubcredit.integrity import permissions
from pubcredit.integrity.choices import ArrearsStatus, IntegrityRole, RegisterKind
from pubcredit.integrity.models import ArrearsComplaint, ArrearsEvidence, ArrearsPayment, IntegrityGrant, StateEnterprise
from pubcredit.integrity.rulebook import arrears_book, book_version
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError, Problem
from pubcredit.rules.identifiers import check_uscc
from pubcredit.integrity.selectors import complaint_facts, register_class
from pubcredit.rules.integrity import (
    GROUP_CATEGORIES, check_amount, check_payment, check_verify_extension, next_status)
from pubcredit.workdays.selectors import work_calendar
from pubcredit.subjects.choices import SubjectKind
from pubcredit.subjects.services import SubjectRef, confirmed_identifiers, subject_resolve


def _require(problems: list[Problem]) -> None:
    if problems:
        raise DomainError.from_problems(problems)


def _uscc(raw: str, field_name: str, problems: list[Problem]) -> str | None:
    checked = check_uscc(raw, allowlist=confirmed_identifiers(), field_name=field_name)
    problems.extend(checked.problems)
    return checked.value


def _text(raw: Any, field_name: str, label: str, problems: list[Problem], *, max_length: int) -> str:
    value = str(raw or "").strip()
    if not value:
        problems.append(Problem(f"{field_name}.required", f"请填写{label}", f"{field_name} is required", field_name))
    elif len(value) > max_length:
        problems.append(Problem(f"{field_name}.too_long", f"{label}最多{max_length}个字",
                                f"{field_name} over {max_length} characters", field_name))
    return value


# --- state-enterprise register and grants --------------------------------------------------------------------

@transaction.atomic(durable=True)
def state_enterprise_register(*, uscc: str, name: str, basis: str, actor: Any,
                              kind: str = RegisterKind.STATE_ENTERPRISE) -> StateEnterprise:
    """Put an enterprise on the 国有企业名录 (the state-owned flag), or a 团体组织 that uses fiscal funds in part or in
    whole (``kind`` fiscal_group: 条例第三十六条, taken like 机关、事业单位); credit-centre operators only."""
    if not permissions.is_city_operator(actor):
        raise DomainError("integrity.operator_only", "仅信用中心操作员可维护国有企业名录",
                          "only credit-centre operators keep the state-enterprise register")
    problems: list[Problem] = []
    if kind not in RegisterKind.values:
        problems.append(Problem("state_enterprise.kind", "请选择类别（国有企业或使用财政资金的团体组织）", "unknown kind",
                                "kind"))
    code = _uscc(uscc, "uscc", problems)
    name = _text(name, "name", "名称", problems, max_length=200)
    basis = _text(basis, "basis", "认定依据（如国资监管部门出资企业名单、财政预算单位名单）", problems, max_length=300)
    if code and kind == RegisterKind.STATE_ENTERPRISE and code[:2] != "91":
        problems.append(Problem("state_enterprise.not_enterprise", "该代码不是企业的统一社会信用代码（前两位应为91）",
                                "not an enterprise's code (91…)", "uscc"))
    if code and kind == RegisterKind.FISCAL_GROUP and code[:2] not in GROUP_CATEGORIES:
        problems.append(Problem("state_enterprise.not_group",
                                "该代码不是团体组织的统一社会信用代码（群众团体13、社会团体51、民办非企业单位52、基金会53、其他59）",
                                "not a group organisation's code (13, 51, 52, 53, 59)", "uscc"))
    if code and StateEnterprise.objects.filter(uscc=code).exists():
        problems.append(Problem("state_enterprise.duplicate", "该单位已在名录中", "already registered", "uscc"))
    _require(problems)
    row = StateEnterprise.objects.create(uscc=code, kind=kind, name=name, basis=basis, added_by=_user(actor),
                                         added_at=clock.now())
    audit.record(Event.STATE_ENTERPRISE_ADDED, actor=actor, object_type="state_enterprise", object_id=row.pk,
                 after={"uscc": code, "name": name, "basis": basis, "kind": kind})
    return row


@transaction.atomic(durable=True)
def integrity_grant(*, user: Any, role: str, actor: Any) -> IntegrityGrant:
    """Grant a staff user a function of this app (领导, 人事部门, 宣传编辑, 宣传审核); credit-centre operators only."""
    if not getattr(actor, "is_authenticated", False) or not permissions.is_city_operator(actor):
        raise DomainError("integrity.operator_only", "仅信用中心操作员可授予政务诚信岗位",
                          "only credit-centre operators grant integrity functions")
    if role not in IntegrityRole.values:
        raise DomainError("integrity.role", f"未知岗位：{role}", f"unknown function {role!r}", "role")
    if not may_hold_grant(user):
        raise DomainError("integrity.not_staff", "只能授予在职的政府工作人员（企业用户和金融机构人员不可授予）",
                          "integrity functions go to active government staff only", "user")
    if role == IntegrityRole.PERSONNEL_OFFICE and not user.department_id:
        raise DomainError("integrity.department_required", "人事部门岗位必须属于一个单位",
                          "a personnel office belongs to an organisation", "user")
    grant, created = IntegrityGrant.objects.get_or_create(user=user, role=role,
                                                          defaults={"granted_by": _user(actor), "granted_at": clock.now()})
    user.__dict__.pop("_integrity_roles", None)  # the cached functions of this user object are stale now
    if created:
        audit.record(Event.INTEGRITY_GRANTED, actor=actor, object_type="user", object_id=user.pk, after={"role": role})
    return grant


def may_hold_grant(user: Any) -> bool:
    """Who may hold an integrity function: an active staff user of the government side (not an enterprise account,
    not a bank officer, whose department is a financial institution)."""
    return (bool(getattr(user, "is_active", False)) and user.role != Role.ENTERPRISE
            and not (user.department_id and user.department.kind == DepartmentKind.FINANCIAL_INSTITUTION))


@transaction.atomic(durable=True)
def integrity_revoke(*, grant: IntegrityGrant, reason: Any, actor: Any) -> None:
    """Withdraw a function (撤销政务诚信岗位): the user's next request no longer has it. Credit-centre operators
    only, with the reason, audited; who granted it and when stays in the audit trail."""
    if not getattr(actor, "is_authenticated", False) or not permissions.is_city_operator(actor):
        raise DomainError("integrity.operator_only", "仅信用中心操作员可撤销政务诚信岗位",
                          "only credit-centre operators revoke integrity functions")
    reason = str(reason or "").strip()
    if not reason:
        raise DomainError("integrity.reason_required", "请填写撤销原因", "a revocation needs its reason", "reason")
    held = {"role": grant.role, "granted_at": grant.granted_at.isoformat(), "granted_by": grant.granted_by_id}
    user_id = grant.user_id
    grant.delete()
    audit.record(Event.INTEGRITY_REVOKED, actor=actor, object_type="user", object_id=user_id, before=held,
                 reason=reason[:500], data={"role": held["role"]})


def _user(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- filing a complaint ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EvidenceFile:
    """An uploaded evidence file as the service sees it: its name and its bytes."""

    name: str
    content: bytes


def _evidence_problems(files: list[EvidenceFile]) -> tuple[list[Problem], list[str]]:
    """Each file's type (by name and leading bytes) and size; the type code of each accepted file."""
    rules = arrears_book().evidence
    problems: list[Problem] = []
    kinds: list[str] = []
    if not files:
        return [Problem("arrears.evidence_required", "请上传证明材料（合同、验收单、发票等，PDF、JPG或PNG）",
                        "evidence is required", "evidence")], kinds
    if len(files) > rules.max_files:
        problems.append(Problem("arrears.evidence_count", f"证明材料最多{rules.max_files}个文件",
                                f"at most {rules.max_files} files", "evidence"))
    allowed = "、".join(t.name_zh for t in rules.types.values())
    for f in files:
        if (refusal := upload_too_large(len(f.content))) is not None:
            problems.append(Problem(refusal.code, f"{f.name}：{refusal.message_zh}", refusal.message_en, "evidence"))
            continue
        kind = next((code for code, t in rules.types.items() if t.matches(f.name, f.content[:16])), None)
        if kind is None:
            problems.append(Problem("arrears.evidence_type", f"{f.name}：只接受{allowed}（文件内容须与扩展名一致）",
                                    f"{f.name}: only PDF, JPEG or PNG files whose content matches the name", "evidence"))
        kinds.append(kind or "")
    return problems, kinds


def _next_number(day: dt.date) -> str:
    prefix = f"QQ{day.year}-"
    last = ArrearsComplaint.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    return f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:05d}"


@transaction.atomic(durable=True)
def arrears_complaint_file(*, complainant_uscc: str, complainant_name: str, contact_name: str, contact_phone: str,
                           debtor_uscc: str, debtor_name: str, contract_ref: str, claimed_amount: Any,
                           description: str, evidence: list[EvidenceFile], actor: Any) -> ArrearsComplaint:
    """A firm's complaint (拖欠账款投诉), from the public site without login.

    Every field is checked and all problems reported together; a debtor that is not a 机关, 事业单位 or state
    enterprise is routed elsewhere (``arrears.debtor_out_of_scope``, the message says where); nothing is kept then.
    """
    book = arrears_book()
    problems: list[Problem] = []
    own = _uscc(complainant_uscc, "complainant_uscc", problems)
    complainant_name = _text(complainant_name, "complainant_name", "投诉企业名称", problems, max_length=200)
    contact_name = _text(contact_name, "contact_name", "联系人", problems, max_length=50)
    contact_phone = _text(contact_phone, "contact_phone", "联系电话", problems, max_length=30)
    if contact_phone and not all(c.isdigit() or c in "-+ ()" for c in contact_phone):
        problems.append(Problem("contact_phone.format", "联系电话只能包含数字和“-”", "phone: digits and dashes",
                                "contact_phone"))
    debtor_code = _uscc(debtor_uscc, "debtor_uscc", problems)
    debtor_name = _text(debtor_name, "debtor_name", "被投诉单位名称", problems, max_length=200)
    contract_ref = _text(contract_ref, "contract_ref", "合同名称或编号", problems, max_length=200)
    description = _text(description, "description", "拖欠情况（货物、工程或服务，验收和付款约定）", problems,
                        max_length=4000)
    try:
        amount = check_amount(claimed_amount, field_name="claimed_amount")
    except DomainError as exc:
        problems.extend(exc.problems)
        amount = None
    if own and debtor_code and own == debtor_code:
        problems.append(Problem("arrears.self", "投诉企业与被投诉单位不能相同", "complainant and debtor are the same",
                                "debtor_uscc"))
    debtor_class = None
    if debtor_code:
        debtor_class = register_class(debtor_code)
        if not debtor_class.in_scope:
            problems.append(Problem("arrears.debtor_out_of_scope",
                                    f"{book.route_other_debtor_zh}（该代码登记类别：{debtor_class.category_zh}）",
                                    book.route_other_debtor_en, "debtor_uscc"))
    evidence_problems, kinds = _evidence_problems(evidence)
    problems.extend(evidence_problems)
    _require(problems)

    today, now = clock.today(), clock.now()
    debtor = subject_resolve(SubjectRef(kind=SubjectKind.LEGAL_PERSON, name=debtor_name, uscc=debtor_code), actor=actor,
                             reason="拖欠账款投诉 (arrears complaint)")
    complaint = ArrearsComplaint(
        number=_next_number(today), complainant_uscc=own, complainant_name=complainant_name, contact_name=contact_name,
        contact_phone=contact_phone, debtor=debtor, debtor_kind=debtor_class.kind, contract_ref=contract_ref,
        claimed_amount=amount, description=description, filed_on=today, rulebook_version=book_version(),
        created_at=now, updated_at=now)
    complaint.full_clean()
    complaint.save()
    for f, kind in zip(evidence, kinds, strict=True):
        ArrearsEvidence.objects.create(complaint=complaint, filename=f.name[:200], file_type=kind, size=len(f.content),
                                       sha256=hashlib.sha256(f.content).hexdigest(), content=f.content)
    _audit(complaint, "file", actor, before=None,
           data={"debtor_uscc": debtor_code, "debtor_kind": debtor_class.kind, "claimed_amount": str(amount),
                 "evidence_sha256": [hashlib.sha256(f.content).hexdigest() for f in evidence]})
    return complaint


# --- the handling steps ----------------------------------------------------------------------------------------

def _snapshot(c: ArrearsComplaint) -> dict[str, Any]:
    return {"status": c.status, "handling_department": c.handling_department_id, "amount_owed": str(c.amount_owed),
            "amount_paid": str(c.amount_paid), "plan_last_day": c.plan_last_day.isoformat() if c.plan_last_day else None,
            "verify_extended_to": c.verify_extended_to.isoformat() if c.verify_extended_to else None}


def _audit(complaint: ArrearsComplaint, event: str, actor: Any, *, before: Any, reason: str = "",
           data: dict | None = None) -> None:
    audit.record(Event.ARREARS_MOVED, actor=actor, object_type="arrears_complaint", object_id=complaint.pk,
                 before=before, after=_snapshot(complaint), reason=reason,
                 data={"event": event, "number": complaint.number, **(data or {})},
                 rule_version=complaint.rulebook_version)


def _locked(complaint: ArrearsComplaint) -> ArrearsComplaint:
    return ArrearsComplaint.objects.select_for_update().get(pk=complaint.pk)


def _day(value: dt.date | None, field_name: str, label: str, *, not_before: dt.date | None = None,
         allow_future: bool = False) -> dt.date:
    if value is None:
        raise DomainError(f"{field_name}.required", f"请填写{label}", f"{field_name} is required", field_name)
    if not allow_future and value > clock.today():
        raise DomainError("date.future", f"{label}不能晚于今天", f"{field_name} is in the future", field_name)
    if not_before and value < not_before:
        raise DomainError("date.order", f"{label}不能早于{not_before.isoformat()}", f"{field_name} too early", field_name)
    return value


@transaction.atomic(durable=True)
def arrears_complaint_assign(*, complaint: ArrearsComplaint, department: Department, actor: Any) -> ArrearsComplaint:
    """受理投诉部门 (the credit centre, or the debtor's district office) transfers the complaint to the department that
    handles it (第二十五条第一款: within 10 working days of acceptance)."""
    complaint = _locked(complaint)
    if not permissions.may_assign(actor, complaint):
        raise DomainError("arrears.not_allowed", "仅信用中心或被投诉单位所在区县的信用办可转交投诉",
                          "only the credit centre or the debtor's district office transfers complaints")
    before = _snapshot(complaint)
    complaint.status = next_status(complaint.status, "assign")
    complaint.handling_department, complaint.assigned_on = department, clock.today()
    complaint.updated_at = clock.now()
    complaint.save()
    _audit(complaint, "assign", actor, before=before, data={"department": department.code})
    return complaint


def _handler_check(actor: Any, complaint: ArrearsComplaint) -> None:
    if not permissions.may_handle(actor, complaint):
        raise DomainError("arrears.other_department", "仅处理该投诉的部门可核实、约定计划和登记还款",
                          "only the handling department acts on this complaint")


@transaction.atomic(durable=True)
def arrears_complaint_verify(*, complaint: ArrearsComplaint, confirmed: bool, amount_owed: Any, verified_on: dt.date,
                             note: str, actor: Any) -> ArrearsComplaint:
    """核实: the handling department confirms the amount owed (it may differ from the claim) or finds the complaint
    unfounded (a note is required then)."""
    complaint = _locked(complaint)
    _handler_check(actor, complaint)
    before = _snapshot(complaint)
    complaint.status = next_status(complaint.status, "verify" if confirmed else "reject")
    complaint.verified_on = _day(verified_on, "verified_on", "核实日期", not_before=complaint.assigned_on)
    note = (note or "").strip()
    if confirmed:
        complaint.amount_owed = check_amount(amount_owed, field_name="amount_owed")
    elif not note:
        raise DomainError("arrears.reason_required", "认定不属实须写明核实情况和理由", "a reason is required", "note")
    complaint.verification_note = note
    complaint.updated_at = clock.now()
    complaint.save()
    _audit(complaint, "verify" if confirmed else "reject", actor, before=before, reason=note)
    return complaint


@transaction.atomic(durable=True)
def arrears_verify_extend(*, complaint: ArrearsComplaint, extended_to: dt.date | None, approved_by: str, reason: str,
                          actor: Any) -> ArrearsComplaint:
    """延长处理期限 (《保障中小企业款项支付条例》第二十五条第二款): 情况复杂或者有其他特殊原因的, the handling
    department's head (部门负责人, named) approves a later day for the result, with the reason; at most 90 days from
    receiving the complaint, counted on the platform calendar. Only while the complaint waits for verification."""
    complaint = _locked(complaint)
    _handler_check(actor, complaint)
    before = _snapshot(complaint)
    complaint.status = next_status(complaint.status, "extend")
    problems: list[Problem] = []
    approved_by, reason = (approved_by or "").strip(), (reason or "").strip()
    if not approved_by:
        problems.append(Problem("approved_by.required", "请填写批准延长的部门负责人", "approved_by is required",
                                "approved_by"))
    elif len(approved_by) > 50:
        problems.append(Problem("approved_by.too_long", "部门负责人最多50个字", "approved_by too long", "approved_by"))
    if not reason:
        problems.append(Problem("reason.required", "请写明情况复杂或其他特殊原因", "a reason is required", "reason"))
    elif len(reason) > 500:
        problems.append(Problem("reason.too_long", "延长理由最多500个字", "reason too long", "reason"))
    try:
        check_verify_extension(complaint_facts(complaint), extended_to, book=arrears_book(), calendar=work_calendar())
    except DomainError as exc:
        problems.extend(exc.problems)
    if problems:
        raise DomainError.from_problems(problems)
    complaint.verify_extended_to, complaint.extension_approved_by = extended_to, approved_by
    complaint.extension_reason, complaint.updated_at = reason, clock.now()
    complaint.save()
    _audit(complaint, "extend", actor, before=before, reason=reason,
           data={"extended_to": extended_to.isoformat(), "approved_by": approved_by})
    return complaint


@transaction.atomic(durable=True)
def arrears_plan_agree(*, complaint: ArrearsComplaint, plan_last_day: dt.date, plan_note: str,
                       actor: Any) -> ArrearsComplaint:
    """约定还款计划: the day by which the debtor pays all it owes, and how (instalments, source of funds)."""
    complaint = _locked(complaint)
    _handler_check(actor, complaint)
    before = _snapshot(complaint)
    complaint.status = next_status(complaint.status, "plan")
    complaint.plan_last_day = _day(plan_last_day, "plan_last_day", "还款计划完成日期", not_before=clock.today(),
                                   allow_future=True)
    complaint.plan_note = (plan_note or "").strip()
    if not complaint.plan_note:
        raise DomainError("plan_note.required", "请写明还款计划（分期安排、资金来源）", "plan_note is required", "plan_note")
    complaint.planned_on = clock.today()
    complaint.updated_at = clock.now()
    complaint.save()
    _audit(complaint, "plan", actor, before=before, data={"plan_last_day": plan_last_day.isoformat()})
    return complaint


@transaction.atomic(durable=True)
def arrears_payment_record(*, complaint: ArrearsComplaint, amount: Any, paid_on: dt.date, note: str = "",
                           actor: Any) -> ArrearsPayment:
    """登记还款: a payment larger than what is still owed is refused; the last one clears the complaint (已清偿)."""
    complaint = _locked(complaint)
    _handler_check(actor, complaint)
    before = _snapshot(complaint)
    next_status(complaint.status, "pay")  # refuses a complaint not verified yet, or already cleared or rejected
    value = check_amount(amount)
    check_payment(value, complaint.outstanding)
    paid_on = _day(paid_on, "paid_on", "还款日期", not_before=complaint.filed_on)
    payment = ArrearsPayment.objects.create(complaint=complaint, amount=value, paid_on=paid_on,
                                            note=(note or "").strip()[:300], recorded_by=_user(actor),
                                            recorded_at=clock.now())
    complaint.amount_paid += value
    event = "pay"
    if complaint.outstanding == Decimal(0):
        complaint.status, complaint.cleared_on, event = next_status(complaint.status, "clear"), paid_on, "clear"
    complaint.updated_at = clock.now()
    complaint.save()
    _audit(complaint, event, actor, before=before, data={"amount": str(value), "paid_on": paid_on.isoformat()})
    return payment


__all__ = ["EvidenceFile", "arrears_complaint_assign", "arrears_complaint_file", "arrears_complaint_verify",
           "arrears_payment_record", "arrears_plan_agree", "integrity_grant", "state_enterprise_register",
           "ArrearsStatus"]
