"""Writes of the repair app: repair applications (信用修复申请) and objections (异议申诉), one service per transition.

Every step applies the pure state tables of ``rules.repair``, writes one audit event in the same transaction and, where
the law says so, calls down into publicity and lists: a grant ends publication and sharing (publicity ``repair``,
NDRC Order 36 art. 3) and removes a list entry with reason "repaired"; an accepted objection leaves publication as
it is (the public site marks the record 异议处理中 until the decision); an objection upheld withdraws the record
(``record_revoke``) or corrects it (a new version).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from pubcredit.accounts.models import Department
from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.catalog.registry import get_class
from pubcredit.lists.models import ListEntry
from pubcredit.lists.services import list_entry_reinstate, list_entry_remove
from pubcredit.publicity.models import PublicityState
from pubcredit.publicity.services import publicity_resume, publicity_transition
from pubcredit.records.models import CreditRecord
from pubcredit.records.services import record_revoke, record_submit_one
from pubcredit.repair import selectors
from pubcredit.repair.models import OPEN_APPLICATION, OPEN_OBJECTION, Objection, RepairApplication
from pubcredit.repair.notices import notify_step
from pubcredit.repair.rulebook import rulebook
from pubcredit.rules import clock
from pubcredit.rules.calendar import Deadline, deadline
from pubcredit.rules.errors import DomainError
from pubcredit.rules.repair import (
    InvalidMove, ObjectionLimits, add_years, app_transition, obj_transition, objection_limits,
    reorganisation_transition)
from pubcredit.subjects.crypto import encrypt, lookup_hash
from pubcredit.workdays.selectors import holiday_envelope, work_calendar

__all__ = [
    "repair_application_submit", "repair_application_accept", "repair_application_notice",
    "repair_application_supplement", "repair_application_not_accept", "repair_application_extend",
    "repair_application_grant", "repair_application_refuse", "repair_application_withdraw",
    "repair_application_revoke_for_fraud", "objection_submit", "objection_accept", "objection_decide",
    "objection_extend", "reorganisation_submit", "reorganisation_shield", "reorganisation_file_completion",
    "reorganisation_restore", "reorganisation_complete",
]


def working_deadline(start: dt.date, n: int) -> Deadline:
    """``n`` working days after ``start`` by the platform calendar. A year without a holiday schedule gives the
    earliest day the limit could end (the unit's time, counted in the applicant's favour), marked provisional."""
    return deadline(work_calendar(), start, n, holiday_envelope(), favour="earlier")


def _email(value: str, field: str) -> str:
    """An optional e-mail address for notices: empty, or a valid address (``repair.email_invalid``)."""
    address = (value or "").strip()
    if address:
        try:
            validate_email(address)
        except ValidationError:
            raise DomainError("repair.email_invalid", "电子邮箱格式不正确", "not a valid e-mail address", field) from None
    return address


def _required(value: str, code: str, zh: str, en: str, field: str) -> str:
    if not (value or "").strip():
        raise DomainError(code, zh, en, field)
    return value.strip()


def _snapshot(app: RepairApplication) -> dict[str, Any]:
    return {"state": app.state, "accept_due": app.accept_due, "decide_due": app.decide_due,
            "decided_on": app.decided_on}


def _application_save_new(app: RepairApplication, actor: Any) -> RepairApplication:
    """Store a new application (one open application per item: the database refuses a second), audit and notify."""
    app.full_clean()
    try:
        with transaction.atomic():
            app.save()
    except IntegrityError:
        raise DomainError("repair.open_application", "该信息已有办理中的信用修复申请", "an application is already open",
                          "record") from None
    _audit_app(app, "submit", actor, None)
    notify_step(app, "submit")
    return app


def _audit_app(app: RepairApplication, event: str, actor: Any, before: dict | None, reason: str = "") -> None:
    audit.record(Event.REPAIR_APPLICATION_MOVED, actor=actor, object_type="repair_application", object_id=app.pk,
                 before=before, after=_snapshot(app), reason=reason, rule_version=app.rule_version,
                 data={"event": event, "record_id": app.record_id,
                       **({"fraud_record": app.fraud_record_id} if app.fraud_record_id else {})})


@transaction.atomic
def repair_application_submit(*, record: CreditRecord, applicant_uscc: str, contact_name: str, contact_phone: str,
                              proof_description: str, commitment_signed: bool, actor: Any,
                              contact_email: str = "", signed_by: str = "") -> RepairApplication:
    """Receive an application for one item (Order 36 art. 13–15): the applicant's item, eligible today, no other
    application open; only the materials the law names (proof of correction, the signed 信用承诺书). Free of charge."""
    if record.subject.uscc != (applicant_uscc or "").strip().upper():
        raise DomainError("repair.not_own_item", "该信息不属于申请主体", "the item is not the applicant's",
                          "applicant_uscc")
    contact = _required(contact_name, "repair.contact_required", "请填写联系人", "a contact is required", "contact_name")
    phone = _required(contact_phone, "repair.phone_required", "请填写联系电话", "a phone is required", "contact_phone")
    email = _email(contact_email, "contact_email")
    proof = _required(proof_description, "repair.proof_required", "请说明纠正失信行为、履行义务的证明材料（第十五条第一项）",
                      "describe the proof of correction", "proof_description")
    if not commitment_signed:
        raise DomainError("repair.commitment_required", "须签署信用承诺书（国家发展改革委令第36号第十四条第三项）",
                          "the credit commitment must be signed", "commitment_signed")
    eligibility = selectors.record_eligibility(record=record)
    if not eligibility.eligible:
        first = next(r for r in eligibility.reasons if not r.code.startswith("eligible."))
        raise DomainError(f"repair.{first.code}", first.message_zh, first.message_en, "record")
    if RepairApplication.objects.select_for_update().filter(record=record, state__in=OPEN_APPLICATION).exists():
        raise DomainError("repair.open_application", "该信息已有办理中的信用修复申请", "an application is already open",
                          "record")
    limits = eligibility.limits
    today, now = clock.today(), clock.now()
    accept_due = working_deadline(today, limits.accept)
    answer_due = working_deadline(today, limits.platform_answer)
    commitment = rulebook_commitment(record=record, eligibility_regime=eligibility.regime)
    if (signed_by or "").strip():  # signed on the public site: who signed, and when
        commitment = f"{commitment}\n签署人：{signed_by.strip()[:50]}　签署日期：{today:%Y年%m月%d日}"
    app = RepairApplication(
        record=record, list_entry=ListEntry.objects.filter(record=record).first(), subject=record.subject,
        department=record.department, authority=eligibility.authority, state="received",
        contact_name_encrypted=encrypt(contact), contact_phone_encrypted=encrypt(phone), proof_description=proof,
        contact_email_encrypted=encrypt(email) if email else "",
        commitment_text=commitment, received_on=today, accept_due=accept_due.value, answer_due=answer_due.value,
        deadline_provisional=accept_due.provisional or answer_due.provisional, regime=eligibility.regime,
        accept_working_days=limits.accept, decide_working_days=limits.decide,
        extension_working_days=limits.complex_extension, rule_version=eligibility.rule_version,
        created_at=now, updated_at=now)
    return _application_save_new(app, actor)


def rulebook_commitment(*, record: CreditRecord, eligibility_regime: str) -> str:
    """The commitment text the applicant signs, from the rulebook (Order 36 art. 14(3): 信用承诺书, materials true,
    liability for breach; SAMR 107 art. 14: 守信承诺书; a tax-list entry: 诚信纳税承诺书, 令第54号 第十九条)."""
    return commitment_for(record=record, eligibility_regime=eligibility_regime)[1]


def commitment_for(*, record: CreditRecord, eligibility_regime: str) -> tuple[str, str]:
    """The title and the text of the commitment for ``record``: its list's own where the list's rule names one
    (``lists.<code>.commitment_template``), else its regime's."""
    entry = ListEntry.objects.filter(record_id=record.pk).only("list_code").first()
    title, make = rulebook().commitment_for(eligibility_regime, entry.list_code if entry else "")
    return title, make(subject_name=record.subject.name, uscc=record.subject.uscc, decision_no=record.decision_no)


