"""Writing and verifying the audit trail. ``record`` is the only way rows get in."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from pubcredit import jsoncodec
from pubcredit.audit.events import EVENT_TYPES, Event
from pubcredit.audit.models import AuditEvent
from pubcredit.rules import clock

GENESIS_HASH = "0" * 64
_PG_AUDIT_LOCK = 0x5044_4355_4144  # advisory lock key: appends to the chain are serialised


@dataclass(frozen=True)
class SystemActor:
    """A non-human actor: a CLI run, a scheduled job, or a department system calling with a token."""

    label: str
    department_code: str = ""
    pk: None = None

    @property
    def is_authenticated(self) -> bool:  # mirrors the User API where selectors ask
        return False


_canonical = jsoncodec.canonical


def content_hash(value: Any) -> str:
    """SHA-256 of a JSON-able value in canonical form; used for before/after snapshots."""
    if value is None:
        return ""
    return hashlib.sha256(_canonical(value).encode()).hexdigest()


def _chain_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + "|" + _canonical(fields)).encode()).hexdigest()


_HASHED = ("event", "action", "actor_label", "department_code", "object_type", "object_id", "reason",
           "before_hash", "after_hash", "data", "rule_version")


def _moment_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _hashed_fields(values: dict[str, Any]) -> dict[str, Any]:
    """What a row's hash covers; ``values`` is a row as a dict (``vars(event)`` for a model instance)."""
    fields = {k: values[k] for k in _HASHED}
    fields["event"] = int(fields["event"])
    fields["created_at"] = _moment_text(values["created_at"])
    return fields


def actor_label(actor: Any) -> str:
    """How an actor is named in the trail and on versions: ``user:NAME`` or the system actor's label."""
    return _actor_fields(actor)[1]


def _actor_fields(actor: Any) -> tuple[Any, str, str]:
    if isinstance(actor, SystemActor):
        return None, actor.label, actor.department_code
    department = getattr(actor, "department", None)
    return actor, f"user:{actor.username}", department.code if department else ""


def record(
    event: Event,
    *,
    actor: Any,
    object_type: str,
    object_id: Any = "",
    before: Any = None,
    after: Any = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    rule_version: str = "",
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction."""
    user, actor_label, department_code = _actor_fields(actor)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_AUDIT_LOCK])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        row = AuditEvent(
            event=int(event),
            action=EVENT_TYPES[event].api_name,
            actor=user,
            actor_label=actor_label,
            department_code=department_code,
            object_type=object_type,
            object_id=str(object_id),
            reason=reason,
            before_hash=content_hash(before),
            after_hash=content_hash(after),
            # round-trip through JSON so the hash sees exactly what the database will give back
            data=json.loads(_canonical(data or {})),
            rule_version=rule_version,
            created_at=clock.now(),
            prev_hash=last or GENESIS_HASH,
        )
        row.hash = _chain_hash(row.prev_hash, _hashed_fields(vars(row)))
        row.save(force_insert=True)
    return row


@dataclass(frozen=True)
class PendingEvent:
    """One event for :func:`record_many`; same meaning as :func:`record`'s arguments."""

    event: Event
    object_type: str
    object_id: Any = ""
    before: Any = None
    after: Any = None
    reason: str = ""
    data: dict[str, Any] | None = None
    rule_version: str = ""


_ROW_FIELDS = ("event", "action", "actor_id", "actor_label", "department_code", "object_type", "object_id",
               "reason", "before_hash", "after_hash", "data", "rule_version", "created_at", "prev_hash", "hash")


def record_many(pending: list[PendingEvent], *, actor: Any) -> int:
    """Append many events in one go (batch imports): chained in order, written in bulk, same transaction."""
    from pubcredit.bulk import bulk_insert

    if not pending:
        return 0
    user, actor_label, department_code = _actor_fields(actor)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_AUDIT_LOCK])
        prev = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS_HASH
        created_at = clock.now()
        created_text = _moment_text(created_at)  # one batch, one time: formatted once
        actor_id = user.pk if user else None
        rows = []
        for item in pending:
            data = dict(item.data or {})  # batch events carry plain JSON values (str, int) only
            hashed = {"event": int(item.event), "action": EVENT_TYPES[item.event].api_name, "actor_label": actor_label,
                      "department_code": department_code, "object_type": item.object_type,
                      "object_id": str(item.object_id), "reason": item.reason, "before_hash": content_hash(item.before),
                      "after_hash": content_hash(item.after), "data": data, "rule_version": item.rule_version,
                      "created_at": created_text}
            row = {**hashed, "actor_id": actor_id, "created_at": created_at, "prev_hash": prev}
            row["hash"] = prev = _chain_hash(prev, hashed)
            rows.append(row)
        bulk_insert(AuditEvent, rows, _ROW_FIELDS)
    return len(rows)


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def verify_chain(*, batch_size: int = 5000) -> ChainReport:
    """Recompute every link; report the first row whose hash or back-link does not match."""
    expected_prev = GENESIS_HASH
    checked = 0
    for row in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
        if row.prev_hash != expected_prev:
            return ChainReport(checked, row.pk, "prev_hash does not match the previous row (a row was removed or reordered)")
        if _chain_hash(row.prev_hash, _hashed_fields(vars(row))) != row.hash:
            return ChainReport(checked, row.pk, "content does not match its hash (the row was altered)")
        expected_prev = row.hash
        checked += 1
    return ChainReport(checked, None)
