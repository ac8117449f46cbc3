"""Every write to red and black lists: entries derived from list-class records, removals, the daily expiry, and the
identification workflow of lists decided in the city (认定程序)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from pubcredit.accounts.models import Department, User
from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.bulk import bulk_insert
from pubcredit.catalog.registry import get_class
from pubcredit.lists.choices import CaseStateChoice, ChangeKind, EntryStatusChoice
from pubcredit.lists.models import IdentificationCase, ListChange, ListEntry
from pubcredit.lists.rulebook import entry_facts, rulebook
from pubcredit.publicity.services import publicity_assess
from pubcredit.records.choices import RecordStatus, SubmissionChannel
from pubcredit.records.models import CreditRecord
from pubcredit.records.services import record_submit_one
from pubcredit.rules import clock, identifiers
from pubcredit.rules import lists as rules
from pubcredit.rules.errors import DomainError, Problem
from pubcredit.rules.lists import CaseEvent, ListSpec, RemovalReason, TransitionError
from pubcredit.subjects import crypto
from pubcredit.workdays.selectors import holiday_envelope, work_calendar

_CHUNK = 500


def subject_key(uscc: str | None, id_hash: str | None) -> str:
    """The key watches and the change feed use: the USCC, else ``id:`` and the identity number's lookup hash."""
    return uscc or f"id:{id_hash}"


@dataclass
class SyncResult:
    """What :func:`list_entries_sync` did."""

    created: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    entry_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Desired:
    """An entry as its record says it should be."""

    values: dict[str, Any]
    removal: tuple[RemovalReason, dt.date, str] | None  # reason, day, note


def _desired(record: CreditRecord, spec: ListSpec, today: dt.date) -> _Desired:
    derived = rules.derive_entry(spec, record.fields or {}, decision_date=record.decision_date,
                                 revoked=record.status == RecordStatus.REVOKED, revoked_reason=record.status_reason,
                                 today=today)
    term = derived.term
    values = {
        "list_code": spec.code, "kind": spec.kind.value, "subject_id": record.subject_id,
        "department_id": record.department_id,
        "identifying_unit": str((record.fields or {}).get("identifying_unit") or "")[:200],
        "decision_no": record.decision_no, "decision_date": record.decision_date, "effective_date": derived.effective,
        "planned_end": term.planned_end, "term_source": term.source, "term_reason": term.reason_zh,
        "legal_basis": str((record.fields or {}).get("listing_basis") or ""),
        "facts": entry_facts(spec.code, record.fields),
        "push_delay_working_days": record.delay_working_days,
        "push_deadline_working_days": spec.push_deadline_working_days,
        "pushed_late": rules.push_is_late(record.delay_working_days, spec.push_deadline_working_days),
        "record_version": record.version, "rule_version": term.rule_version,
    }
    return _Desired(values, derived.removal)


def _change_row(entry: ListEntry, change: str, *, reason: str, on: dt.date, now: dt.datetime, key: str) -> dict:
    return {"entry_id": entry.pk, "subject_id": entry.subject_id, "subject_key": key, "change": change,
            "list_code": entry.list_code, "kind": entry.kind, "reason": reason, "effective_on": on, "changed_at": now}


_ENTRY_FIELDS = ("record_id", "list_code", "kind", "subject_id", "department_id", "identifying_unit", "decision_no",
                 "decision_date", "effective_date", "planned_end", "term_source", "term_reason", "legal_basis", "facts", "status",
                 "removal_reason", "removal_note", "removed_on", "removed_at", "push_delay_working_days",
                 "push_deadline_working_days", "pushed_late", "record_version", "rule_version", "created_at",
                 "updated_at")
_CHANGE_FIELDS = ("entry_id", "subject_id", "subject_key", "change", "list_code", "kind", "reason", "effective_on",
                  "changed_at")
_UPDATABLE = ("identifying_unit", "decision_no", "decision_date", "effective_date", "planned_end", "term_source",
              "term_reason", "legal_basis", "facts", "record_version", "rule_version")


def _snapshot(entry: ListEntry) -> dict[str, Any]:
    return {"status": entry.status, "planned_end": entry.planned_end, "effective_date": entry.effective_date,
            "removal_reason": entry.removal_reason, "removed_on": entry.removed_on, "record_version": entry.record_version}


def _apply_removal(entry: ListEntry, removal: tuple[RemovalReason, dt.date, str], now: dt.datetime) -> None:
    reason, day, note = removal
    status, final_reason = rules.entry_transition(entry.status, rules.REMOVAL_EVENTS[reason])
    entry.status, entry.removal_reason, entry.removed_on = status.value, final_reason.value, day
    entry.removal_note, entry.removed_at, entry.updated_at = note, now, now