@dataclass(frozen=True)
class _Workflow:
    """What differs between the two case workflows; :func:`_advance_case` does the rest the same way for both."""

    transition: Callable[[str, str], Any]  # the pure state table of ``rules.repair``
    snapshot: Callable[[Any], dict[str, Any]]  # the audited before/after
    audit: Callable[..., None]
    invalid_code: str
    unit_zh: str  # "只有认定单位可以办理该…"
    related: tuple[str, ...]


def _workflow(case: RepairApplication | Objection) -> _Workflow:
    if isinstance(case, RepairApplication):
        transition = reorganisation_transition if case.kind == "reorganisation" else app_transition
        return _Workflow(transition, _snapshot, _audit_app, "repair.invalid_transition", "申请",
                         ("record", "list_entry"))
    return _Workflow(obj_transition, _obj_snapshot, _audit_obj, "objection.invalid_transition", "异议", ("record",))


def _advance_case(case, event: str, *, department: Department, actor: Any, reason: str = "", apply=None):
    """One step of a repair application or an objection, in one transaction: lock the row, check that ``department``
    is the identifying unit (认定单位, "谁认定、谁修复"), move the state by the rule table (a move the table lacks is a
    ``*.invalid_transition`` error and changes nothing), let ``apply`` write the step's own fields and effects, save
    and audit the step."""
    flow = _workflow(case)
    with transaction.atomic():
        case = (type(case).objects.select_for_update(of=("self",)).select_related(*flow.related).get(pk=case.pk))
        if case.department_id != department.pk:
            raise DomainError("repair.not_identifying_unit", f"只有认定单位可以办理该{flow.unit_zh}",
                              "only the identifying unit decides", "department")
        before = flow.snapshot(case)
        try:
            case.state = flow.transition(case.state, event).value
        except InvalidMove:
            raise DomainError(flow.invalid_code, f"当前状态（{case.get_state_display()}）不能执行该操作",
                              f"no {event!r} from {case.state}", "state") from None
        if apply is not None:
            apply(case)
        case.updated_at = clock.now()
        case.save()
        flow.audit(case, event, actor, before, reason)
        notify_step(case, event, reason)
    return case


