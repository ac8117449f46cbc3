"""Every write of credit commitments (信用承诺): acceptance from the workbench form, 告知承诺 eligibility answers,
verification (核查), breach (违诺, which makes a negative record) and the daily expiry.

A commitment is a credit record of class ``credit_commitment``: each change of its status is a new version of that
record written through ``records.services`` (so it is versioned, audited, assessed for publicity and shared like
every record); a breach also creates a ``commitment_breach`` record the same way, which publicity, lists and checks
read as they read any negative record.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from pubcredit.accounts.models import Department
from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.catalog.registry import get_class
from pubcredit.commitments.models import EligibilityAnswer
from pubcredit.commitments.rulebook import (BREACH_CLASS, COMMITMENT_CLASS, book_version, breach_severities,
                                           commitment_book)
from pubcredit.records.choices import RecordStatus, SubmissionChannel
from pubcredit.records.models import CreditRecord
from pubcredit.records.services import record_submit_one
from pubcredit.rules import clock
from pubcredit.rules.commitments import STATUS_LABELS, Breach, check_move, eligibility
from pubcredit.rules.errors import DomainError
from pubcredit.sanctions.choices import CheckChannel
from pubcredit.sanctions.services import check_run
from pubcredit.subjects import crypto

# the check scenario whose measures take 告知承诺 away (rulebook/measures/scenarios.yaml)
COMMITMENT_SCENARIO = "commitment_approval"


# --- 告知承诺 eligibility ------------------------------------------------------------------------------------------


def subject_breaches(subject_id: int | None) -> list[Breach]:
    """The subject's commitment breaches (违诺信息) in force, newest first."""
    if subject_id is None:
        return []
    rows = (CreditRecord.objects.filter(class_code=BREACH_CLASS, subject_id=subject_id, status=RecordStatus.ACTIVE)
            .order_by("-decision_date").values_list("decision_no", "decision_date"))
    return [Breach(no, day) for no, day in rows]


@transaction.atomic
def eligibility_check(*, department: Department, subject: Any, matter: Any, reference: Any = "", actor: Any,
                      channel: str = CheckChannel.API) -> EligibilityAnswer:
    """May ``subject`` use 告知承诺 for ``matter``? Runs (and keeps) a joint-punishment check in the
    ``commitment_approval`` scenario, reads the punishments in its answer and the subject's recent breaches, and keeps the answer with its reasons, legal bases and rulebook versions (audited).

    Unknown matter → ``commitment.unknown_matter``; subject and reference errors as the check API's."""
    book = commitment_book()
    book.matter(matter)  # refused before anything is kept
    check = check_run(department=department, subject=subject, scenario=COMMITMENT_SCENARIO, reference=reference,
                      actor=actor, channel=channel)
    names = {h["list_code"]: h.get("list_name", h["list_code"]) for h in check.hits}
    result = eligibility(matter_code=matter, book=book, hits=check.hits, list_names=names,
                         breaches=subject_breaches(check.subject_id), today=clock.today())
    answer = EligibilityAnswer.objects.create(
        department=department, actor_label=audit.actor_label(actor), check_id=check.check_id,
        subject_code=check.subject_code, subject_name=check.subject_name, matter=matter, reference=check.reference,
        eligible=result.eligible, reasons=[r.as_dict() for r in result.reasons], rulebook_version=book_version(),
        measures_version=check.rulebook_version, as_of=check.as_of)
    audit.record(Event.COMMITMENT_ELIGIBILITY, actor=actor, object_type="commitment_eligibility",
                 object_id=str(answer.answer_id), reason=f"告知承诺适用性核查（{book.matters[matter].name_zh}）",
                 rule_version=answer.rulebook_version,
                 data={"check_id": str(check.check_id), "subject": check.subject_code, "matter": matter,
                       "eligible": result.eligible, "refusals": [r.code for r in result.reasons if r.effect == "refuse"]})
    return answer


# --- acceptance ----------------------------------------------------------------------------------------------------


def _text(values: dict[str, Any], key: str) -> str:
    value = values.get(key)
    return "" if value is None else str(value).strip()


def _matter_code(value: str) -> str:
    """A matter given by code or by its Chinese name (as the form and files may give it)."""
    book = commitment_book()
    if value in book.matters:
        return value
    for code, matter in book.matters.items():
        if matter.name_zh == value:
            return code
    return value


def _type_code(value: str) -> str:
    spec = next(f for f in get_class(COMMITMENT_CLASS).fields if f.key == "commitment_type")
    return next((v.code for v in spec.values if value in (v.code, v.label_zh, *v.aliases)), value)


