"""How a publicity decision is written: the state row (new or changed), its audit event and its change-feed row,
read and written as plain values so that an import's thousands of records per chunk stay cheap. Used by
``publicity.services`` (which re-exports every name) and the set-based import.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db import connection

from pubcredit.accounts.models import Department
from pubcredit.audit.events import Event
from pubcredit.bulk import bulk_insert
from pubcredit.publicity.models import ChangeFeedEntry, PublicityState
from pubcredit.records.choices import RecordStatus
from pubcredit.records.models import CreditRecord
from pubcredit.rules import publicity as rules
from pubcredit.rules.calendar import Deadline, deadline
from pubcredit.rules.publicity import PublicityDecision, State
from pubcredit.workdays.selectors import holiday_envelope, work_calendar


_CHUNK = 1000
_PG_FEED_LOCK = 0x5044_4346_4545  # advisory lock: feed rows get their ids in commit order (see docs/publicity.md)

AUDIT_EVENTS: dict[str | None, Event] = {
    None: Event.PUBLICITY_ASSESSED, "assess": Event.PUBLICITY_ASSESSED, "due": Event.PUBLICITY_PUBLISHED,
    "reinstate": Event.PUBLICITY_REINSTATED, "resume": Event.PUBLICITY_RESUMED, "unrepair": Event.PUBLICITY_UNREPAIRED,
    "expire": Event.PUBLICITY_EXPIRED, "withhold": Event.PUBLICITY_WITHHELD, "revoke": Event.PUBLICITY_REVOKED,
    "schedule": Event.PUBLICITY_SCHEDULED, "archive": Event.PUBLICITY_ARCHIVED, "repair": Event.PUBLICITY_REPAIRED,
    "hold": Event.PUBLICITY_HELD,
}


# ------------------------------------------------------------------------------------------------------------
# Writing states, audit and feed together


# a change of any of these is a publicity change (audited, fed); the bookkeeping columns are updated silently
_COMPARED = ("state", "severity", "regime", "published", "publish_from", "repairable_from", "publish_until",
             "ended_on", "provisional", "shared", "rule_version", "class_code", "decision_date", "subject_id", "department_id")
_BOOKKEEPING = ["assessed_on", "record_version", "rulebook_version"]
_UPDATED = [f.replace("_id", "") if f in ("subject_id", "department_id") else f for f in _COMPARED] + [
    "reason_zh", "reason_en", "updated_at", *_BOOKKEEPING]


# what an assessment reads of a record and its subject (the fields JSON is most of it)
_RECORD_READ = ("id", "class_code", "fields", "decision_date", "decision_no", "received_at", "status", "status_reason",
                "version", "department_id", "subject_id", "subject__kind", "subject__uscc", "subject__id_masked")
# new states and feed rows are written as plain rows (bulk.py): an import creates thousands per chunk, and building
# a model instance for each cost more than the rule that decides it
_STATE_FIELDS = tuple(f.attname for f in PublicityState._meta.concrete_fields)
_STATE_DEFAULTS = {f.attname: f.get_default() for f in PublicityState._meta.concrete_fields if not f.primary_key}
_FEED_FIELDS = tuple(f.attname for f in ChangeFeedEntry._meta.concrete_fields if not f.primary_key)


class _NewState(SimpleNamespace):
    """A publicity state not stored yet: the model's attributes, without a model instance (written by ``bulk_insert``)."""


@dataclass(slots=True)
class _SubjectView:
    kind: str
    uscc: str | None
    id_masked: str


@dataclass(slots=True)
class _RecordView:
    """What the rule, the state and the feed read of a record, read as plain values (no model instance per row)."""

    pk: int
    class_code: str
    fields: dict
    decision_date: dt.date
    decision_no: str
    received_at: dt.datetime
    status: str
    status_reason: str
    version: int
    department_id: int
    subject_id: int
    subject: _SubjectView
    department: Department | None = None


def _record_views(ids: list[int]) -> dict[int, _RecordView]:
    rows = CreditRecord.objects.filter(pk__in=ids).values_list(*_RECORD_READ)
    return {row[0]: _RecordView(*row[:11], subject=_SubjectView(*row[11:])) for row in rows}


def _snapshot(state: PublicityState) -> dict[str, Any]:
    return {"state": state.state, "severity": state.severity, "regime": state.regime, "published": state.published,
            "publish_from": state.publish_from, "repairable_from": state.repairable_from,
            "publish_until": state.publish_until, "shared": state.shared, "rule_version": state.rule_version}