def repair_application_accept(*, application: RepairApplication, department: Department, actor: Any):
    """Accept (受理): the decision limit (7 WD, Order 36 art. 16 para. 3; SAMR 107 art. 16) runs from today."""
    def apply(app):
        today = clock.today()
        due = working_deadline(today, app.decide_working_days)
        app.accepted_on, app.decide_due = today, due.value
        app.deadline_provisional = app.deadline_provisional or due.provisional
    return _advance_case(application, "accept", department=department, actor=actor, apply=apply)


def repair_application_notice(*, application: RepairApplication, missing: str, department: Department, actor: Any):
    """One-time notice (一次性告知) of everything missing (Order 36 art. 16 para. 2)."""
    text = _required(missing, "repair.notice_required", "请一次性列明需要补正的全部材料", "list everything missing", "missing")

    def apply(app):
        app.notice_text = text
    return _advance_case(application, "notice", department=department, actor=actor, reason=text, apply=apply)


def repair_application_supplement(*, application: RepairApplication, proof_description: str, actor: Any):
    """The applicant supplied what the notice listed: the acceptance limit runs again from today."""
    proof = _required(proof_description, "repair.proof_required", "请说明补正的材料", "describe the materials",
                      "proof_description")

    def apply(app):
        app.proof_description = f"{app.proof_description}\n补正：{proof}"
        due = working_deadline(clock.today(), app.accept_working_days)
        app.accept_due, app.deadline_provisional = due.value, app.deadline_provisional or due.provisional
    return _advance_case(application, "supplement", department=application.department, actor=actor, apply=apply)


def _with_reason(reason: str) -> str:
    return _required(reason, "repair.reason_required", "须说明理由", "a reason is required", "reason")


def repair_application_not_accept(*, application: RepairApplication, reason: str, department: Department, actor: Any):
    text = _with_reason(reason)

    def apply(app):
        app.decision_reason, app.decided_on = text, clock.today()
    return _advance_case(application, "not_accept", department=department, actor=actor, reason=text, apply=apply)


def repair_application_extend(*, application: RepairApplication, reason: str, department: Department, actor: Any):
    """Complex case (案情复杂): the decision limit grows by 10 WD once, with the reason (Order 36 art. 16 para. 3)."""
    text = _with_reason(reason)
    if application.extension_working_days == 0:
        raise DomainError("repair.no_extension", "该类申请的办理期限不得延长", "this limit cannot be extended", "state")

    def apply(app):
        due = working_deadline(app.decide_due, app.extension_working_days)
        app.decide_due, app.complex_reason = due.value, text
        app.deadline_provisional = app.deadline_provisional or due.provisional
    return _advance_case(application, "extend", department=department, actor=actor, reason=text, apply=apply)


