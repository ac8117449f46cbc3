"""Government dishonesty cases (政府失信认定) — every write: a 机关, 事业单位 or state enterprise identified as dishonest
on a ground of ``rulebook/integrity/cases.yaml`` resting on one source (an arrears complaint past its plan, a
失信被执行人 entry in force, an open record of a government class); accountability of the persons named
(问责记录); rectification (整改) and removal (移出) within the rulebook's limits.

Who: credit-centre operators, and a district office for bodies registered in its district; leaders only read. Each
step is one transaction moved by ``rules.integrity.CASE_TRANSITIONS`` and audited (``gov_case.step``,
``gov_case.accountability``). Basis: 《保障中小企业款项支付条例》第二十六条、第三十一条、第三十三条, 若干规定第八条、第十条.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max

from pubcredit.accounts.access import is_city_operator, is_financial_institution
from pubcredit.accounts.choices import Role
from pubcredit.accounts.models import Department
from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.audit.services import SystemActor
from pubcredit.integrity.models import AccountabilityRecord, CaseOffice, GovernmentCase
from pubcredit.integrity.permissions import case_office_of
from pubcredit.integrity.rulebook import cases_book, cases_version
from pubcredit.catalog.registry import get_class
from pubcredit.integrity.selectors import case_source, case_source_department, debtor_class_of
from pubcredit.records.choices import SubmissionChannel
from pubcredit.records.services import record_revoke, record_submit_one
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError, Problem
from pubcredit.rules.integrity import REMOVAL_REASONS, case_next_status, due_date
from pubcredit.subjects.models import Subject
from pubcredit.workdays.selectors import work_calendar

__all__ = ["may_act_on_cases", "government_case_identify", "accountability_record_add", "government_case_rectify",
           "government_case_remove", "case_office_grant",
           "case_office_revoke"]


def may_act_on_cases(user, body: Subject | None = None) -> bool:
    """Credit-centre operators, and a district office for the bodies of its district; a department system (API token)
    when its department is a granted case office, a district department for its district's bodies only."""
    if isinstance(user, SystemActor):
        office = case_office_of(user)
        return office is not None and (office.district_id is None or body is None
                                       or body.district_id == office.district_id)
    if is_city_operator(user):
        return True
    return (getattr(user, "role", "") == Role.DISTRICT_OPERATOR and bool(user.district_id)
            and (body is None or body.district_id == user.district_id))


def _check_actor(actor: Any, body: Subject) -> None:
    if not may_act_on_cases(actor, body):
        raise DomainError("gov_case.not_allowed", "仅信用中心或该单位所在区县的信用办可办理政府失信案件",
                          "only the credit centre or the body's district office handles its cases")


def _text(raw: Any, field_name: str, label: str, problems: list[Problem], *, max_length: int,
          required: bool = True) -> str:
    value = str(raw or "").strip()
    if required and not value:
        problems.append(Problem(f"{field_name}.required", f"请填写{label}", f"{field_name} is required", field_name))
    elif len(value) > max_length:
        problems.append(Problem(f"{field_name}.too_long", f"{label}最多{max_length}个字",
                                f"{field_name} over {max_length} characters", field_name))
    return value


def _snapshot(case: GovernmentCase) -> dict[str, Any]:
    return {"status": case.status, "ground": case.ground, "serious": case.serious,
            "rectify_due": case.rectify_due.isoformat(), "removal_reason": case.removal_reason}


def _audit(case: GovernmentCase, event: str, actor: Any, *, before: Any, reason: str = "",
           data: dict | None = None) -> None:
    audit.record(Event.GOV_CASE_MOVED, actor=actor, object_type="government_case", object_id=case.pk, before=before,
                 after=_snapshot(case), reason=reason,
                 data={"event": event, "number": case.number, "body_uscc": case.body.uscc, **(data or {})},
                 rule_version=case.rulebook_version)


CASE_CLASS = "gov_dishonesty_case"  # 政府失信认定信息: the case as a credit record