def _ended_on(new: State, old: State | None, current_end: dt.date | None, decision_until: dt.date | None,
              today: dt.date) -> dt.date | None:
    """The day publication stopped: the day after the last day shown for an expiry, else the day of the change."""
    if new in (State.PENDING, State.PUBLISHED, State.WITHHELD):
        return None
    if new == State.EXPIRED and decision_until is not None:
        return decision_until + dt.timedelta(days=1)
    if new == old or new == State.ARCHIVED:
        return current_end
    return today


def _feed_entry(state: PublicityState, record: CreditRecord, event: str, previous: str, effective_on: dt.date,
                now: dt.datetime) -> dict[str, Any]:
    """One change-feed row, as the plain values ``bulk_insert`` writes."""
    subject = record.subject
    return {
        "record_id": state.record_id, "event": event, "state": state.state, "previous_state": previous or "",
        "shown": state.state == State.PUBLISHED, "shared": state.shared, "severity": state.severity,
        "publish_from": state.publish_from, "repairable_from": state.repairable_from,
        "publish_until": state.publish_until, "effective_on": effective_on, "class_code": state.class_code,
        "decision_no": record.decision_no, "subject_code": subject.uscc or subject.id_masked,
        "rule_version": state.rule_version, "changed_at": now}


def _append_feed(entries: list[dict[str, Any]]) -> None:
    """Append feed rows so that their ids follow commit order: PostgreSQL serialises appenders with an advisory
    lock held to the end of the transaction (SQLite has one writer anyway). Always called after the audit
    append of the same transaction, so both locks are taken in the same order everywhere."""
    if not entries:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_FEED_LOCK])
    bulk_insert(ChangeFeedEntry, entries, _FEED_FIELDS)


def _chunks(items: Iterable[int], size: int = _CHUNK) -> Iterator[list[int]]:
    chunk: list[int] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _apply(state: PublicityState | None, record: CreditRecord, decision: PublicityDecision, *, today: dt.date,
           now: dt.datetime, version: str, policy: rules.Policy) -> tuple[PublicityState, str | None, bool, dict | None]:
    """Fill ``state`` from a decision. Returns (state, event, changed, before-snapshot)."""
    created = state is None
    current = None if created else State(state.state)
    revoked = record.status == RecordStatus.REVOKED
    target = rules.target_state(current=current or State.PENDING, decision=decision, record_revoked=revoked,
                                today=today)
    if created:
        state = _NewState(record_id=record.pk, **_STATE_DEFAULTS)
        before = None
        event = rules.event_for(State.PENDING, target)
        previous = State.PENDING
    else:
        before = _snapshot(state)
        previous = current
        event = rules.event_for(current, target)
        if event is None and target != current:
            target = current  # no legal move from here (e.g. an archived record): keep the state
    new_state = target if (event is not None or created) else current
    if current in rules.STICKY and not created and new_state == current:
        # repaired / on hold / revoked / archived: its own workflow decided; keep its window as it was
        return state, None, False, before
    old = None if created else tuple(getattr(state, f) for f in _COMPARED)
    state.ended_on = _ended_on(new_state, previous if not created else None, None if created else state.ended_on,
                               decision.publish_until, today)
    state.state = new_state.value
    state.severity = decision.severity.value if decision.severity else ""
    state.regime = decision.regime
    state.published = decision.published
    state.publish_from, state.repairable_from = decision.publish_from, decision.repairable_from
    state.publish_until = decision.publish_until
    state.provisional = decision.provisional
    state.shared = new_state not in policy.stop_sharing_in
    state.reason_zh, state.reason_en = decision.reason_zh, decision.reason_en
    state.rule_version, state.rulebook_version = decision.rule_version, version
    state.record_version, state.assessed_on = record.version, today
    state.class_code, state.decision_date = record.class_code, record.decision_date
    state.subject_id, state.department_id = record.subject_id, record.department_id
    changed = created or old != tuple(getattr(state, f) for f in _COMPARED)
    if changed:
        state.updated_at = now
    return state, event, changed, before