def repair_application_grant(*, application: RepairApplication, reason: str, department: Department, actor: Any):
    """准予修复: in the same transaction publication ends and sharing stops (Order 36 art. 3), a list entry leaves
    the list with reason "repaired"; the change feed and checks follow from those services."""
    text = _with_reason(reason)

    def apply(app):
        app.decision_reason, app.decided_on = text, clock.today()
        _shield(app, actor, f"信用修复申请{app.pk}准予修复：{text}")
    return _advance_case(application, "grant", department=department, actor=actor, reason=text, apply=apply)


def repair_application_refuse(*, application: RepairApplication, reason: str, department: Department, actor: Any):
    """不予修复, with the reasons told to the applicant (Order 36 art. 17)."""
    text = _with_reason(reason)

    def apply(app):
        app.decision_reason, app.decided_on = text, clock.today()
    return _advance_case(application, "refuse", department=department, actor=actor, reason=text, apply=apply)


def repair_application_withdraw(*, application: RepairApplication, actor: Any):
    return _advance_case(application, "withdraw", department=application.department, actor=actor, reason="申请人撤回")


def _shield(app: RepairApplication, actor: Any, note: str) -> None:
    """The effects of a grant (also of a reorganisation's temporary shielding): a list entry in force leaves with
    reason "repaired" (checks stop hitting it, the change feed carries it), a published record goes to ``repaired``
    (off the portal and the public API, not shared, a change-feed row). ``minimum_period``: a reorganisation is
    shielded whatever the minimum period (Order 36 art. 20 sets none)."""
    entry = app.list_entry
    if entry is not None and entry.status == "in_force":
        list_entry_remove(entry=entry, reason="repaired", note=note, actor=actor)
    state = PublicityState.objects.filter(record_id=app.record_id).first()
    if state is not None and state.state == "published":
        publicity_transition(record=app.record, event="repair", actor=actor, reason=note,
                             minimum_period=app.kind != "reorganisation")


def _unshield(app: RepairApplication, actor: Any, note: str) -> None:
    """Undo :func:`_shield`: a list entry removed for the repair is back in force, publication resumes."""
    entry = app.list_entry
    if entry is not None:
        entry.refresh_from_db()
        if entry.status == "removed" and entry.removal_reason == "repaired":
            list_entry_reinstate(entry=entry, note=note, actor=actor)
    state = PublicityState.objects.filter(record_id=app.record_id).first()
    if state is not None and state.state == "repaired":
        publicity_transition(record=app.record, event="unrepair", actor=actor, reason=note)


FRAUD_CLASS = "repair_fraud"  # 信用修复弄虚作假信息 (rulebook/catalog/repair_fraud.yaml)


def _fraud_record(app: RepairApplication, reason: str, actor: Any) -> CreditRecord:
    """The new negative record of the fraud (Order 36 art. 25: "由失信信息认定单位记入信用记录……公示3年不得提前终止公示";
    SAMR 107 art. 23 para. 2), made by the platform through the records service: the identifying unit is its source
    department, the revocation (number, day, reasons) its basis. Publicity: 36 months from the revocation, no repair
    (policy.yaml ``fixed_period_classes.repair_fraud``)."""
    record, department, today = app.record, app.department, clock.today()
    fields = record.fields or {}
    values = {
        "subject_name": record.subject.name, "subject_category": fields.get("subject_category") or "legal_person",
        "subject_uscc": record.subject.uscc, "legal_rep": fields.get("legal_rep") or "",
        "decision_no": f"撤销信用修复决定（申请{app.pk}）", "decision_date": today.isoformat(),
        "original_decision_no": record.decision_no, "repair_application_no": str(app.pk),
        "fraud_facts": reason, "repair_barred_until": app.fraud_block_until.isoformat(),
        "identifying_unit": app.authority or department.name, "source_name": department.name,
        "source_uscc": department.uscc,
    }
    result = record_submit_one(info_class=get_class(FRAUD_CLASS), values={k: v for k, v in values.items() if v},
                               department=department, actor=actor)
    return CreditRecord.objects.get(pk=result.record_ids[0])


def repair_application_revoke_for_fraud(*, application: RepairApplication, reason: str, department: Department,
                                        actor: Any):
    """A grant obtained by fraud is revoked (Order 36 art. 25; SAMR 107 art. 23): the item is restored (publication
    resumes, a list entry removed for the repair is back in force), cannot be repaired for 3 years, and a new
    negative record of the fraud is made in the same transaction (published 3 years, no early end)."""
    text = _with_reason(reason)

    def apply(app):
        today = clock.today()
        years = rulebook().regimes[app.regime].fraud_block_years
        app.fraud_block_until = add_years(today, years) - dt.timedelta(days=1)
        _unshield(app, actor, f"撤销修复决定：{text}")
        app.fraud_record = _fraud_record(app, text, actor)
    return _advance_case(application, "revoke", department=department, actor=actor, reason=text, apply=apply)


