"""Every write to credit records: submission (versioned upsert by business key) and revocation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db import transaction

from pubcredit.accounts.models import Department
from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.bulk import RawJSON, bulk_insert
from pubcredit.catalog.plan import SeenKeys, validate_frame
from pubcredit.catalog.registry import rulebook_version
from pubcredit.jsoncodec import canonical
from pubcredit.records.choices import RecordStatus, SubmissionChannel
from pubcredit.records.events import RecordsChanged, records_changed
from pubcredit.records.models import CreditRecord, RecordVersion
from pubcredit.rules import clock, identifiers
from pubcredit.rules.errors import DomainError, Problem
from pubcredit.subjects import crypto
from pubcredit.subjects.services import SubjectRef, confirmed_identifiers, subjects_resolve
from pubcredit.workdays.selectors import work_calendar

_CHUNK = 500


@dataclass
class SubmitResult:
    """Outcome of one submission; ``rejected``/``warnings`` are ``[{"row": n, "errors": [...]}]``."""

    class_code: str
    received: int = 0
    accepted: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    on_time: int = 0
    late: int = 0
    record_ids: list[int] = field(default_factory=list)
    # for the collection pipeline: business-key hashes of accepted rows and of rejected rows (by row number),
    # and the plan's keys, kept for the next chunks of the same file (``seen_keys``)
    accepted_keys: list[str] = field(default_factory=list, repr=False)
    accepted_decision_nos: set[str] = field(default_factory=set, repr=False)
    rejected_keys: dict[int, str] = field(default_factory=dict, repr=False)
    rejected_decision_nos: dict[int, str] = field(default_factory=dict, repr=False)
    plan_keys: Any = field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()
                if k not in ("record_ids", "accepted_keys", "accepted_decision_nos", "rejected_keys",
                                "rejected_decision_nos", "plan_keys")}


def keyed_hash(*parts: Any) -> str:
    """HMAC (PII key) so hashes over identity numbers cannot be reversed by trying every number."""
    return crypto.lookup_hash(canonical(parts))


def subject_ref(row: dict[str, Any]) -> SubjectRef:
    uscc = row.get("subject_uscc")
    id_number = row.get("id_number")
    if id_number and row.get("id_type") not in (None, "resident_id"):
        id_number = f"{row['id_type']}:{id_number}"  # other documents: their own namespace
    return SubjectRef(kind=row["subject_category"], name=row["subject_name"], uscc=uscc or None,
                      id_number=None if uscc else id_number)


def split_sensitive(sensitive_keys: tuple[str, ...], row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (row with sensitive values masked, the clear sensitive values)."""
    secret = {key: row[key] for key in sensitive_keys if row.get(key)}
    if not secret:
        return row, secret
    shown = dict(row)
    for key, value in secret.items():
        shown[key] = identifiers.mask_resident_id(str(value))
    return shown, secret



_RECORD_FIELDS = ("class_code", "subject_id", "department_id", "key_hash", "decision_no", "decision_date",
                  "received_at", "updated_at", "version", "fields", "content_hash", "status", "status_reason",
                  "delay_working_days", "on_time", "rulebook_version")
_VERSION_FIELDS = ("record_id", "version", "received_at", "channel", "batch_ref", "actor_label", "original", "fields",
                   "sensitive_encrypted", "content_hash", "rulebook_version")


@dataclass
class _Existing:
    """What an upsert compares of a stored record (read as plain values: imports compare thousands per chunk)."""

    pk: int
    department_id: int
    content_hash: str
    version: int


def _existing_records(class_code: str, keys: list[str]) -> dict[str, _Existing]:
    """Records of ``class_code`` by business-key hash."""
    found = {}
    for i in range(0, len(keys), _CHUNK):
        for pk, key, department_id, content, version in (
                CreditRecord.objects.filter(class_code=class_code, key_hash__in=keys[i:i + _CHUNK])
                .values_list("id", "key_hash", "department_id", "content_hash", "version")):
            found[key] = _Existing(pk, department_id, content, version)
    return found


def problems_by_row(problems: dict[int, list[Problem]]) -> list[dict]:
    return [{"row": row, "errors": [p.as_dict() for p in items]} for row, items in sorted(problems.items()) if items]


