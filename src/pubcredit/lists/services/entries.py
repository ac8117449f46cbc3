"""List entries (名单条目): derived from their list-class records (run by the records-changed event), removed by
an operator, expired by the daily job. Part of ``lists.services``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.bulk import bulk_insert
from pubcredit.lists.choices import ChangeKind, EntryStatusChoice
from pubcredit.lists.events import ListEntriesChanged, list_entries_changed
from pubcredit.lists.models import ListChange, ListEntry
from pubcredit.lists.rulebook import entry_facts, rulebook
from pubcredit.records.choices import RecordStatus
from pubcredit.records.models import CreditRecord
from pubcredit.rules import clock
from pubcredit.rules import lists as rules
from pubcredit.rules.errors import DomainError
from pubcredit.rules.lists import ListSpec, RemovalReason, TransitionError


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


def _entries_changed(record_ids: list[int], actor: Any) -> None:
    """Tell the subscribers (publicity) that these records' entries moved, in the caller's transaction."""
    list_entries_changed.publish(ListEntriesChanged(record_ids=tuple(record_ids), actor=actor))


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
        _entries_changed(moved_records, actor)  # the public site and the change feed follow the entries
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
        _entries_changed([entry.record_id], actor)
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
        _entries_changed([entry.record_id], actor)
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
            _entries_changed([e.record_id for e in due], actor)  # 停止公示 with the expiry
            total += len(due)
    version = rulebook().version
    audit.record(Event.LISTS_TICK, actor=actor, object_type="lists", object_id=today.isoformat(),
                 data={"expired": total, "by_list": by_list, "rulebook_version": version},
                 rule_version="lists#" + version.rsplit("#", 1)[-1])
    return ExpireResult(today, total, by_list)