def _identifying_unit(actor: Any) -> str:
    if isinstance(actor, SystemActor):
        office = case_office_of(actor)
        return office.name if office else "政府失信办理单位"
    district = getattr(actor, "district", None) if getattr(actor, "role", "") == Role.DISTRICT_OPERATOR else None
    return f"{district.name}社会信用体系建设牵头部门" if district else "市社会信用中心"


def _keep_record(case: GovernmentCase, actor: Any) -> None:
    """记入信用记录 (条例第二十六条): the case as a record of ``gov_dishonesty_case`` through the records service, one
    version per step, so the body's query credit report and checks read it like any record; a case withdrawn as
    wrongful (认定有误撤销) revokes the record. The record is filed under the case office's department when its system
    identified the case, otherwise under the department that supplied the fact (the handling department, the
    court, the department of the government record)."""
    if case.record_id is not None:
        record, department = case.record, case.record.department
    else:
        record = None
        department = case_office_of(actor) or case_source_department(case.source_type, case.source_id)
    if record is not None and case.removal_reason == "wrongful":
        record_revoke(record=record, reason=f"政府失信案件{case.number}认定有误撤销：{case.removal_note}", actor=actor)
        return
    book = cases_book()
    ground = book.grounds.get(case.ground)
    values = {
        "subject_name": case.body.name, "subject_category": "legal_person", "subject_uscc": case.body.uscc,
        "decision_no": case.number, "decision_date": case.identified_on.isoformat(),
        "ground": ground.name_zh if ground else case.ground, "source_reference": case.source_reference,
        "case_facts": case.facts, "serious": "yes" if case.serious else "no", "status": case.status,
        "rectify_due": case.rectify_due.isoformat(),
        "rectified_on": case.rectified_on.isoformat() if case.rectified_on else None,
        "removed_on": case.removed_on.isoformat() if case.removed_on else None,
        "removal_reason": REMOVAL_REASONS.get(case.removal_reason) or None,
        "identifying_unit": record.fields.get("identifying_unit") if record else _identifying_unit(actor),
        "source_name": department.name, "source_uscc": department.uscc,
    }
    result = record_submit_one(info_class=get_class(CASE_CLASS), values=values, department=department, actor=actor,
                               channel=SubmissionChannel.API if isinstance(actor, SystemActor)
                               else SubmissionChannel.FORM)
    if case.record_id is None:
        case.record_id = result.record_ids[0]
        case.save(update_fields=["record"])


def _next_number(day: dt.date) -> str:
    prefix = f"ZFSX{day.year}-"
    last = GovernmentCase.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    return f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:05d}"


@transaction.atomic(durable=True)
def government_case_identify(*, body: Subject, source_type: str, source_id: int, facts: str, supervisor: str,
                             serious: bool, actor: Any, rectify_due: dt.date | None = None) -> GovernmentCase:
    """认定政府失信: the body must be a 机关, 事业单位 or state enterprise, the source its own and standing today (an
    arrears complaint 逾期未清偿, a court entry in force, an open government record), and no open case may rest on
    the same source. The rectification limit is the identifying unit's 限期, or the rulebook's default."""
    _check_actor(actor, body)
    book = cases_book()
    today = clock.today()
    problems: list[Problem] = []
    found = debtor_class_of(body)
    if found is None:
        problems.append(Problem("gov_case.not_government", "该主体不是机关、事业单位或国有企业，不适用政府失信认定",
                                "not a government body, public institution or state enterprise", "body"))
    source = case_source(source_type, source_id, today=today)
    if source is None or source.body_id != body.pk:
        problems.append(Problem("gov_case.source", "请选择该单位自身的认定依据（拖欠账款、失信被执行人或政务失信信息）",
                                "the source is not one of this body's records", "source"))
    elif not source.identifiable:
        why = "拖欠账款投诉尚未逾期未清偿" if source_type == "arrears" else "认定依据已不存在（已删除、已清偿或已履行）"
        problems.append(Problem("gov_case.source_not_standing", f"{why}，不能据此认定", "the ground does not hold today",
                                "source"))
    elif GovernmentCase.objects.filter(source_type=source_type, source_id=source_id).exclude(
            status="removed").exists():
        problems.append(Problem("gov_case.duplicate", "已有基于该依据的未移出案件", "an open case rests on this source",
                                "source"))
    facts = _text(facts, "facts", "认定事实", problems, max_length=4000)
    supervisor = _text(supervisor, "supervisor", "上级机关或主管部门（通报对象）", problems, max_length=200)
    if rectify_due is not None and rectify_due <= today:
        problems.append(Problem("rectify_due.past", "整改期限应晚于今天", "the rectification limit must be in the future",
                                "rectify_due"))
    if problems:
        raise DomainError.from_problems(problems)
    due = rectify_due or due_date(today, book.deadlines.rectify, work_calendar())
    now = clock.now()
    case = GovernmentCase.objects.create(
        number=_next_number(today), body=body, body_kind=found.kind, ground=source.ground, source_type=source_type,
        source_id=source_id, source_reference=source.reference[:200], facts=facts, supervisor=supervisor,
        serious=bool(serious), identified_on=today, identified_by=actor if getattr(actor, "is_authenticated", False)
        else None, rectify_due=due, rulebook_version=cases_version(), created_at=now, updated_at=now)
    _keep_record(case, actor)
    _audit(case, "identify", actor, before=None, reason=facts,
           data={"source_type": source_type, "source_reference": source.reference, "supervisor": supervisor,
                 "record": case.record_id})
    return case