def records_submit(*, info_class, frame: pl.DataFrame, department: Department, actor: Any,
                   channel: str = SubmissionChannel.API, received_at: dt.datetime | None = None,
                   batch_ref: str = "", first_row_number: int = 1,
                   originals: list[dict[str, Any]] | None = None,
                   seen_keys: pl.DataFrame | SeenKeys | None = None) -> SubmitResult:
    """Validate rows of one information class and upsert them as versioned records (信用信息归集入库).

    ``frame`` has one string column per field key (headers already mapped). Rows failing validation are returned
    in ``rejected`` with field-level reasons and nothing of them is written; valid rows are written in one
    transaction: a new business key creates a record, a changed payload appends a version, an identical payload
    changes nothing. ``originals`` (same order as ``frame``) keeps the cells as the provider sent them.
    A ``_received_at`` column (aware datetimes) gives each row its own receipt time, for backfills of history.
    """
    received_at = received_at or clock.now()
    row_received: list[dt.datetime] | None = None
    if "_received_at" in frame.columns:
        row_received = frame.get_column("_received_at").to_list()
        received_at = max(row_received)
    plan = validate_frame(info_class, frame, today=received_at.date(), allowlist=confirmed_identifiers(),
                          first_row_number=first_row_number, seen_keys=seen_keys)
    result = SubmitResult(class_code=info_class.code, received=plan.received,
                          rejected=problems_by_row(plan.errors), warnings=problems_by_row(plan.warnings),
                          plan_keys=plan.keys)
    if plan.errors:
        key_columns = ["_row", *info_class.business_key]
        for row in plan.rows.filter(~pl.col("_ok")).select(key_columns).iter_rows(named=True):
            if row.get("decision_no"):
                result.rejected_keys[row["_row"]] = keyed_hash(info_class.code, *[row[k] for k in info_class.business_key])
                result.rejected_decision_nos[row["_row"]] = row["decision_no"]
    rows = plan.ok_rows()
    if not rows:
        return result
    # the class's own version and the catalogue's content hash: short enough to store with every row
    version_tag = f"{info_class.rule_version}#{rulebook_version().rsplit('#', 1)[-1]}"
    calendar = work_calendar()
    deadline = info_class.deadline_working_days
    sensitive_keys = tuple(f.key for f in info_class.fields if f.sensitive)

    prepared = []
    for row in rows:
        row_no = row.pop("_row")
        ref = subject_ref(row)
        key = keyed_hash(info_class.code, *[row.get(k) for k in info_class.business_key])
        shown, secret = split_sensitive(sensitive_keys, row)
        prepared.append((row_no, ref, key, keyed_hash(row), shown, secret))
        result.accepted_keys.append(key)
        result.accepted_decision_nos.add(row["decision_no"])

    actor_name = audit.actor_label(actor)
    with transaction.atomic():
        subjects = subjects_resolve([p[1] for p in prepared], actor=actor, reason=f"{info_class.code} {batch_ref}".strip())
        existing = _existing_records(info_class.code, [p[2] for p in prepared])

        delays: dict[tuple[dt.date, dt.date], int] = {}
        new_records, new_versions, changed, pending = {}, [], [], []
        other_department: dict[int, list[Problem]] = {}
        for row_no, ref, key, content, shown, secret in prepared:
            current = existing.get(key)
            shown_json = RawJSON(canonical(shown))
            original = originals[row_no - first_row_number] if originals else shown
            when = row_received[row_no - first_row_number] if row_received else received_at
            version = {
                "version": 1, "received_at": when, "channel": channel, "batch_ref": batch_ref,
                "actor_label": actor_name, "original": split_sensitive(sensitive_keys, original)[0], "fields": shown_json,
                "content_hash": content, "rulebook_version": version_tag,
                "sensitive_encrypted": crypto.encrypt(canonical(secret)) if secret else "",
            }
            if current is None:
                decided = dt.date.fromisoformat(shown["decision_date"])
                span = (decided, when.astimezone(clock.PLATFORM_TZ).date())
                if span not in delays:
                    delays[span] = calendar.working_days_between(*span).value
                new_records[key] = ({
                    "class_code": info_class.code, "subject_id": subjects[ref.key], "department_id": department.pk,
                    "key_hash": key, "decision_no": shown["decision_no"], "decision_date": decided,
                    "received_at": when, "updated_at": when, "version": 1, "fields": shown_json, "content_hash": content,
                    "status": RecordStatus.ACTIVE, "status_reason": "", "delay_working_days": delays[span],
                    "on_time": delays[span] <= deadline, "rulebook_version": version_tag,
                }, version)
                result.created += 1
                result.on_time += delays[span] <= deadline
                result.late += delays[span] > deadline
            elif current.department_id != department.pk:
                result.accepted_keys.remove(key)
                other_department[row_no] = [Problem(
                    "record.other_department", "该业务主键的记录由其他部门报送，不能由本部门修改",
                    "a record with this business key belongs to another department", "decision_no")]
            elif current.content_hash == content:
                result.unchanged += 1
                result.record_ids.append(current.pk)
            else:
                before = {"version": current.version, "content_hash": current.content_hash}
                current.version += 1
                current.content_hash = content
                changed.append(CreditRecord(pk=current.pk, version=current.version, fields=shown, content_hash=content,
                                            updated_at=when, subject_id=subjects[ref.key]))
                new_versions.append({**version, "version": current.version, "record_id": current.pk})
                pending.append(audit.PendingEvent(Event.RECORD_VERSIONED, "credit_record", current.pk, before=before,
                                                  after={"version": current.version, "content_hash": content},
                                                  rule_version=version_tag, data={"batch": batch_ref}))
                result.updated += 1
                result.record_ids.append(current.pk)

        bulk_insert(CreditRecord, [r for r, _ in new_records.values()], _RECORD_FIELDS)
        for key, record in _existing_records(info_class.code, list(new_records)).items():
            row, version = new_records[key]
            new_versions.append({**version, "record_id": record.pk})
            result.record_ids.append(record.pk)
            pending.append(audit.PendingEvent(Event.RECORD_CREATED, "credit_record", record.pk,
                                              after={"version": 1, "content_hash": row["content_hash"]},
                                              rule_version=version_tag, data={"batch": batch_ref}))
        bulk_insert(RecordVersion, new_versions, _VERSION_FIELDS)
        CreditRecord.objects.bulk_update(changed, ["version", "fields", "content_hash", "updated_at", "subject"],
                                         batch_size=_CHUNK)
        audit.record_many(pending, actor=actor)
        # publicity state, list entries (same transaction) and the evaluation (on commit) follow: docs/architecture.md
        records_changed.publish(RecordsChanged(
            class_codes=frozenset({info_class.code}), changed_ids=tuple(event.object_id for event in pending),
            record_ids=tuple(result.record_ids), actor=actor, cause="submit"))

    if other_department:
        result.rejected = sorted(result.rejected + problems_by_row(other_department), key=lambda r: r["row"])
    result.accepted = result.created + result.updated + result.unchanged
    return result