def list_entries_sync(record_ids: Iterable[int], *, actor: Any) -> SyncResult:
    """Derive or update the list entry of every record of a list class among ``record_ids`` (others are ignored).

    A new record makes an entry (in force, or already removed when the record says so or its term is over); a new
    version updates the entry's dates and term and may remove it (移出日期/事由, or the record revoked). A removed entry
    stays removed: listing again is a new decision, hence a new record. Bulk: a few queries per 500 records.
    Runs in the caller's transaction when there is one; every creation, change and removal is audited, and every
    entering or leaving is appended to the change feed (:class:`ListChange`). The publicity state of the records
    whose entries were created or changed is re-assessed in the same transaction (名单公示 follows the entry).
    """
    book = rulebook()
    codes = book.codes()
    ids = sorted({int(i) for i in record_ids})
    result = SyncResult()
    if not ids:
        return result
    now, today = clock.now(), clock.today()
    moved_records: list[int] = []
    with transaction.atomic():
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            records = list(CreditRecord.objects.filter(pk__in=chunk, class_code__in=codes)
                           .select_related("subject").only("id", "class_code", "subject_id", "department_id", "fields",
                                                           "decision_no", "decision_date", "version", "status",
                                                           "status_reason", "delay_working_days", "subject__uscc",
                                                           "subject__id_hash"))
            if not records:
                continue
            existing = {e.record_id: e for e in ListEntry.objects.filter(record_id__in=[r.pk for r in records])}
            new_rows, pending, changes, changed = [], [], [], []
            keys = {r.pk: subject_key(r.subject.uscc, r.subject.id_hash) for r in records}
            for record in records:
                spec = book.get(record.class_code, record.decision_date)
                desired = _desired(record, spec, today)
                entry = existing.get(record.pk)
                if entry is None:
                    row = {**desired.values, "record_id": record.pk, "status": EntryStatusChoice.IN_FORCE,
                           "removal_reason": "", "removal_note": "", "removed_on": None, "removed_at": None,
                           "created_at": now, "updated_at": now}
                    if desired.removal is not None:
                        reason, day, note = desired.removal
                        row.update(status=EntryStatusChoice.REMOVED, removal_reason=reason.value, removed_on=day,
                                   removal_note=note, removed_at=now)
                    new_rows.append(row)
                    continue
                if entry.record_version == record.version and desired.removal is None:
                    result.unchanged += 1
                    result.entry_ids.append(entry.pk)
                    continue
                before = _snapshot(entry)
                moved = entry.status == EntryStatusChoice.IN_FORCE and (entry.planned_end, entry.effective_date) != (
                    desired.values["planned_end"], desired.values["effective_date"])
                if entry.status == EntryStatusChoice.IN_FORCE:
                    for name in _UPDATABLE:
                        setattr(entry, name, desired.values[name])
                else:
                    entry.record_version = record.version
                entry.updated_at = now
                removed = False
                if desired.removal is not None and entry.status == EntryStatusChoice.IN_FORCE:
                    _apply_removal(entry, desired.removal, now)
                    removed = True
                if _snapshot(entry) == before and not moved:
                    result.unchanged += 1
                    result.entry_ids.append(entry.pk)
                    continue
                changed.append(entry)
                result.entry_ids.append(entry.pk)
                if removed:
                    result.removed += 1
                    changes.append(_change_row(entry, ChangeKind.LEFT, reason=entry.removal_reason, on=entry.removed_on,
                                               now=now, key=keys[record.pk]))
                    pending.append(audit.PendingEvent(Event.LIST_ENTRY_REMOVED, "list_entry", entry.pk, before=before,
                                                      after=_snapshot(entry), reason=entry.removal_note,
                                                      rule_version=entry.rule_version,
                                                      data={"list_code": entry.list_code, "reason": entry.removal_reason,
                                                            "removed_on": entry.removed_on.isoformat()}))
                else:
                    result.updated += 1
                    if moved and entry.status == EntryStatusChoice.IN_FORCE:
                        changes.append(_change_row(entry, ChangeKind.UPDATED, reason="", on=today, now=now,
                                                   key=keys[record.pk]))
                    pending.append(audit.PendingEvent(Event.LIST_ENTRY_UPDATED, "list_entry", entry.pk, before=before,
                                                      after=_snapshot(entry), rule_version=entry.rule_version,
                                                      data={"list_code": entry.list_code,
                                                            "record_version": record.version}))
            if changed:
                ListEntry.objects.bulk_update(changed, [*_UPDATABLE, "status", "removal_reason", "removal_note",
                                                        "removed_on", "removed_at", "updated_at"], batch_size=_CHUNK)
            if new_rows:
                bulk_insert(ListEntry, new_rows, _ENTRY_FIELDS)
                created = ListEntry.objects.filter(record_id__in=[r["record_id"] for r in new_rows])
                for entry in created:
                    result.created += 1
                    result.entry_ids.append(entry.pk)
                    if entry.status == EntryStatusChoice.IN_FORCE:
                        changes.append(_change_row(entry, ChangeKind.ENTERED, reason="", on=entry.effective_date,
                                                   now=now, key=keys[entry.record_id]))
                    pending.append(audit.PendingEvent(
                        Event.LIST_ENTRY_CREATED, "list_entry", entry.pk, after=_snapshot(entry),
                        rule_version=entry.rule_version, reason=entry.term_reason,
                        data={"list_code": entry.list_code, "record": entry.record_id, "pushed_late": entry.pushed_late,
                              "push_delay_working_days": entry.push_delay_working_days}))
            bulk_insert(ListChange, changes, _CHANGE_FIELDS)
            audit.record_many(pending, actor=actor)
            moved_records += [e.record_id for e in changed] + [r["record_id"] for r in new_rows]
        publicity_assess(moved_records, actor=actor)  # the public site and the change feed follow the entries
    return result