@transaction.atomic
def commitment_accept(*, department: Department, values: dict[str, Any], actor: Any,
                      channel: str = SubmissionChannel.FORM) -> CreditRecord:
    """Accept one commitment (受理信用承诺) as a ``credit_commitment`` record, in force.

    The catalogue's plan with the commitments' class check (``checks.py``, on every channel) refuses a 审批替代型
    commitment for a matter that does not allow 告知承诺 (``commitment.matter_not_allowed``) and a second commitment
    for one approval (``commitment.duplicate_approval``); here, empty content is filled from the template for the
    type and matter (rulebook/commitments/rules.yaml) and a new commitment must be in force."""
    book = commitment_book()
    values = {k: v for k, v in values.items() if v not in (None, "")}
    kind, matter = _type_code(_text(values, "commitment_type")), _matter_code(_text(values, "matter"))
    if not _text(values, "commitment_content") and kind in book.templates and matter:
        values["commitment_content"] = book.template(kind, matter, subject_name=_text(values, "subject_name"))
    values.setdefault("status", "in_force")
    if values["status"] != "in_force":
        raise DomainError("commitment.status_on_accept", "受理的承诺状态须为“履约中”", "a new commitment is in force",
                          "status")
    values.setdefault("accepting_department", department.name)
    values.setdefault("source_name", department.name)
    values.setdefault("source_uscc", department.uscc)
    result = record_submit_one(info_class=get_class(COMMITMENT_CLASS), values=values, department=department,
                               actor=actor, channel=channel)
    return CreditRecord.objects.get(pk=result.record_ids[0])


# --- the lifecycle: verification, breach, withdrawal, expiry -------------------------------------------------------


def _current_values(record: CreditRecord) -> dict[str, Any]:
    """The record's current values as a submission would give them, with natural persons' identity numbers in
    clear (from the encrypted part of the latest version), so that a new version keeps the same business key."""
    values = {k: v for k, v in record.fields.items() if v is not None}
    latest = record.versions.order_by("-version").first()
    if latest is not None and latest.sensitive_encrypted:
        values.update(json.loads(crypto.decrypt(latest.sensitive_encrypted)))
    for key, value in list(values.items()):
        if isinstance(value, list):
            values[key] = ",".join(str(v) for v in value)
    return values


def _commitment_for_update(record: CreditRecord, department: Department) -> CreditRecord:
    if record.class_code != COMMITMENT_CLASS:
        raise DomainError("commitment.not_a_commitment", "该记录不是信用承诺", "not a commitment record", "record")
    record = CreditRecord.objects.select_for_update().get(pk=record.pk)
    if record.department_id != department.pk:
        raise DomainError("commitment.other_department", "只有受理该承诺的部门可以核查或认定违诺",
                          "only the accepting department may verify or record a breach", "record")
    if record.status != RecordStatus.ACTIVE:
        raise DomainError("commitment.revoked", "该承诺记录已撤销", "the commitment record was revoked", "record")
    return record


def _new_version(record: CreditRecord, changes: dict[str, Any], *, actor: Any, channel: str) -> CreditRecord:
    values = _current_values(record) | {k: v for k, v in changes.items() if v is not None}
    record_submit_one(info_class=get_class(COMMITMENT_CLASS), values=values, department=record.department,
                      actor=actor, channel=channel)
    record.refresh_from_db()
    return record