def record_submit_one(*, info_class, values: dict[str, Any], department: Department, actor: Any,
                      channel: str = SubmissionChannel.FORM) -> SubmitResult:
    """One record from a form or a single API object, through the same plan; raises on any rejection."""
    frame = pl.DataFrame({k: [None if v is None else str(v)] for k, v in values.items()},
                         schema={k: pl.String for k in values})
    result = records_submit(info_class=info_class, frame=frame, department=department, actor=actor, channel=channel)
    if result.rejected:
        problems = [Problem(e["code"], e["message"], e["message_en"], e["field"]) for e in result.rejected[0]["errors"]]
        raise DomainError.from_problems(problems)
    return result


@transaction.atomic
def record_revoke(*, record: CreditRecord, reason: str, actor: Any) -> CreditRecord:
    """Revoke a record (撤销) with its reason; the record and its versions stay, marked revoked."""
    if not reason.strip():
        raise DomainError("record.reason_required", "撤销必须说明原因", "a reason is required", "reason")
    if record.status == RecordStatus.REVOKED:
        return record
    before = {"status": record.status}
    record.status, record.status_reason, record.updated_at = RecordStatus.REVOKED, reason, clock.now()
    record.save(update_fields=["status", "status_reason", "updated_at"])
    audit.record(Event.RECORD_REVOKED, actor=actor, object_type="credit_record", object_id=record.pk,
                 before=before, after={"status": record.status}, reason=reason)
    # withdrawn from publication (Order 36 art. 19) and, for a list record, its entry ended: the subscribers
    records_changed.publish(RecordsChanged(class_codes=frozenset({record.class_code}), changed_ids=(record.pk,),
                                           record_ids=(record.pk,), actor=actor, cause="revoke"))
    return record
