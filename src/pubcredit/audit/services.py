"""Writing, sealing and verifying the audit trail. ``record`` is the only way rows get in.

Writers never wait for each other: ``record``/``record_many`` append events with no chain position inside the
caller's transaction. ``audit_chain_seal`` (run by the worker every few seconds) chains the events that have
committed since its last round, and ``verify_chain`` walks the sealed chain. See docs/architecture.md, "Audit".
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from pubcredit import jsoncodec
from pubcredit.audit.events import EVENT_TYPES, Event
from pubcredit.audit import checkpoints
from pubcredit.audit.models import AuditCheckpoint, AuditEvent, AuditSeal
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


# Scheme 1 (links sealed before issue 19): the business columns only, not the id, actor id or append time.
_HASHED = ("event", "action", "actor_label", "department_code", "object_type", "object_id", "reason",
           "before_hash", "after_hash", "data", "rule_version")


def _moment_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _hashed_fields(values: dict[str, Any]) -> dict[str, Any]:
    """What a scheme-1 link's hash covers; ``values`` is a row as a dict (``vars(event)`` for a model instance)."""
    fields = {k: values[k] for k in _HASHED}
    fields["event"] = int(fields["event"])
    fields["created_at"] = _moment_text(values["created_at"])
    return fields


HASH_SCHEME = 2  # the scheme new links are sealed with
# Scheme 2: every column of the event row, read from the model so that a column added later is hashed too.
EVENT_COLUMNS = tuple(field.attname for field in AuditEvent._meta.concrete_fields)


def _event_columns(values: dict[str, Any]) -> dict[str, Any]:
    """Every column of an event row, datetimes as UTC text (the database may hand back another offset)."""
    out = {}
    for name in EVENT_COLUMNS:
        value = values[name]
        out[name] = _moment_text(value) if isinstance(value, dt.datetime) else value
    out["event"] = int(out["event"])
    return out


def _link_hash(prev_hash: str, *, position: int, sealed_at: dt.datetime, event: dict[str, Any]) -> str:
    """A scheme-2 link: the previous hash, the link's position and seal time, and every column of its event."""
    return _chain_hash(prev_hash, {"scheme": 2, "position": position, "sealed_at": _moment_text(sealed_at),
                                   "event": _event_columns(event)})


def _event_values(event: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in EVENT_COLUMNS}


def link_hash_of(link: AuditSeal, prev_hash: str) -> str:
    """Recompute a stored link's hash by its own scheme, from its event as it is now."""
    values = _event_values(link.event)
    if link.scheme == 1:
        return _chain_hash(prev_hash, _hashed_fields(values))
    return _link_hash(prev_hash, position=link.position, sealed_at=link.sealed_at, event=values)


def actor_label(actor: Any) -> str:
    """How an actor is named in the trail and on versions: ``user:NAME`` or the system actor's label."""
    return _actor_fields(actor)[1]


def _actor_fields(actor: Any) -> tuple[Any, str, str]:
    if isinstance(actor, SystemActor):
        return None, actor.label, actor.department_code
    department = getattr(actor, "department", None)
    return actor, f"user:{actor.username}", department.code if department else ""


# the persons whose read was audited explicitly during the current request (pubcredit.person_reads), or None
_reads_audited: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar("audit_reads_audited", default=None)


@contextmanager
def reads_audited(into: set[str] | None = None) -> Iterator[set[str]]:
    """Collect the ids of the subjects whose read is audited (``subject.read_person``) inside the block (into the
    given set, so that a streaming answer's body adds to what its view collected)."""
    audited: set[str] = set() if into is None else into
    token = _reads_audited.set(audited)
    try:
        yield audited
    finally:
        _reads_audited.reset(token)


_PERSON_READ_EVENTS = frozenset({Event.NATURAL_PERSON_READ, Event.CHECK_PERSON})