def _day(value: Any, field_name: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DomainError("date", f"日期格式应为YYYY-MM-DD：{value}", f"date must be YYYY-MM-DD: {value!r}",
                          field_name) from None


def _checked_day(value: Any, field_name: str, record: CreditRecord, label: str) -> dt.date:
    day = _day(value, field_name)
    if day > clock.today():
        raise DomainError("date.future", f"{label}不能晚于今天", f"{field_name} is in the future", field_name)
    if day < record.decision_date:
        raise DomainError("date.order", f"{label}不能早于承诺日期（{record.decision_date.isoformat()}）",
                          f"{field_name} is before the commitment date", field_name)
    return day


@dataclass(frozen=True)
class BreachOutcome:
    commitment: CreditRecord
    breach_record: CreditRecord


@transaction.atomic
def commitment_verify(*, record: CreditRecord, department: Department, verified_on: Any, fulfilled: bool,
                      note: Any = "", actor: Any, channel: str = SubmissionChannel.FORM) -> CreditRecord:
    """Record the verification (核查) by the accepting department: the day and what was found. ``fulfilled``: the
    commitment is met (履约中 → 已履约); otherwise it stays in force (a breach is recorded by
    ``commitment_breach_record``, with evidence)."""
    record = _commitment_for_update(record, department)
    day = _checked_day(verified_on, "verified_on", record, "核查完成日期")
    current = record.fields.get("status")
    if fulfilled:
        check_move(current, "fulfilled")
    elif current != "in_force":
        check_move(current, "in_force")
    note = "" if note is None else str(note).strip()
    record = _new_version(record, {"verified_on": day.isoformat(), "verification_note": note or None,
                                   "status": "fulfilled" if fulfilled else None}, actor=actor, channel=channel)
    audit.record(Event.COMMITMENT_VERIFIED, actor=actor, object_type="credit_record", object_id=record.pk,
                 before={"status": current}, after={"status": record.fields.get("status")}, reason=note,
                 data={"decision_no": record.decision_no, "verified_on": day.isoformat(), "fulfilled": fulfilled})
    return record


@transaction.atomic
def commitment_breach_record(*, record: CreditRecord, department: Department, evidence: Any, decided_on: Any,
                             serious_untrue: bool = False, severity: Any = None, actor: Any,
                             channel: str = SubmissionChannel.FORM) -> BreachOutcome:
    """Record a breach (认定违诺): evidence is required; the commitment moves 履约中 → 已违诺 (a new version) and a
    ``commitment_breach`` record is made for the subject through the records service (versioned, assessed for
    publicity, read by checks and by the 告知承诺 eligibility). ``serious_untrue``: a seriously untrue commitment in
    a credit repair (NDRC Order 36 第二十五条). ``severity`` (失信程度: minor / general / serious) is the identifying
    unit's own placing of the breach (Order 36 第十一条); it decides publication, and without it the breach record is
    withheld (docs/commitments.md)."""
    evidence = "" if evidence is None else str(evidence).strip()
    if not evidence:
        raise DomainError("commitment.evidence_required", "认定违诺须提供违诺事实及证据",
                          "a breach needs its facts and evidence", "evidence")
    severity = str(severity or "").strip() or None
    if severity is not None and severity not in breach_severities():
        raise DomainError("commitment.severity", "失信程度只能是轻微失信、一般失信或严重失信",
                          "severity must be minor, general or serious", "severity")
    record = _commitment_for_update(record, department)
    day = _checked_day(decided_on, "decided_on", record, "违诺认定日期")
    current = record.fields.get("status")
    check_move(current, "breached")
    values = _current_values(record)
    record = _new_version(record, {"status": "breached", "breach_evidence": evidence}, actor=actor, channel=channel)
    subject_keys = ("subject_name", "subject_category", "subject_uscc", "legal_rep", "legal_rep_id_number", "id_type",
                    "id_number")
    breach = {k: values[k] for k in subject_keys if values.get(k)} | {
        "decision_no": f"{record.decision_no}-违诺", "decision_date": day.isoformat(),
        "commitment_no": record.decision_no, "commitment_type": values.get("commitment_type"),
        "matter": commitment_book().matters[values["matter"]].name_zh if values.get("matter") in commitment_book().matters
        else values.get("matter"),
        "breach_facts": evidence, "serious_untrue": "yes" if serious_untrue else "no",
        **({"severity_declared": severity} if severity else {}),
        "identifying_unit": values.get("accepting_department") or department.name,
        "source_name": department.name, "source_uscc": department.uscc,
    }
    result = record_submit_one(info_class=get_class(BREACH_CLASS), values=breach, department=record.department,
                               actor=actor, channel=channel)
    breach_record = CreditRecord.objects.get(pk=result.record_ids[0])
    audit.record(Event.COMMITMENT_BREACHED, actor=actor, object_type="credit_record", object_id=record.pk,
                 before={"status": current}, after={"status": "breached"}, reason=evidence[:500],
                 data={"decision_no": record.decision_no, "breach_record": breach_record.pk,
                       "serious_untrue": serious_untrue, "severity": severity})
    return BreachOutcome(record, breach_record)


@transaction.atomic
def commitment_withdraw(*, record: CreditRecord, department: Department, reason: Any, actor: Any,
                        channel: str = SubmissionChannel.FORM) -> CreditRecord:
    """The subject withdraws a commitment still in force (已撤回); a reason is required."""
    reason = "" if reason is None else str(reason).strip()
    if not reason:
        raise DomainError("commitment.reason_required", "撤回承诺须说明理由", "a reason is required", "reason")
    record = _commitment_for_update(record, department)
    check_move(record.fields.get("status"), "withdrawn")
    remarks = f"撤回：{reason}"[:512]
    return _new_version(record, {"status": "withdrawn", "remarks": remarks}, actor=actor, channel=channel)


@dataclass(frozen=True)
class ExpiryRun:
    expired: int

    def as_dict(self) -> dict[str, Any]:
        return {"expired": self.expired}


def commitments_expire_due(*, today: dt.date, actor: Any) -> ExpiryRun:
    """The daily job's part (承诺期满): commitments in force whose term ended before ``today`` become 已到期, one
    new version each; idempotent (an expired commitment is not in force any more)."""
    due = (CreditRecord.objects.filter(class_code=COMMITMENT_CLASS, status=RecordStatus.ACTIVE,
                                       fields__status="in_force", fields__term_end__lt=today.isoformat())
           .order_by("pk"))
    count = 0
    for record in due.iterator():
        with transaction.atomic():
            record = CreditRecord.objects.select_for_update().get(pk=record.pk)
            term_end = record.fields.get("term_end")
            # checked again here: PostgreSQL orders a JSON null before every string, so the query's ``lt`` also
            # matches a commitment without a term
            if record.fields.get("status") != "in_force" or not term_end or term_end >= today.isoformat():
                continue
            _new_version(record, {"status": "expired"}, actor=actor, channel=SubmissionChannel.API)
            audit.record(Event.COMMITMENT_EXPIRED, actor=actor, object_type="credit_record", object_id=record.pk,
                         before={"status": "in_force"}, after={"status": "expired"},
                         reason=f"承诺期限至{record.fields.get('term_end')}，{STATUS_LABELS['expired']}",
                         data={"decision_no": record.decision_no})
            count += 1
    return ExpiryRun(count)
