"""The identification workflow of lists decided in the city (认定程序, 国办发〔2020〕49号 §(六)): open, legal-basis
check, prior notification, defence, decision, push (the decided listing becomes a record and, by the records-changed
event, an entry) or drop. Part of ``lists.services``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from pubcredit.accounts.models import Department, User
from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.catalog.registry import get_class
from pubcredit.lists.choices import CaseStateChoice
from pubcredit.lists.models import IdentificationCase
from pubcredit.lists.rulebook import rulebook
from pubcredit.records.choices import SubmissionChannel
from pubcredit.records.services import record_submit_one
from pubcredit.rules import clock, identifiers
from pubcredit.rules import lists as rules
from pubcredit.rules.errors import DomainError, Problem
from pubcredit.rules.lists import CaseEvent, ListSpec, TransitionError
from pubcredit.subjects import crypto
from pubcredit.workdays.selectors import holiday_envelope, work_calendar


# --- identification workflow (认定程序) ----------------------------------------------------------------------------

# fields a case fills itself; a list class's other required fields come from the case's ``extra``
CASE_FIELDS = frozenset({"subject_name", "subject_category", "subject_uscc", "id_type", "id_number", "decision_no",
                         "decision_date", "effective_date", "planned_end_date", "identifying_unit",
                         "identifying_unit_uscc", "listing_basis", "source_name", "source_uscc", "removal_date",
                         "removal_reason", "remarks"})


def _spec(list_code: str, on: dt.date) -> ListSpec:
    spec = rulebook().get(list_code, on)
    if spec is None:
        raise DomainError("identification.unknown_list", f"未知的名单：{list_code}", f"unknown list {list_code!r}",
                          "list_code")
    if not spec.identified_in_city:
        raise DomainError("identification.not_city_list", f"{spec.name_zh}不由本市认定（由{spec.identified_by_zh}认定后推送）",
                          f"{list_code} is not decided in the city", "list_code")
    return spec


def _move(case: IdentificationCase, event: CaseEvent) -> ListSpec:
    spec = _spec(case.list_code, clock.today())
    try:
        case.state = rules.case_transition(case.state, event, spec).value
    except TransitionError as exc:
        raise DomainError.from_problems([exc.problem]) from None
    case.updated_at = clock.now()
    return spec


def _case_audit(event: Event, case: IdentificationCase, actor: Any, *, before: str, reason: str = "",
                data: dict | None = None) -> None:
    audit.record(event, actor=actor, object_type="identification_case", object_id=case.pk,
                 before={"state": before}, after={"state": case.state}, reason=reason, rule_version=case.rule_version,
                 data={"list_code": case.list_code, "subject": case.subject_code, **(data or {})})


def _required(value: str, code: str, zh: str, en: str, field_name: str) -> str:
    if not (value or "").strip():
        raise DomainError(code, zh, en, field_name)
    return value.strip()


@transaction.atomic
def identification_open(*, list_code: str, department: Department, subject_name: str, subject_category: str,
                        uscc: str = "", id_number: str = "", grounds: str, cited_basis: str, finding_document: str,
                        extra: dict[str, Any] | None = None, actor: Any) -> IdentificationCase:
    """Open a case (立案) for a list decided in the city, about one subject, with its grounds and cited basis."""
    today = clock.today()
    spec = _spec(list_code, today)
    info_class = get_class(list_code)
    if subject_category not in info_class.field("subject_category").enum_labels:
        raise DomainError("identification.subject_category", "该名单不适用此主体类别",
                          f"{subject_category} cannot be on {list_code}", "subject_category")
    subject_name = _required(subject_name, "identification.subject_name", "须填写当事人名称", "subject name required",
                             "subject_name")
    values: dict[str, Any] = {"subject_uscc": "", "id_encrypted": "", "id_masked": ""}
    if uscc or subject_category != "natural_person":
        check = identifiers.check_uscc(uscc, field_name="uscc")
        if not check.ok:
            raise DomainError.from_problems(check.problems)
        values["subject_uscc"] = check.value
    else:
        check = identifiers.check_resident_id(id_number, today=today, field_name="id_number")
        if not check.ok:
            raise DomainError.from_problems(check.problems)
        values["id_encrypted"] = crypto.encrypt(check.value)
        values["id_masked"] = identifiers.mask_resident_id(check.value)
    missing = [f for f in info_class.fields if f.required and f.key not in CASE_FIELDS and not (extra or {}).get(f.key)]
    if missing:
        raise DomainError.from_problems([Problem("identification.extra_required", f"须填写{f.label_zh}",
                                                 f"{f.key} is required", f"extra.{f.key}") for f in missing])
    now = clock.now()
    case = IdentificationCase.objects.create(
        list_code=list_code, department=department, subject_name=subject_name, subject_category=subject_category,
        grounds=grounds.strip(), cited_basis=cited_basis.strip(), finding_document=finding_document.strip(),
        extra={k: v for k, v in (extra or {}).items() if v not in (None, "")}, rule_version=spec.rule_version,
        created_by=actor if isinstance(actor, User) else None, created_at=now, updated_at=now, **values)
    _case_audit(Event.LIST_CASE_OPENED, case, actor, before="")
    return case


def identification_check_basis(*, case: IdentificationCase, actor: Any) -> IdentificationCase:
    """Legal-basis check (合法性审查, 国办发〔2020〕49号). The outcome is stored and audited either way; a failed check
    leaves the case where it was and raises with every problem."""
    today = clock.today()
    spec = _spec(case.list_code, today)
    outcome = rules.basis_check(spec, cited_basis=case.cited_basis, finding_document=case.finding_document,
                                grounds=case.grounds, on=today)
    with transaction.atomic():
        case.basis_check = {**outcome.as_dict(), "checked_on": today.isoformat()}
        if not outcome.ok:
            case.updated_at = clock.now()
            case.save(update_fields=["basis_check", "updated_at"])
            audit.record(Event.LIST_CASE_BASIS_CHECKED, actor=actor, object_type="identification_case",
                         object_id=case.pk, after={"ok": False}, rule_version=outcome.rule_version,
                         data={"problems": [p.code for p in outcome.problems]})
        else:
            before = case.state
            _move(case, CaseEvent.CHECK_BASIS)
            case.save(update_fields=["basis_check", "state", "updated_at"])
            _case_audit(Event.LIST_CASE_BASIS_CHECKED, case, actor, before=before,
                        data={"warnings": [p.code for p in outcome.warnings], "matched": list(outcome.matched)})
    if not outcome.ok:
        raise DomainError.from_problems(list(outcome.problems))
    return case


@transaction.atomic
def identification_notify(*, case: IdentificationCase, notice_no: str, served_on: dt.date, actor: Any) -> IdentificationCase:
    """Prior notification (事先告知): grounds, basis and rights served; the defence deadline is N working days later."""
    before = case.state
    spec = _move(case, CaseEvent.NOTIFY)
    if served_on > clock.today():
        raise DomainError("identification.future", "送达日期不能晚于今天", "served_on is in the future", "served_on")
    case.notice_no = _required(notice_no, "identification.notice_no", "须填写告知书文号", "notice number required",
                               "notice_no")
    case.notified_on = served_on
    bound = rules.defence_deadline_bound(spec, served_on, work_calendar(), holiday_envelope())
    case.defence_deadline = bound.value if bound else None
    case.save(update_fields=["state", "notice_no", "notified_on", "defence_deadline", "updated_at"])
    _case_audit(Event.LIST_CASE_NOTIFIED, case, actor, before=before,
                data={"defence_deadline": case.defence_deadline.isoformat() if case.defence_deadline else None,
                      "defence_deadline_provisional": bool(bound and bound.provisional)})
    return case


@transaction.atomic
def identification_record_defence(*, case: IdentificationCase, defence: str, reply: str, received_on: dt.date,
                                  actor: Any) -> IdentificationCase:
    """Record the subject's statement and defence (陈述申辩) and how it was answered (采纳情况)."""
    before = case.state
    _move(case, CaseEvent.RECORD_DEFENCE)
    case.defence = _required(defence, "identification.defence", "须填写陈述申辩意见", "defence text required", "defence")
    case.defence_reply = _required(reply, "identification.defence_reply", "须写明陈述申辩的采纳情况及理由",
                                   "the reply to the defence is required", "reply")
    case.defence_received_on = received_on
    case.save(update_fields=["state", "defence", "defence_reply", "defence_received_on", "updated_at"])
    _case_audit(Event.LIST_CASE_DEFENCE, case, actor, before=before)
    return case