def _locked(case: GovernmentCase) -> GovernmentCase:
    return GovernmentCase.objects.select_for_update().select_related("body").get(pk=case.pk)


@transaction.atomic(durable=True)
def accountability_record_add(*, case: GovernmentCase, person_name: str, position: str, responsibility: str,
                              measure: str, decided_on: dt.date | None, deciding_body: str, note: str = "",
                              actor: Any) -> AccountabilityRecord:
    """问责记录: a named person responsible for the case (负有责任的领导人员, 直接责任人员, 国有企业管理人员) and what the
    deciding body did (约谈, 通报, 政务处分 …). Never public."""
    case = _locked(case)
    _check_actor(actor, case.body)
    book = cases_book()
    problems: list[Problem] = []
    person_name = _text(person_name, "person_name", "姓名", problems, max_length=50)
    position = _text(position, "position", "职务", problems, max_length=100)
    deciding_body = _text(deciding_body, "deciding_body", "决定机关", problems, max_length=200)
    note = _text(note, "note", "说明", problems, max_length=500, required=False)
    if responsibility not in book.responsibilities:
        problems.append(Problem("responsibility.invalid", "请选择责任类型", "unknown responsibility", "responsibility"))
    if measure not in book.measures:
        problems.append(Problem("measure.invalid", "请选择处理方式", "unknown measure", "measure"))
    if decided_on is None:
        problems.append(Problem("decided_on.required", "请填写决定日期", "decided_on is required", "decided_on"))
    elif decided_on > clock.today():
        problems.append(Problem("date.future", "决定日期不能晚于今天", "decided_on is in the future", "decided_on"))
    elif decided_on < case.identified_on:
        problems.append(Problem("date.order", f"决定日期不能早于认定日期{case.identified_on.isoformat()}",
                                "decided before the case", "decided_on"))
    if problems:
        raise DomainError.from_problems(problems)
    row = AccountabilityRecord.objects.create(
        case=case, person_name=person_name, position=position, responsibility=responsibility, measure=measure,
        decided_on=decided_on, deciding_body=deciding_body, note=note,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None, recorded_at=clock.now())
    audit.record(Event.ACCOUNTABILITY_RECORDED, actor=actor, object_type="government_case", object_id=case.pk,
                 after={"person_name": person_name, "position": position, "responsibility": responsibility,
                        "measure": measure, "decided_on": decided_on.isoformat(), "deciding_body": deciding_body},
                 data={"number": case.number}, rule_version=case.rulebook_version)
    return row