def _note_read(event: Event, object_type: str, object_id: Any) -> None:
    audited = _reads_audited.get()
    # a check of a person (联合奖惩核查) is itself the audited read of that person, with its scenario as purpose
    if audited is not None and event in _PERSON_READ_EVENTS and object_type == "subject":
        audited.add(str(object_id))


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
    _note_read(event, object_type, object_id)
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
    for item in pending:
        _note_read(item.event, item.object_type, item.object_id)
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
        # the seal time is part of the hash, so it is chosen here (whole microseconds, as both databases keep it)
        sealed_at = clock.wall_now().astimezone(dt.UTC)
        for values in pending.order_by("id").values(*EVENT_COLUMNS)[:limit]:
            position += 1
            link_hash = _link_hash(prev, position=position, sealed_at=sealed_at, event=values)
            links.append({"position": position, "event_id": values["id"], "prev_hash": prev, "hash": link_hash,
                          "sealed_at": sealed_at, "scheme": HASH_SCHEME})
            prev = link_hash
        return bulk_insert(AuditSeal, links, ("position", "event_id", "prev_hash", "hash", "sealed_at", "scheme"))



def audit_checkpoint_make(*, due_after: float | None = None) -> checkpoints.Checkpoint | None:
    """Sign the chain head and append the checkpoint to the export file, then keep a copy in the database.

    With ``due_after`` (seconds), only when the last checkpoint is older than that and the head has moved since; the
    sealing job calls it so every round. None when nothing was signed (empty chain, or not due).
    """
    head = AuditSeal.objects.order_by("-position").values_list("position", "hash").first()
    if head is None:
        return None
    last = AuditCheckpoint.objects.order_by("-made_at", "-id").first()
    now = clock.wall_now()
    if due_after is not None and last is not None and (
            last.position == head[0] or (now - last.made_at).total_seconds() < due_after):
        return None
    first_hash = AuditSeal.objects.filter(position=1).values_list("hash", flat=True).get()
    checkpoint = checkpoints.checkpoint_sign(position=head[0], head_hash=head[1], first_hash=first_hash, made_at=now)
    path = checkpoints.export_path()
    if path is not None:
        checkpoints.export_append(checkpoint, path)
    AuditCheckpoint.objects.create(position=checkpoint.position, head_hash=checkpoint.head_hash,
                                   first_hash=checkpoint.first_hash, made_at=now, key_id=checkpoint.key_id,
                                   signature=checkpoint.signature)
    return checkpoint


@dataclass(frozen=True)
class ChainReport:
    """What :func:`verify_chain` found: links checked, the first bad link, the checkpoints, events waiting too long."""

    checked: int
    first_broken_id: int | None  # the audit event at the first broken link
    problem: str = ""
    unsealed: int = 0  # events not sealed yet (normal for a few seconds)
    unsealed_overdue: int = 0  # of those, appended longer than PUBCREDIT_AUDIT_UNSEALED_LIMIT ago
    oldest_overdue_id: int | None = None
    first_bad_position: int | None = None  # the first link that is (or may be) not what was sealed
    checkpoints_checked: int = 0
    last_good_checkpoint: int | None = None  # position of the newest checkpoint the chain still matches
    checkpoint_problem: str = ""  # the first checkpoint the chain no longer matches, and why

    @property
    def ok(self) -> bool:
        return (self.first_broken_id is None and self.unsealed_overdue == 0 and not self.checkpoint_problem)


def _checkpoints_known(export: Path | None) -> tuple[list[checkpoints.Checkpoint], list[str]]:
    """The export file's checkpoints and the database's copies, once each."""
    found, problems = checkpoints.export_read(export) if export is not None else ([], [])
    for row in AuditCheckpoint.objects.order_by("position", "id"):
        found.append(checkpoints.Checkpoint(row.position, row.head_hash, row.first_hash,
                                            row.made_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
                                            row.key_id, row.signature))
    unique = {(c.position, c.head_hash, c.made_at, c.signature): c for c in found}
    return sorted(unique.values(), key=lambda c: (c.position, c.made_at)), problems