# ------------------------------------------------------------------------------------------------------------
# Bankruptcy reorganisation (破产重整, NDRC Order 36 art. 20; SAMR Order 107 art. 22): temporary shielding


@transaction.atomic
def reorganisation_submit(*, record: CreditRecord, applicant_uscc: str, applicant_role: str, court_ruling_no: str,
                          contact_name: str, contact_phone: str, plan_description: str, actor: Any,
                          contact_email: str = "") -> RepairApplication:
    """The reorganised enterprise or its administrator (管理人) applies, with the court's ruling approving the
    reorganisation plan or the settlement (批准重整计划或认可和解协议的裁定书), to shield one item while the plan is
    carried out (Order 36 art. 20 para. 1). The unit shields it within 10 WD of receipt (SAMR items: 7 WD, SAMR 107
    art. 22). No minimum period, no commitment: art. 20 asks only for the ruling."""
    if record.subject.uscc != (applicant_uscc or "").strip().upper():
        raise DomainError("repair.not_own_item", "该信息不属于重整企业", "the item is not the enterprise's",
                          "applicant_uscc")
    if applicant_role not in ("enterprise", "administrator"):
        raise DomainError("reorganisation.applicant_role", "申请人须为重整企业或管理人", "the enterprise or administrator",
                          "applicant_role")
    ruling = _required(court_ruling_no, "reorganisation.ruling_required",
                       "请填写人民法院批准重整计划或认可和解协议的裁定书文号（第二十条第一款）", "the court's ruling is required",
                       "court_ruling_no")
    contact = _required(contact_name, "repair.contact_required", "请填写联系人", "a contact is required", "contact_name")
    phone = _required(contact_phone, "repair.phone_required", "请填写联系电话", "a phone is required", "contact_phone")
    email = _email(contact_email, "contact_email")
    plan = _required(plan_description, "reorganisation.plan_required", "请说明重整计划或和解协议的执行情况及需屏蔽的理由",
                     "describe the plan and why the item hinders it", "plan_description")
    refusal, regime_id, authority = selectors.reorganisation_check(record=record)
    if refusal is not None:
        raise DomainError(f"repair.{refusal.code}", refusal.message_zh, refusal.message_en, "record")
    if RepairApplication.objects.select_for_update().filter(record=record, state__in=OPEN_APPLICATION).exists():
        raise DomainError("repair.open_application", "该信息已有办理中的信用修复申请", "an application is already open",
                          "record")
    regime = rulebook().regimes[regime_id]
    today, now = clock.today(), clock.now()
    shield_due = working_deadline(today, regime.reorganisation_working_days)
    answer_due = working_deadline(today, regime.platform_answer_working_days)
    app = RepairApplication(
        record=record, list_entry=ListEntry.objects.filter(record=record).first(), subject=record.subject,
        department=record.department, authority=authority[:200], state="received", kind="reorganisation",
        applicant_role=applicant_role, court_ruling_no=ruling[:100],
        contact_name_encrypted=encrypt(contact), contact_phone_encrypted=encrypt(phone),
        contact_email_encrypted=encrypt(email) if email else "", proof_description=plan, commitment_text="",
        received_on=today, accept_due=shield_due.value, answer_due=answer_due.value,
        deadline_provisional=shield_due.provisional or answer_due.provisional, regime=regime_id,
        accept_working_days=regime.reorganisation_working_days, decide_working_days=0, extension_working_days=0,
        rule_version=rulebook().version, created_at=now, updated_at=now)
    return _application_save_new(app, actor)


def _reorganisation(application: RepairApplication) -> RepairApplication:
    if application.kind != "reorganisation":
        raise DomainError("reorganisation.not_reorganisation", "该申请不是破产重整信用修复申请",
                          "not a reorganisation application", "application")
    return application