# --- removal and expiry -------------------------------------------------------------------------------------------


def list_entry_remove(*, entry: ListEntry, reason: str, note: str, actor: Any, on: dt.date | None = None) -> ListEntry:
    """Remove an entry now (移出): repaired, revoked or deleted by the court, with the reason and a note.

    The entry stops producing hits at once (checks read its status) and leaves the public site at once (the site
    reads the entry; the record's publicity state is re-assessed in the same transaction). ``on`` (default today) is
    the day it left the list; it may not be in the future.
    """
    try:
        removal_reason = RemovalReason(reason)
    except ValueError:
        raise DomainError("list_entry.reason", f"未知的移出事由：{reason}", f"unknown removal reason {reason!r}",
                          "reason") from None
    if not note.strip():
        raise DomainError("list_entry.note_required", "移出须说明依据（如修复决定书、法院删除通知）",
                          "a note stating the ground is required", "note")
    today, now = clock.today(), clock.now()
    day = on or today
    if day > today:
        raise DomainError("list_entry.future", "移出日期不能晚于今天", "the removal day cannot be in the future", "on")
    spec = rulebook().get(entry.list_code, entry.decision_date)
    if spec is not None and removal_reason not in spec.removal_reasons:
        allowed = "、".join(r.value for r in spec.removal_reasons)
        raise DomainError("list_entry.reason_not_allowed", f"该名单不适用此移出事由（可用：{allowed}）",
                          f"{reason} is not a removal reason of {entry.list_code}", "reason")
    with transaction.atomic():
        entry = ListEntry.objects.select_for_update().select_related("subject").get(pk=entry.pk)
        before = _snapshot(entry)
        try:
            _apply_removal(entry, (removal_reason, day, note.strip()), now)
        except TransitionError as exc:
            raise DomainError.from_problems([exc.problem]) from None
        entry.save(update_fields=["status", "removal_reason", "removal_note", "removed_on", "removed_at", "updated_at"])
        bulk_insert(ListChange, [_change_row(entry, ChangeKind.LEFT, reason=entry.removal_reason, on=day, now=now,
                                             key=subject_key(entry.subject.uscc, entry.subject.id_hash))],
                    _CHANGE_FIELDS)
        audit.record(Event.LIST_ENTRY_REMOVED, actor=actor, object_type="list_entry", object_id=entry.pk,
                     before=before, after=_snapshot(entry), reason=entry.removal_note, rule_version=entry.rule_version,
                     data={"list_code": entry.list_code, "reason": entry.removal_reason, "removed_on": day.isoformat()})
        publicity_assess([entry.record_id], actor=actor)
    return entry