def new_states_frame(records: Any, decisions: Any, *, today: dt.date, now: dt.datetime, version: str,
                     policy: rules.Policy) -> tuple[Any, Any]:
    """States and change-feed rows of records that have no state yet, as Polars frames (for ``COPY``): the rows
    :func:`_apply` and :func:`_feed_entry` give record by record for a new state (the set-based import, issue 18).

    ``records``: ``record_id``, ``class_code``, ``decision_no``, ``decision_date``, ``subject_id``, ``department_id``,
    ``subject_code`` (the USCC, or the masked identity number), ``status`` and ``version``; ``decisions``: one row per record, in
    the same order, with the decision's fields (``severity``, ``regime``, ``published``, ``publish_from``,
    ``repairable_from``, ``publish_until``, ``provisional``, ``reason_zh``, ``reason_en``, ``rule_version`` and
    optionally ``ended_by``). A new state starts from ``pending`` (``rules.target_state``), moves by the transition
    table's event (``assess`` when it stays pending) and ends as :func:`_ended_on` says. Columns are named as the
    tables' (``_STATE_FIELDS``, ``_FEED_FIELDS``)."""
    import polars as pl

    # a new record's target state, as rules.target_state decides it from ``pending``: the branches that can apply
    ended_by = pl.col("ended_by") if "ended_by" in decisions.columns else pl.lit(None, dtype=pl.String)
    until, start = pl.col("publish_until"), pl.col("publish_from")
    target = (pl.when((pl.col("status") == RecordStatus.REVOKED) | (ended_by == "revoked")).then(pl.lit(State.REVOKED.value))
              .when(~pl.col("published")).then(pl.lit(State.WITHHELD.value))
              .when(until.is_not_null() & (until < pl.lit(today))).then(pl.lit(State.EXPIRED.value))
              .when(start.is_null() | (start > pl.lit(today))).then(pl.lit(State.PENDING.value))
              .otherwise(pl.lit(State.PUBLISHED.value)))
    events = {s.value: rules.event_for(State.PENDING, s) or "assess" for s in State}
    endless = [s.value for s in State if _ended_on(s, None, None, None, today) is None]  # pending, published …
    frame = pl.concat([records, decisions], how="horizontal").with_columns(state=target)
    frame = frame.with_columns(
        event=pl.col("state").replace_strict(events, return_dtype=pl.String),
        ended_on=pl.when(pl.col("state").is_in(endless)).then(pl.lit(None, dtype=pl.Date))
        .when((pl.col("state") == State.EXPIRED.value) & until.is_not_null()).then(until.dt.offset_by("1d"))
        .otherwise(pl.lit(today)),
        shared=~pl.col("state").is_in([s.value for s in policy.stop_sharing_in]),
        severity=pl.col("severity").fill_null(""))
    frame = frame.with_columns(effective_on=pl.when((pl.col("event") == "due") & start.is_not_null()).then(start)
                               .when((pl.col("event") == "expire") & pl.col("ended_on").is_not_null())
                               .then(pl.col("ended_on")).otherwise(pl.lit(today)))
    stamp = pl.lit(now.astimezone(dt.timezone.utc), dtype=pl.Datetime("us", "UTC"))
    states = frame.select(
        "record_id", "state", "severity", "regime", "published", "publish_from", "repairable_from", "publish_until",
        "ended_on", "provisional", "shared", "reason_zh", "reason_en", "rule_version",
        rulebook_version=pl.lit(version), record_version="version", assessed_on=pl.lit(today),
        class_code="class_code", decision_date="decision_date", subject_id="subject_id",
        department_id="department_id", updated_at=stamp)
    feed = frame.select(
        "record_id", "event", "state", previous_state=pl.lit(""), shown=pl.col("state") == State.PUBLISHED.value,
        shared="shared", severity="severity", publish_from="publish_from", repairable_from="repairable_from",
        publish_until="publish_until", effective_on="effective_on", class_code="class_code",
        decision_no="decision_no", subject_code="subject_code", rule_version="rule_version", changed_at=stamp)
    assert states.columns == list(_STATE_FIELDS) and feed.columns == list(_FEED_FIELDS)
    return states, feed


def _effective_on(event: str | None, state: PublicityState, today: dt.date) -> dt.date:
    if event == "due" and state.publish_from:
        return state.publish_from
    if event == "expire" and state.ended_on:
        return state.ended_on
    return today


def _earliest_publication() -> Callable[[dt.date, int], Deadline]:
    """A publication due ``n`` working days after a day (SAMR Order 45 art. 9), by the platform's calendar read once
    for a chunk of records (and once per distinct day); in a year with no schedule the earliest day it can be (a
    period counted from it ends soonest for the subject)."""
    calendar, envelope = work_calendar(), holiday_envelope()

    @functools.cache
    def due(start: dt.date, n: int) -> Deadline:
        return deadline(calendar, start, n, envelope, favour="earlier")

    return due