def reorganisation_shield(*, application: RepairApplication, department: Department, actor: Any,
                          reason: str = "") -> RepairApplication:
    """临时屏蔽 (Order 36 art. 20 para. 1): the item stops being published and shared exactly as a granted repair
    does (a list entry leaves with reason "repaired", the record's publicity goes to ``repaired``), until the plan's
    outcome; the restrictions that rest on it (check hits) end with it."""
    _reorganisation(application)
    text = (reason or "").strip() or "重整计划（和解协议）执行期间临时屏蔽"

    def apply(app):
        app.shielded_on = clock.today()
        _shield(app, actor, f"破产重整临时屏蔽（申请{app.pk}，裁定书{app.court_ruling_no}）：{text}")
    return _advance_case(application, "shield", department=department, actor=actor, reason=text, apply=apply)


def reorganisation_file_completion(*, application: RepairApplication, ruling_no: str, description: str,
                                   actor: Any) -> RepairApplication:
    """The applicant files the court's ruling confirming the plan completed (确认执行完毕的裁定书, art. 20 para. 3),
    with a note; the unit then completes the repair. The shielding stays meanwhile."""
    _reorganisation(application)
    ruling = _required(ruling_no, "reorganisation.ruling_required", "请填写人民法院确认执行完毕的裁定书文号",
                       "the court's ruling is required", "ruling_no")
    note = (description or "").strip()

    def apply(app):
        app.outcome_ruling_no = ruling[:100]
        app.proof_description = f"{app.proof_description}\n执行完毕裁定书：{ruling}{('；' + note) if note else ''}"
    return _advance_case(application, "file_completion", department=application.department, actor=actor,
                         reason=ruling, apply=apply)


def reorganisation_restore(*, application: RepairApplication, ruling_no: str, reason: str, department: Department,
                           actor: Any) -> RepairApplication:
    """The plan was not carried out (重整计划或和解协议未执行成功, e.g. the court's ruling terminating it and declaring
    bankruptcy): the unit restores the item's former publication (Order 36 art. 20 para. 2; SAMR 107 art. 22 para.
    3) — publication resumes, a list entry is back in force."""
    _reorganisation(application)
    ruling = _required(ruling_no, "reorganisation.ruling_required", "请填写终止执行重整计划（和解协议）的裁定书文号",
                       "the court's ruling is required", "ruling_no")
    text = _with_reason(reason)

    def apply(app):
        app.outcome_ruling_no, app.decision_reason, app.decided_on = ruling[:100], text, clock.today()
        _unshield(app, actor, f"重整计划未执行成功，恢复公示（申请{app.pk}，裁定书{ruling}）：{text}")
    return _advance_case(application, "restore", department=department, actor=actor, reason=text, apply=apply)


def reorganisation_complete(*, application: RepairApplication, reason: str, department: Department, actor: Any,
                            ruling_no: str = "") -> RepairApplication:
    """The plan was completed (the court's ruling confirming it, filed by the applicant or given here): the
    temporary shielding becomes a repair (Order 36 art. 20 para. 3; SAMR 107 art. 22 para. 2) — the item stays off
    publication and sharing for good, the case is 准予修复 (a grant: revocable for fraud, art. 25)."""
    _reorganisation(application)
    text = _with_reason(reason)
    ruling = (ruling_no or "").strip() or application.outcome_ruling_no
    if not ruling:
        raise DomainError("reorganisation.ruling_required", "请填写人民法院确认重整计划（和解协议）执行完毕的裁定书文号",
                          "the court's ruling confirming completion is required", "ruling_no")

    def apply(app):
        app.outcome_ruling_no, app.decision_reason, app.decided_on = ruling[:100], text, clock.today()
        _shield(app, actor, f"重整计划执行完毕，信用修复（申请{app.pk}，裁定书{ruling}）：{text}")
    return _advance_case(application, "complete", department=department, actor=actor, reason=text, apply=apply)


# ------------------------------------------------------------------------------------------------------------
# Objections (异议申诉, NDRC Order 36 art. 18)


def _obj_snapshot(obj: Objection) -> dict[str, Any]:
    return {"state": obj.state, "verify_due": obj.verify_due, "decided_on": obj.decided_on}


def _audit_obj(obj: Objection, event: str, actor: Any, before: dict | None, reason: str = "") -> None:
    audit.record(Event.OBJECTION_MOVED, actor=actor, object_type="objection", object_id=obj.pk, before=before,
                 after=_obj_snapshot(obj), reason=reason, rule_version=obj.rule_version,
                 data={"event": event, "record_id": obj.record_id})