def list_entry_reinstate(*, entry: ListEntry, note: str, actor: Any) -> ListEntry:
    """Undo a removal for repair (恢复): the repair that removed the entry was temporary or is void — a bankruptcy
    reorganisation's shielding lifted because the plan failed (NDRC Order 36 art. 20 para. 2; SAMR 107 art. 22 para.
    3), or a grant revoked for fraud (Order 36 art. 25; SAMR 107 art. 23). Only an entry removed with reason
    "repaired" comes back; it is in force again at once (checks hit it), the change feed carries it as entered, and
    the daily expiry ends it if its term ran out meanwhile."""
    if not note.strip():
        raise DomainError("list_entry.note_required", "恢复须说明依据", "a note stating the ground is required", "note")
    now = clock.now()
    with transaction.atomic():
        entry = ListEntry.objects.select_for_update().select_related("subject").get(pk=entry.pk)
        if entry.status != EntryStatusChoice.REMOVED or entry.removal_reason != RemovalReason.REPAIRED:
            raise DomainError("list_entry.not_reinstatable", "只有因信用修复移出的名单条目可以恢复",
                              "only an entry removed for repair can be reinstated", "entry")
        before = _snapshot(entry)
        entry.status, entry.removal_reason, entry.removal_note = EntryStatusChoice.IN_FORCE, "", ""
        entry.removed_on, entry.removed_at, entry.updated_at = None, None, now
        entry.save(update_fields=["status", "removal_reason", "removal_note", "removed_on", "removed_at", "updated_at"])
        bulk_insert(ListChange, [_change_row(entry, ChangeKind.ENTERED, reason="reinstated", on=clock.today(), now=now,
                                             key=subject_key(entry.subject.uscc, entry.subject.id_hash))],
                    _CHANGE_FIELDS)
        audit.record(Event.LIST_ENTRY_UPDATED, actor=actor, object_type="list_entry", object_id=entry.pk,
                     before=before, after=_snapshot(entry), reason=note.strip(), rule_version=entry.rule_version,
                     data={"list_code": entry.list_code, "event": "reinstate"})
        publicity_assess([entry.record_id], actor=actor)
    return entry


@dataclass(frozen=True)
class ExpireResult:
    day: dt.date
    expired: int
    by_list: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "expired": self.expired, "by_list": self.by_list}


def lists_expire_due(*, today: dt.date | None = None, actor: Any, chunk: int = 1000) -> ExpireResult:
    """The daily list job (名单期满移出): every entry in force whose term ended before ``today`` is removed as expired,
    on the day after its last day (so a missed day is caught up with the real dates). Idempotent: a second run on
    the same day finds nothing. ``pubcredit tick`` calls this; ``pubcredit lists_tick`` runs it alone."""
    today = today or clock.today()
    now = clock.now()
    by_list: dict[str, int] = {}
    total = 0
    while True:
        with transaction.atomic():
            due = list(ListEntry.objects.select_for_update().select_related("subject")
                       .filter(status=EntryStatusChoice.IN_FORCE, planned_end__lt=today).order_by("id")[:chunk])
            if not due:
                break
            pending, changes = [], []
            for entry in due:
                before = _snapshot(entry)
                _apply_removal(entry, (RemovalReason.EXPIRED, rules.expiry_day(entry.planned_end),
                                       f"期满（至{entry.planned_end.isoformat()}）自动移出"), now)
                changes.append(_change_row(entry, ChangeKind.LEFT, reason=entry.removal_reason, on=entry.removed_on,
                                           now=now, key=subject_key(entry.subject.uscc, entry.subject.id_hash)))
                pending.append(audit.PendingEvent(Event.LIST_ENTRY_REMOVED, "list_entry", entry.pk, before=before,
                                                  after=_snapshot(entry), reason=entry.removal_note,
                                                  rule_version=entry.rule_version,
                                                  data={"list_code": entry.list_code, "reason": "expired",
                                                        "removed_on": entry.removed_on.isoformat()}))
                by_list[entry.list_code] = by_list.get(entry.list_code, 0) + 1
            ListEntry.objects.bulk_update(due, ["status", "removal_reason", "removal_note", "removed_on", "removed_at",
                                                "updated_at"], batch_size=_CHUNK)
            bulk_insert(ListChange, changes, _CHANGE_FIELDS)
            audit.record_many(pending, actor=actor)
            publicity_assess([e.record_id for e in due], actor=actor)  # 停止公示 with the expiry
            total += len(due)
    version = rulebook().version
    audit.record(Event.LISTS_TICK, actor=actor, object_type="lists", object_id=today.isoformat(),
                 data={"expired": total, "by_list": by_list, "rulebook_version": version},
                 rule_version="lists#" + version.rsplit("#", 1)[-1])
    return ExpireResult(today, total, by_list)


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
    case.record_id = result.record_ids[0]
    list_entries_sync(result.record_ids, actor=actor)
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