@transaction.atomic
def identification_decide(*, case: IdentificationCase, decision_no: str, decision_date: dt.date,
                          effective_date: dt.date | None = None, planned_end: dt.date | None = None,
                          removal_conditions: str = "", remedies: str = "", actor: Any) -> IdentificationCase:
    """The decision (认定决定书): number, dates, removal conditions and procedure, remedies (49号 §(六)).

    After a notice, the decision waits until the defence was recorded or its deadline has passed.
    """
    today = clock.today()
    before = case.state
    spec = _move(case, CaseEvent.DECIDE)
    if before == CaseStateChoice.NOTIFIED and not case.defence_received_on and case.notified_on:
        # the deadline again, by today's calendar: a year loaded since the notice gives the real one
        bound = rules.defence_deadline_bound(spec, case.notified_on, work_calendar(), holiday_envelope())
        if bound is not None and bound.provisional:
            years = "、".join(str(y) for y in bound.missing_years)
            raise DomainError("identification.deadline_provisional",
                              f"陈述申辩期跨入{years}年，该年节假日安排尚未载入，截止日暂按最长可能期限计至{bound.value}；"
                              f"请先由信用中心载入{years}年节假日安排，再作出决定",
                              f"the defence period runs into {years}, whose holiday schedule is not loaded (provisional "
                              f"end {bound.value}): the decision waits until it is loaded", "decision_date")
        if bound is not None:
            case.defence_deadline = bound.value
    if before == CaseStateChoice.NOTIFIED and not case.defence_received_on and case.defence_deadline \
            and today <= case.defence_deadline:
        raise DomainError("identification.defence_period", f"陈述申辩期至{case.defence_deadline}，期满或收到陈述申辩后才能作出决定",
                          f"the defence period runs until {case.defence_deadline}", "decision_date")
    if decision_date > today:
        raise DomainError("identification.future", "认定日期不能晚于今天", "decision_date is in the future", "decision_date")
    if case.notified_on and decision_date < case.notified_on:
        raise DomainError("identification.date_order", "认定日期不能早于告知送达日期", "decided before the notice",
                          "decision_date")
    procedure = spec.procedure
    case.decision_no = _required(decision_no, "identification.decision_no", "须填写认定决定书文号",
                                 "decision number required", "decision_no")
    case.decision_date, case.effective_date, case.planned_end = decision_date, effective_date or decision_date, planned_end
    case.removal_conditions = removal_conditions.strip() or (procedure.removal_conditions_zh if procedure else "")
    case.remedies = remedies.strip() or (procedure.remedies_zh if procedure else "")
    if not case.removal_conditions or not case.remedies:
        raise DomainError("identification.decision_incomplete", "决定书须载明移出条件和程序、救济途径",
                          "the decision must state removal conditions and remedies", "removal_conditions")
    case.save(update_fields=["state", "decision_no", "decision_date", "effective_date", "planned_end",
                             "defence_deadline", "removal_conditions", "remedies", "updated_at"])
    _case_audit(Event.LIST_CASE_DECIDED, case, actor, before=before, data={"decision_no": case.decision_no})
    return case