def objector_key(name: str, contact: str) -> str:
    """Who objects, as a keyed hash (no clear text stored): the name and the contact, spaces and case ignored."""
    def norm(value: str) -> str:
        return "".join(unicodedata.normalize("NFKC", value).split()).replace("-", "").lower()
    return lookup_hash(f"objector:{norm(name)}|{norm(contact)}")


def _already_open() -> DomainError:
    return DomainError("objection.already_open", "您对该信息提出的异议正在办理中，请等待处理结果，不必重复提出",
                       "this objector already has an open objection on this record", "record")


@transaction.atomic
def objection_submit(*, record: CreditRecord, objector_name: str, objector_contact: str, grounds: str,
                     actor: Any, objector_email: str = "") -> Objection:
    """Anyone concerned may object, with evidence; forwarded to the identifying unit within 1 WD (Order 36 art. 18).

    Two open objections on one record (docs/repair.md, "Two objections on one record"): the same objector (same name
    and contact) cannot open a second one while the first is open (``objection.already_open``: the first will be
    answered); another objector's objection is received on its own — art. 18 gives each an answer — and, once
    accepted, verified together with the others (:func:`objection_decide` answers every accepted one at once)."""
    name = _required(objector_name, "objection.name_required", "请填写异议人", "the objector is required", "objector_name")
    contact = _required(objector_contact, "objection.contact_required", "请填写联系方式", "a contact is required",
                        "objector_contact")
    text = _required(grounds, "objection.grounds_required", "请说明异议事项、理由和佐证材料", "state the grounds", "grounds")
    email = _email(objector_email, "objector_email")
    if record.status == "revoked":
        raise DomainError("objection.record_revoked", "该信息已撤销，无需提出异议", "the record is revoked", "record")
    key = objector_key(name, contact)
    if Objection.objects.select_for_update().filter(record=record, objector_key=key, state__in=OPEN_OBJECTION).exists():
        raise _already_open()
    today, now = clock.today(), clock.now()
    limits = objection_limits_for(record, today)
    forward = working_deadline(today, limits.forward)
    accept = working_deadline(today, limits.accept) if limits.accept else None  # 经营异常名录第十五条: 5 WD
    obj = Objection(record=record, department=record.department, state="received", objector_key=key,
                    objector_name_encrypted=encrypt(name), objector_contact_encrypted=encrypt(contact), grounds=text,
                    objector_email_encrypted=encrypt(email) if email else "",
                    received_on=today, forward_due=forward.value, accept_due=accept.value if accept else None,
                    deadline_provisional=forward.provisional or bool(accept and accept.provisional),
                    limits_article=limits.article[:100],
                    rule_version=rulebook().version, created_at=now, updated_at=now)
    obj.full_clean(validate_constraints=False)  # the open-objection constraint: the save below answers it
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise _already_open() from None
    _audit_obj(obj, "submit", actor, None)
    notify_step(obj, "submit")
    return obj


def objection_accept(*, objection: Objection, department: Department, actor: Any) -> Objection:
    """Accept for verification (受理核查): the verification limit (7 WD, Order 36 art. 18) runs from today. From now
    until the decision the record is shown on the public site with the mark 异议处理中
    (``selectors.records_under_objection``); its publication, sharing and check answers go on unchanged, because
    neither art. 18 nor any other article of Order 36 suspends publication for an objection (art. 19: not even
    reconsideration or litigation does, unless a stay is ordered)."""
    def apply(obj):
        due = working_deadline(clock.today(), objection_limits_for(obj.record, obj.received_on).verify)
        obj.accepted_on, obj.verify_due = clock.today(), due.value
        obj.deadline_provisional = obj.deadline_provisional or due.provisional
    return _advance_case(objection, "accept", department=department, actor=actor, apply=apply)


def objection_limits_for(record: CreditRecord, received_on: dt.date) -> ObjectionLimits:
    """The objection limits of ``record`` for an objection received on ``received_on`` (an abnormal-list entry
    within 30 days of publication: its own limits, §1.5; otherwise Order 36 art. 18)."""
    entry = ListEntry.objects.filter(record_id=record.pk).only("list_code", "effective_date").first()
    state = PublicityState.objects.filter(record_id=record.pk).only("regime").first()
    return objection_limits(rulebook(), publicity_regime=state.regime if state else "",
                            list_code=entry.list_code if entry else "",
                            list_effective=entry.effective_date if entry else None, received_on=received_on)