@transaction.atomic(durable=True)
def government_case_rectify(*, case: GovernmentCase, rectified_on: dt.date | None, note: str,
                            actor: Any) -> GovernmentCase:
    """整改完成: the body's rectification (the debt paid, the commitment kept, the finding corrected) with its report."""
    case = _locked(case)
    _check_actor(actor, case.body)
    before = _snapshot(case)
    case.status = case_next_status(case.status, "rectify")
    note = (note or "").strip()
    if not note:
        raise DomainError("note.required", "请写明整改情况", "the rectification is required", "note")
    if rectified_on is None:
        raise DomainError("rectified_on.required", "请填写整改完成日期", "rectified_on is required", "rectified_on")
    if rectified_on > clock.today() or rectified_on < case.identified_on:
        raise DomainError("date.order", "整改完成日期应在认定日期和今天之间", "rectified_on out of range", "rectified_on")
    case.rectified_on, case.rectification_note, case.updated_at = rectified_on, note, clock.now()
    case.save()
    _keep_record(case, actor)
    _audit(case, "rectify", actor, before=before, reason=note)
    return case


@transaction.atomic(durable=True)
def government_case_remove(*, case: GovernmentCase, removal_reason: str, note: str, actor: Any) -> GovernmentCase:
    """移出: after rectification, once the ground is gone (the court deleted its entry, the debt was paid off, the
    commitment kept), or as a wrongful identification (a note required)."""
    case = _locked(case)
    _check_actor(actor, case.body)
    before = _snapshot(case)
    source = case_source(case.source_type, case.source_id)
    case.status = case_next_status(case.status, "remove", removal_reason=removal_reason,
                                   source_live=bool(source and source.live))
    note = (note or "").strip()
    if removal_reason == "wrongful" and not note:
        raise DomainError("note.required", "认定有误撤销须写明理由", "a reason is required", "note")
    case.removal_reason, case.removal_note, case.removed_on = removal_reason, note, clock.today()
    case.updated_at = clock.now()
    case.full_clean()
    case.save()
    _keep_record(case, actor)
    _audit(case, "remove", actor, before=before, reason=note or removal_reason)
    return case


@transaction.atomic(durable=True)
def case_office_grant(*, department: Department, actor: Any) -> CaseOffice:
    """Let ``department``'s system (its API token) handle government dishonesty cases (政府失信办理单位): a city
    department every body's, a district department its district's; credit-centre operators only, audited."""
    if isinstance(actor, SystemActor) or not is_city_operator(actor):
        raise DomainError("integrity.operator_only", "仅信用中心操作员可授予政府失信办理单位",
                          "only credit-centre operators grant a case office")
    if is_financial_institution(department):
        raise DomainError("integrity.case_office_kind", "金融机构不能作为政府失信办理单位",
                          "a financial institution cannot be a case office", "department")
    office, created = CaseOffice.objects.get_or_create(
        department=department, defaults={"granted_by": actor if getattr(actor, "is_authenticated", False) else None,
                                         "granted_at": clock.now()})
    if created:
        reach = {"department": department.code,
                 "reach": department.district.code if department.district_id else "city"}
        audit.record(Event.CASE_OFFICE_GRANTED, actor=actor, object_type="department", object_id=department.pk,
                     after=reach, data=reach)
    return office


@transaction.atomic(durable=True)
def case_office_revoke(*, office: CaseOffice, reason: Any, actor: Any) -> None:
    """Withdraw a case office (撤销政府失信办理单位): from now on the department's token is refused the cases API; the
    cases it handled keep their history. Credit-centre operators only, with the reason, audited."""
    if isinstance(actor, SystemActor) or not is_city_operator(actor):
        raise DomainError("integrity.operator_only", "仅信用中心操作员可撤销政府失信办理单位",
                          "only credit-centre operators revoke a case office")
    reason = str(reason or "").strip()
    if not reason:
        raise DomainError("integrity.reason_required", "请填写撤销原因", "a revocation needs its reason", "reason")
    department = office.department
    reach = {"department": department.code, "reach": department.district.code if department.district_id else "city"}
    office.delete()
    audit.record(Event.CASE_OFFICE_REVOKED, actor=actor, object_type="department", object_id=department.pk,
                 before=reach, reason=reason[:500], data=reach)