def _record_values(case: IdentificationCase) -> dict[str, Any]:
    department = case.department
    values: dict[str, Any] = {
        "subject_name": case.subject_name, "subject_category": case.subject_category,
        "decision_no": case.decision_no, "decision_date": case.decision_date.isoformat(),
        "effective_date": case.effective_date.isoformat() if case.effective_date else None,
        "planned_end_date": case.planned_end.isoformat() if case.planned_end else None,
        "identifying_unit": department.name, "identifying_unit_uscc": department.uscc,
        "listing_basis": case.cited_basis, "source_name": department.name, "source_uscc": department.uscc,
        "remarks": f"本市认定，决定书{case.decision_no}",
    }
    if case.subject_uscc:
        values["subject_uscc"] = case.subject_uscc
    else:
        values["id_type"] = "resident_id"
        values["id_number"] = crypto.decrypt(case.id_encrypted)
    return {**values, **case.extra}


@transaction.atomic
def identification_push(*, case: IdentificationCase, actor: Any) -> IdentificationCase:
    """Push the decided listing to the platform (推送): it becomes a record of the list class and a list entry. The
    7-working-day clock runs from the decision date; a late push is flagged on the entry."""
    before = case.state
    _move(case, CaseEvent.PUSH)
    result = record_submit_one(info_class=get_class(case.list_code), values=_record_values(case),
                               department=case.department, actor=actor, channel=SubmissionChannel.FORM)
    case.record_id = result.record_ids[0]  # its list entry was derived by the records-changed event (lists.subscribers)
    case.save(update_fields=["state", "record", "updated_at"])
    _case_audit(Event.LIST_CASE_PUSHED, case, actor, before=before, data={"record": case.record_id})
    return case


@transaction.atomic
def identification_drop(*, case: IdentificationCase, reason: str, actor: Any) -> IdentificationCase:
    """Do not list (不予认定): e.g. the defence was accepted or the basis does not hold."""
    before = case.state
    _move(case, CaseEvent.DROP)
    case.drop_reason = _required(reason, "identification.drop_reason", "须说明不予认定的理由", "a reason is required",
                                 "reason")
    case.save(update_fields=["state", "drop_reason", "updated_at"])
    _case_audit(Event.LIST_CASE_DROPPED, case, actor, before=before, reason=case.drop_reason)
    return case