def objection_extend(*, objection: Objection, until: dt.date | str, reason: str, department: Department,
                     actor: Any) -> Objection:
    """延长核查期限: a complex verification takes longer, told to the objector in advance (Order 36 art. 18, last
    sentence) — so only while the current limit has not passed, to a later working day, with the reason. Art. 18
    sets no maximum; the new limit is shown to the objector and counted for the figures."""
    text = _with_reason(reason)
    if isinstance(until, str):
        try:
            until = dt.date.fromisoformat(until.strip())
        except ValueError:
            raise DomainError("objection.extension_date", "请填写延长后的核查期限（日期）", "not a date", "until") from None

    def apply(obj):
        today = clock.today()
        if obj.verify_due is None or today > obj.verify_due:
            raise DomainError("objection.extension_late", "核查期限已过，延长须在期限届满前告知异议人（第十八条）",
                              "the extension must be told before the limit passes", "until")
        if until <= obj.verify_due:
            raise DomainError("objection.extension_date", f"延长后的期限须晚于原核查期限{obj.verify_due:%Y-%m-%d}",
                              "the new limit must be later than the current one", "until")
        if not work_calendar().is_working_day(until):
            raise DomainError("objection.extension_date", "延长后的期限须为工作日", "the new limit must be a working day",
                              "until")
        obj.verify_due, obj.extension_reason = until, text
    return _advance_case(objection, "extend", department=department, actor=actor, reason=text, apply=apply)


OUTCOMES = {"correct": "更正", "withdraw_record": "撤销信息", "dismiss": "异议不成立"}


def objection_decide(*, objection: Objection, outcome: str, reason: str, department: Department, actor: Any,
                     corrections: dict[str, Any] | None = None) -> Objection:
    """Decide with reasons: ``correct`` (a new record version through the records service), ``withdraw_record``
    (the record is revoked and leaves publication), ``dismiss`` (the record stays as it is). The objector is told
    through the objection's state and reason and a notice.

    Verified together (合并核查): a decision after verification answers every objection accepted on the record, in the
    same transaction and with the same outcome and reasons (one correction, one revocation), each audited and
    notified; a record cannot be both corrected and left unchanged. Dismissing an objection not yet accepted
    (不予受理) concerns that objection only."""
    if outcome not in OUTCOMES:
        raise DomainError("objection.outcome", "处理结果须为更正、撤销信息或异议不成立", f"unknown outcome {outcome!r}",
                          "outcome")
    text = _with_reason(reason)

    def apply(obj):
        obj.decision_reason, obj.decided_on = text, clock.today()
        record = obj.record
        if outcome == "withdraw_record":
            record_revoke(record=record, reason=f"异议成立：{text}", actor=actor)
        elif obj.held_publicity:  # accepted before objections stopped holding publication: resume it now
            publicity_resume(record=record, actor=actor, reason=f"异议申诉{obj.pk}处理完毕：{OUTCOMES[outcome]}")
        if outcome == "correct":
            if not corrections:
                raise DomainError("objection.corrections_required", "更正须给出更正后的字段", "corrections are required",
                                  "corrections")
            # the stored fields are normalised: lists (处罚类别 codes) go back as the comma-separated input form
            current = {k: ",".join(map(str, v)) if isinstance(v, list) else v for k, v in (record.fields or {}).items()}
            values = {**current, **corrections}
            record_submit_one(info_class=get_class(record.class_code), values=values, department=record.department,
                              actor=actor)
            record.refresh_from_db()
            obj.corrected_version = record.version
        if obj.accepted_on is not None:
            _answer_joined(obj, outcome, text, actor)
    return _advance_case(objection, outcome, department=department, actor=actor, reason=text, apply=apply)


def _answer_joined(decided: Objection, outcome: str, reason: str, actor: Any) -> None:
    """The other objections accepted on the record get the same answer (合并核查), each with its audit and notice."""
    others = (Objection.objects.select_for_update(of=("self",)).select_related("record")
              .filter(record_id=decided.record_id, state="accepted").exclude(pk=decided.pk).order_by("pk"))
    for other in others:
        before = _obj_snapshot(other)
        other.state = obj_transition(other.state, outcome).value
        other.decision_reason = f"{reason}（与异议申诉{decided.pk}合并核查）"
        other.decided_on, other.corrected_version = decided.decided_on, decided.corrected_version
        other.updated_at = clock.now()
        other.save()
        _audit_obj(other, outcome, actor, before, other.decision_reason)
        notify_step(other, outcome)
