"""Writing, sealing and verifying the audit trail. ``record`` is the only way rows get in.

Writers never wait for each other: ``record``/``record_many`` append events with no chain position inside the
caller's transaction. ``audit_chain_seal`` (run by the worker every few seconds) chains the events that have
committed since its last round, and ``verify_chain`` walks the sealed chain. See docs/architecture.md, "Audit".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from pubcredit import jsoncodec
from pubcredit.audit.events import EVENT_TYPES, Event
from pubcredit.audit.models import AuditEvent, AuditSeal
from pubcredit.rules import clock

GENESIS_HASH = "0" * 64
_PG_SEAL_LOCK = 0x5044_4355_5345  # advisory lock key taken by sealers only: two sealers never fork the chain


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
    """Append one event inside the caller's transaction; it takes no lock and is chained later by the sealer."""
    user, actor_label, department_code = _actor_fields(actor)
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
        # round-trip through JSON so the seal's hash sees exactly what the database gives back
        data=json.loads(_canonical(data or {})),
        rule_version=rule_version,
        created_at=clock.now(),
    )
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
               "reason", "before_hash", "after_hash", "data", "rule_version", "created_at")


def record_many(pending: list[PendingEvent], *, actor: Any) -> int:
    """Append many events in one go (batch imports): written in bulk in the caller's transaction, in order."""
    from pubcredit.bulk import bulk_insert

    if not pending:
        return 0
    user, actor_label, department_code = _actor_fields(actor)
    created_at = clock.now()
    actor_id = user.pk if user else None
    rows = [{"event": int(item.event), "action": EVENT_TYPES[item.event].api_name, "actor_id": actor_id,
             "actor_label": actor_label, "department_code": department_code, "object_type": item.object_type,
             "object_id": str(item.object_id), "reason": item.reason, "before_hash": content_hash(item.before),
             "after_hash": content_hash(item.after),
             "data": dict(item.data or {}),  # batch events carry plain JSON values (str, int) only
             "rule_version": item.rule_version, "created_at": created_at}
            for item in pending]
    return bulk_insert(AuditEvent, rows, _ROW_FIELDS)


def record_chunk(event: Event, *, actor: Any, object_type: str, object_id: Any, row_hashes: list[str],
                 data: dict[str, Any] | None = None, reason: str = "") -> AuditEvent:
    """One event for a committed chunk of a bulk import (分块审计), instead of one event per row it wrote.

    ``row_hashes`` are the hashes of the rows the chunk wrote, in a fixed order the writer can reproduce; the event
    keeps their count (``data["rows"]``) and ``data["rows_digest"]``, the SHA-256 of the hashes joined by newlines.
    Altering, adding or removing any covered row changes the digest recomputed from the rows, and altering the
    event is found by the chain like any other event's."""
    digest = hashlib.sha256("\n".join(row_hashes).encode()).hexdigest()
    return record(event, actor=actor, object_type=object_type, object_id=object_id, reason=reason,
                  data={**(data or {}), "rows": len(row_hashes), "rows_digest": digest})


_SEALED_FIELDS = ("id", *_HASHED, "created_at")


SEAL_ROUND = 20_000  # events sealed per transaction at most


def audit_chain_seal(*, limit: int = SEAL_ROUND, full: bool = False) -> int:
    """Chain the committed events that have no seal yet, in the order this round finds them; return how many.

    Which events are committed is what this transaction can see: an event whose transaction is still open is
    invisible now and is sealed by a later round, after the events that committed before it. Id order is not
    commit order, so no "highest sealed id" mark is kept; each round looks for unsealed events appended within
    ``PUBCREDIT_AUDIT_SEAL_LOOKBACK`` seconds (an index range, not the whole table), and ``full=True`` (the
    daily tick) looks at every event, for a transaction that stayed open longer than that.
    Two sealers never interleave: the second one finds the lock taken and seals nothing this round.
    """
    from pubcredit.bulk import bulk_insert

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_PG_SEAL_LOCK])
                if not cursor.fetchone()[0]:
                    return 0
        position, prev = AuditSeal.objects.order_by("-position").values_list("position", "hash").first() \
            or (0, GENESIS_HASH)
        pending = AuditEvent.objects.filter(seal__isnull=True)
        if not full:
            lookback = dt.timedelta(seconds=settings.PUBCREDIT_AUDIT_SEAL_LOOKBACK)
            pending = pending.filter(appended_at__gte=clock.wall_now() - lookback)
        links = []
        for values in pending.order_by("id").values(*_SEALED_FIELDS)[:limit]:
            position += 1
            link_hash = _chain_hash(prev, _hashed_fields(values))
            links.append({"position": position, "event_id": values["id"], "prev_hash": prev, "hash": link_hash})
            prev = link_hash
        return bulk_insert(AuditSeal, links, ("position", "event_id", "prev_hash", "hash"))



@dataclass(frozen=True)
class ChainReport:
    """What :func:`verify_chain` found: links checked, the first broken one, and events waiting too long."""

    checked: int
    first_broken_id: int | None  # the audit event at the first broken link
    problem: str = ""
    unsealed: int = 0  # events not sealed yet (normal for a few seconds)
    unsealed_overdue: int = 0  # of those, appended longer than PUBCREDIT_AUDIT_UNSEALED_LIMIT ago
    oldest_overdue_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None and self.unsealed_overdue == 0


def verify_chain(*, batch_size: int = 5000) -> ChainReport:
    """Recompute every link in chain order; report the first broken one and the events left unsealed too long."""
    expected_prev = GENESIS_HASH
    checked = 0
    broken: tuple[int, str] | None = None
    # an inner join: a link whose event was deleted drops out, and the next link's back-link no longer matches
    links = AuditSeal.objects.select_related("event").order_by("position")
    for link in links.iterator(chunk_size=batch_size):
        if link.position != checked + 1 or link.prev_hash != expected_prev:
            broken = (link.event_id, "prev_hash does not match the previous link (an event or link was removed "
                                     "or reordered)")
            break
        if _chain_hash(link.prev_hash, _hashed_fields(vars(link.event))) != link.hash:
            broken = (link.event_id, "content does not match its hash (the row was altered)")
            break
        expected_prev = link.hash
        checked += 1
    unsealed = AuditEvent.objects.filter(seal__isnull=True)
    overdue = unsealed.filter(
        appended_at__lt=clock.wall_now() - dt.timedelta(seconds=settings.PUBCREDIT_AUDIT_UNSEALED_LIMIT))
    overdue_count = overdue.count()
    oldest = overdue.order_by("id").values_list("id", flat=True).first() if overdue_count else None
    return ChainReport(checked, broken[0] if broken else None, broken[1] if broken else "",
                       unsealed=unsealed.count(), unsealed_overdue=overdue_count, oldest_overdue_id=oldest)