def verify_chain(*, batch_size: int = 5000, export: Path | None | bool = True,
                 public_key: Any = None) -> ChainReport:
    """Recompute every link in chain order, then hold the chain against every signed checkpoint.

    Reports the first broken link, the newest checkpoint the chain still matches and the first one it does not
    (a truncated chain ends before a checkpoint; a re-chained one has another hash at a checkpoint's position: the
    rewrite lies after the last good checkpoint), and the events left unsealed too long. ``export``: the checkpoint
    file (True: the configured one; None: the database's copies only); ``public_key``: the verifying key (default:
    the signing key's own).
    """
    expected_prev = GENESIS_HASH
    checked = 0
    broken: tuple[int, int, str] | None = None
    # an inner join: a link whose event was deleted drops out, and the next link's back-link no longer matches
    links = AuditSeal.objects.select_related("event").order_by("position")
    for link in links.iterator(chunk_size=batch_size):
        if link.position != checked + 1 or link.prev_hash != expected_prev:
            broken = (link.event_id, checked + 1, "prev_hash does not match the previous link (an event or link was "
                                                  "removed or reordered)")
            break
        if link_hash_of(link, link.prev_hash) != link.hash:
            broken = (link.event_id, link.position, "content does not match its hash (the row was altered)")
            break
        expected_prev = link.hash
        checked += 1
    first_bad = broken[1] if broken else None

    known, problems = _checkpoints_known(checkpoints.export_path() if export is True else export or None)
    last_good = None
    checkpoint_problem = "; ".join(problems)
    if known:
        key = public_key if public_key is not None else checkpoints.public_key_load()
        length = AuditSeal.objects.order_by("-position").values_list("position", flat=True).first() or 0
        stored = dict(AuditSeal.objects.filter(position__in={c.position for c in known} | {1})
                      .values_list("position", "hash"))
        for checkpoint in known:
            when = f"the checkpoint of {checkpoint.made_at} at position {checkpoint.position}"
            if not checkpoint.signature_valid(key):  # says nothing about the chain: noted, the others still count
                checkpoint_problem = "; ".join(filter(None, [
                    checkpoint_problem,
                    f"{when} has no valid signature by key {checkpoints.key_id(key)} (forged or altered)"]))
                continue
            if checkpoint.position > length:
                found = f"{when}: the chain ends at position {length} (links were deleted: truncated)"
            elif stored.get(1) != checkpoint.first_hash or stored.get(checkpoint.position) != checkpoint.head_hash:
                found = f"{when}: the chain has another hash there (rows were edited and the chain recomputed)"
            elif first_bad is not None and first_bad <= checkpoint.position:
                found = f"{when}: link {first_bad} before it is broken"
            else:
                last_good = checkpoint.position
                continue
            checkpoint_problem = "; ".join(filter(None, [checkpoint_problem, found]))
            rewritten_from = (last_good or 0) + 1
            first_bad = rewritten_from if first_bad is None else min(first_bad, rewritten_from)
            break

    unsealed = AuditEvent.objects.filter(seal__isnull=True)
    overdue = unsealed.filter(
        appended_at__lt=clock.wall_now() - dt.timedelta(seconds=settings.PUBCREDIT_AUDIT_UNSEALED_LIMIT))
    overdue_count = overdue.count()
    oldest = overdue.order_by("id").values_list("id", flat=True).first() if overdue_count else None
    return ChainReport(checked, broken[0] if broken else None, broken[2] if broken else "",
                       unsealed=unsealed.count(), unsealed_overdue=overdue_count, oldest_overdue_id=oldest,
                       first_bad_position=first_bad, checkpoints_checked=len(known), last_good_checkpoint=last_good,
                       checkpoint_problem=checkpoint_problem)
