"""Every write to publicity state (公示状态): assessment after a submission, the daily job, and the moves the
repair and objection workflows make. Each change is audited and appended to the change feed in the same
transaction; the rule itself is ``rules.publicity`` (pure) with the data of ``rulebook/publicity/``.

Entry points:

- :func:`publicity_assess` — after records are created, corrected or revoked: ``publicity_assess(ids, actor=…)``
  (bulk: thousands of ids per call, a few queries per 1 000 records);
- :func:`publicity_tick` — the daily job (``pubcredit tick``): assesses what was missed, then moves states by the
  stored dates as they hold on ``clock.today()`` (idempotent; a missed day is caught up);
- :func:`publicity_transition` and its named forms (:func:`publicity_repair`, :func:`publicity_hold`,
  :func:`publicity_resume`) — for the repair and objection workflows;
- :func:`feed_consumer_seen` — bookkeeping of how far each downstream system has read the feed.

Beside it: ``publicity/facts.py`` (what the rule reads of a record: :func:`record_facts`) and
``publicity/writing.py`` (how a decision becomes a state row, an audit event and a change-feed row). Every name
they hold is importable from here as before (the set-based import reads some of the private ones).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F, Q

from pubcredit.accounts.models import Department
from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.bulk import bulk_insert
from pubcredit.lists.models import ListEntry
from pubcredit.lists.rulebook import rulebook as list_rulebook
from pubcredit.publicity.facts import record_facts
from pubcredit.publicity.models import FeedConsumer, PublicityState, TickRun
from pubcredit.publicity.rulebook import rulebook
from pubcredit.publicity.writing import (_append_feed, _apply, AUDIT_EVENTS, _BOOKKEEPING, _CHUNK, _chunks,
                                         _earliest_publication, _effective_on, _ended_on, _feed_entry, _record_views,
                                         _snapshot, _STATE_FIELDS, _UPDATED)
from pubcredit.records.choices import RecordStatus
from pubcredit.records.models import CreditRecord
from pubcredit.rules import clock
from pubcredit.rules import publicity as rules
from pubcredit.rules.errors import DomainError
from pubcredit.rules.publicity import State
from pubcredit.workdays.selectors import schedule_missing

# the names moved beside this module, importable from here as before  # noqa: F401
from pubcredit.publicity.facts import (_class_info, _date, DECLARED_SEVERITY_FIELD, _list_publicity, _NO_ENTRY,
                                       PROCEDURE_FIELD, _PROCEDURE_WORDS, SECTOR_FIELD, _SEVERITY_WORDS,
                                       UNTRUE_COMMITMENT_FIELD)
from pubcredit.publicity.writing import (_COMPARED, _FEED_FIELDS, _NewState, _PG_FEED_LOCK, _RECORD_READ, _RecordView,
                                         _STATE_DEFAULTS, _SubjectView)

__all__ = ["publicity_assess", "publicity_tick", "publicity_transition", "publicity_repair", "publicity_hold",
           "publicity_resume", "feed_consumer_seen", "AssessResult", "TickResult", "record_facts"]


logger = logging.getLogger("pubcredit.tick")


@dataclass
class AssessResult:
    assessed: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    missing: int = 0  # ids with no record
    events: Counter = field(default_factory=Counter)

    def merge(self, other: AssessResult) -> None:
        for name in ("assessed", "created", "changed", "unchanged", "missing"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.events.update(other.events)


@dataclass
class TickResult:
    day: dt.date
    reassessed: int = 0
    full_reassessment: bool = False
    events: Counter = field(default_factory=Counter)
    schedule_missing: tuple[int, ...] = ()  # years whose holiday schedule operators must load (from 1 November)

    def as_dict(self) -> dict[str, Any]:
        return {"reassessed": self.reassessed, "full_reassessment": self.full_reassessment, **dict(self.events)}


def _assess_chunk(ids: list[int], *, actor: Any, today: dt.date, reason: str, class_cache: dict) -> AssessResult:
    book = rulebook()
    result = AssessResult()
    now = clock.now()
    records = _record_views(ids)
    departments = Department.objects.in_bulk({r.department_id for r in records.values()})
    for record in records.values():
        record.department = departments[record.department_id]  # a handful of departments: not joined per row
    result.missing = len(set(ids) - set(records))
    states = {s.record_id: s for s in PublicityState.objects.filter(record_id__in=list(records))}
    list_ids = [pk for pk, r in records.items() if list_rulebook().is_list(r.class_code)]
    entries = ({e.record_id: e for e in ListEntry.objects.filter(record_id__in=list_ids).only(
        "record_id", "effective_date", "planned_end", "removed_on", "removal_reason")} if list_ids else {})
    new_rows, changed_rows, touched, pending, feed = [], [], [], [], []
    publication_due = _earliest_publication()
    for pk in sorted(records):
        record = records[pk]
        facts = record_facts(record, class_cache=class_cache, entry=entries.get(pk))
        decision = rules.assess(facts, book, as_of=today, working_days=publication_due)
        existing = states.get(pk)
        stale = existing is not None and (existing.assessed_on, existing.record_version,
                                          existing.rulebook_version) != (today, record.version, book.version)
        state, event, changed, before = _apply(existing, record, decision, today=today, now=now,
                                               version=book.version, policy=book.policy)
        result.assessed += 1
        if not changed:
            result.unchanged += 1
            if stale:  # same verdict: only note when and under which versions it was assessed
                state.assessed_on, state.record_version, state.rulebook_version = today, record.version, book.version
                touched.append(state)
            continue
        if existing is None:
            new_rows.append(state)
            result.created += 1
        else:
            changed_rows.append(state)
            result.changed += 1
        name = event or "assess"
        result.events[name] += 1
        pending.append(audit.PendingEvent(
            AUDIT_EVENTS[event], "credit_record", pk, before=before, after=_snapshot(state),
            reason=reason or state.reason_zh, rule_version=state.rule_version,
            data={"event": name, "state": state.state, "regime": state.regime, "severity": state.severity,
                  "rulebook": book.version}))
        feed.append(_feed_entry(state, record, name, before["state"] if before else "", _effective_on(event, state, today),
                                now))
    with transaction.atomic():
        bulk_insert(PublicityState, [vars(state) for state in new_rows], _STATE_FIELDS)
        if changed_rows:
            PublicityState.objects.bulk_update(changed_rows, _UPDATED, batch_size=_CHUNK)
        if touched:
            PublicityState.objects.bulk_update(touched, _BOOKKEEPING, batch_size=_CHUNK)
        audit.record_many(pending, actor=actor)
        _append_feed(feed)
    return result


def publicity_assess(record_ids: Iterable[int], *, actor: Any, reason: str = "") -> AssessResult:
    """Compute severity, regime and publicity window of these records and move their publicity state
    (创建或更新公示状态). Call it with the ids of records created, corrected or revoked; unchanged records cost a
    read and no write. Runs in the caller's transaction when there is one, else one transaction per 1 000 ids."""
    today = clock.today()
    result = AssessResult()
    class_cache: dict = {}
    for chunk in _chunks(sorted(set(record_ids))):
        result.merge(_assess_chunk(chunk, actor=actor, today=today, reason=reason, class_cache=class_cache))
    return result


# ------------------------------------------------------------------------------------------------------------
# Moves by date (the daily job) and by workflow


def _move(states: list[PublicityState], event: str, *, actor: Any, today: dt.date, reason: str,
          policy: rules.Policy) -> int:
    """Apply ``event`` to each state (already locked, already checked), audit and feed them."""
    if not states:
        return 0
    now = clock.now()
    records = {r.pk: r for r in CreditRecord.objects.filter(pk__in=[s.record_id for s in states])
               .select_related("subject").only("pk", "decision_no", "subject__uscc", "subject__id_masked")}
    pending, feed = [], []
    for state in states:
        before = _snapshot(state)
        previous = State(state.state)
        new = rules.transition(previous, event)
        state.ended_on = _ended_on(new, previous, state.ended_on, state.publish_until, today)
        effective = {"due": state.publish_from or today, "expire": state.ended_on or today,
                     "archive": (state.ended_on + dt.timedelta(days=policy.archive_after_days)) if state.ended_on
                     else today}.get(event, today)
        state.state, state.updated_at = new.value, now
        state.shared = new not in policy.stop_sharing_in
        pending.append(audit.PendingEvent(
            AUDIT_EVENTS[event], "credit_record", state.record_id, before=before, after=_snapshot(state),
            reason=reason, rule_version=state.rule_version,
            data={"event": event, "state": new.value, "effective_on": effective.isoformat()}))
        feed.append(_feed_entry(state, records[state.record_id], event, previous.value, effective, now))
    PublicityState.objects.bulk_update(states, ["state", "ended_on", "shared", "updated_at"], batch_size=_CHUNK)
    audit.record_many(pending, actor=actor)
    _append_feed(feed)
    return len(states)


def _date_rules(today: dt.date, policy: rules.Policy) -> list[tuple[str, Q, Callable[[PublicityState], bool]]]:
    """(event, query, re-check) triples: what the stored dates say must hold on ``today``. The re-check runs on
    the locked row, so a row changed meanwhile is left alone."""
    archive_before = today - dt.timedelta(days=policy.archive_after_days)
    expirable = [State.PENDING, State.PUBLISHED, State.OBJECTION_HOLD]
    return [
        ("expire", Q(state__in=expirable, publish_until__lt=today),
         lambda s: s.state in expirable and s.publish_until is not None and s.publish_until < today),
        ("due", Q(state=State.PENDING, publish_from__lte=today),
         lambda s: s.state == State.PENDING and s.publish_from is not None and s.publish_from <= today
         and (s.publish_until is None or s.publish_until >= today)),
        ("archive", Q(state__in=[State.EXPIRED, State.REPAIRED, State.REVOKED], ended_on__lte=archive_before),
         lambda s: s.state in (State.EXPIRED, State.REPAIRED, State.REVOKED) and s.ended_on is not None
         and s.ended_on <= archive_before),
    ]


def _stale_ids(book: rules.PublicityRulebook, today: dt.date, full: bool) -> Iterator[int]:
    """Records to (re)assess: missing a state, changed or revoked since, assessed before a regime took effect
    (most-favourable transition), or every record when the rulebook changed."""
    if full:
        yield from CreditRecord.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=5000)
        return
    yield from CreditRecord.objects.filter(publicity__isnull=True).order_by("pk").values_list(
        "pk", flat=True).iterator(chunk_size=5000)
    yield from PublicityState.objects.filter(
        ~Q(record_version=F("record__version"))
        | (Q(record__status=RecordStatus.REVOKED) & ~Q(state__in=[State.REVOKED, State.ARCHIVED]))
    ).order_by("record_id").values_list("record_id", flat=True).iterator(chunk_size=5000)
    # dates resting on a year with no holiday schedule: recomputed each run, so loading the year releases them
    yield from PublicityState.objects.filter(provisional=True).order_by("record_id").values_list(
        "record_id", flat=True).iterator(chunk_size=5000)
    started = [d for d in book.starts() if d <= today]
    if started and book.policy.transition == "most_favourable":
        yield from PublicityState.objects.filter(assessed_on__lt=max(started)).exclude(
            state=State.ARCHIVED).order_by("record_id").values_list("record_id", flat=True).iterator(chunk_size=5000)


def publicity_tick(*, actor: Any, reassess_all: bool = False,
                   progress: Callable[[str, int], None] | None = None) -> TickResult:
    """The daily publicity job (``pubcredit tick``). Idempotent and catching up: it computes what must hold on
    ``clock.today()`` from the stored dates, never from "yesterday", so running it twice changes nothing and a
    missed day is made good. Steps: (1) assess records missing or stale (all of them when the rulebook files
    changed since the last run); (2) pending → published, → expired, → archived as the dates say."""
    today = clock.today()
    started_at = clock.now()
    book = rulebook()
    result = TickResult(day=today, schedule_missing=schedule_missing(today))
    if result.schedule_missing:
        years = "、".join(str(y) for y in result.schedule_missing)
        logger.warning("holiday schedule missing for %s: deadlines into it are provisional; load it "
                       "(pubcredit load_calendar or the 工作日历 page) — %s年节假日安排尚未载入", years, years)
    last = TickRun.objects.order_by("-id").first()
    if last is None:
        changed_book = PublicityState.objects.exclude(rulebook_version=book.version).exists()
    else:
        changed_book = last.rulebook_version != book.version
    result.full_reassessment = reassess_all or changed_book
    class_cache: dict = {}
    seen: set[int] = set()
    for chunk in _chunks(_stale_ids(book, today, result.full_reassessment)):
        chunk = [pk for pk in chunk if pk not in seen]
        if not chunk:
            continue
        seen.update(chunk)
        with transaction.atomic():
            assessed = _assess_chunk(chunk, actor=actor, today=today, reason="", class_cache=class_cache)
        result.reassessed += assessed.assessed
        result.events.update(assessed.events)
        if progress:
            progress("assess", len(chunk))
    for event, query, recheck in _date_rules(today, book.policy):
        ids = list(PublicityState.objects.filter(query).order_by("record_id").values_list("record_id", flat=True))
        for chunk in _chunks(ids):
            with transaction.atomic():
                rows = [s for s in PublicityState.objects.select_for_update().filter(record_id__in=chunk)
                        .order_by("record_id") if recheck(s)]
                moved = _move(rows, event, actor=actor, today=today, reason=_TICK_REASONS[event], policy=book.policy)
            result.events[event] += moved
            if progress:
                progress(event, moved)
    with transaction.atomic():
        run = TickRun.objects.create(day=today, started_at=started_at, finished_at=clock.now(),
                                     rulebook_version=book.version, counts=result.as_dict(),
                                     actor_label=audit.actor_label(actor))
        audit.record(Event.PUBLICITY_TICK, actor=actor, object_type="tick_run", object_id=run.pk,
                     after=result.as_dict(), rule_version=book.version, data={"day": today.isoformat()})
    return result


_TICK_REASONS = {
    "expire": "最长公示期届满，自动停止公示",
    "due": "到达公示起始日，开始公示",
    "archive": "停止公示已满归档期限，归档",
}


@transaction.atomic
def publicity_transition(*, record: CreditRecord, event: str, actor: Any, reason: str,
                         minimum_period: bool = True) -> PublicityState:
    """Move one record's publicity by a workflow event (repair, hold, resume, unrepair, revoke), with its reason.
    A move the state table does not allow is refused (``publicity.invalid_transition``). ``minimum_period=False``:
    a repair the law allows before the minimum period (bankruptcy reorganisation, NDRC Order 36 art. 20)."""
    if not reason.strip():
        raise DomainError("publicity.reason_required", "请说明理由", "a reason is required", "reason")
    book = rulebook()
    today = clock.today()
    state = PublicityState.objects.select_for_update().filter(record_id=record.pk).first()
    if state is None:
        publicity_assess([record.pk], actor=actor)
        state = PublicityState.objects.select_for_update().get(record_id=record.pk)
    current = State(state.state)
    try:
        rules.transition(current, event)
    except rules.InvalidTransition:
        raise DomainError("publicity.invalid_transition",
                          f"当前状态（{rules.STATE_LABELS[current]}）不能执行该操作",
                          f"no {event!r} from state {current}", "event") from None
    if event == "repair" and minimum_period:
        if state.repairable_from is None:
            raise DomainError("publicity.not_repairable", "该信息不得提前终止公示，期满自动停止",
                              "this item cannot be repaired early", "record")
        if today < state.repairable_from:
            raise DomainError("publicity.minimum_period",
                              f"未达到最短公示期，{state.repairable_from.isoformat()}起方可申请信用修复",
                              f"minimum period not reached: repair from {state.repairable_from.isoformat()}", "record")
    if event == "resume" and state.publish_until is not None and state.publish_until < today:
        event = "expire"
    _move([state], event, actor=actor, today=today, reason=reason, policy=book.policy)
    return state


def publicity_repair(*, record: CreditRecord, actor: Any, reason: str) -> PublicityState:
    """信用修复 granted by the identifying unit: publication ends and sharing stops (Order 36 art. 3)."""
    return publicity_transition(record=record, event="repair", actor=actor, reason=reason)


def publicity_hold(*, record: CreditRecord, actor: Any, reason: str) -> PublicityState:
    """Hold publication (``objection_hold``, not shown). Objections no longer call it: Order 36 art. 18 does not
    suspend publication while an objection is verified (art. 19: not even reconsideration or litigation does), so the
    repair app keeps the record published and the portal marks it 异议处理中 (docs/repair.md). Kept for holds made
    before, which :func:`publicity_resume` ends when their objection is decided."""
    return publicity_transition(record=record, event="hold", actor=actor, reason=reason)


def publicity_resume(*, record: CreditRecord, actor: Any, reason: str) -> PublicityState:
    """The objection was rejected: publication resumes (or ends, if its period passed meanwhile)."""
    return publicity_transition(record=record, event="resume", actor=actor, reason=reason)


# ------------------------------------------------------------------------------------------------------------
# Feed consumers


def feed_consumer_seen(*, department: Department, since: int, delivered: int, token_prefix: str = "") -> FeedConsumer:
    """Record that a department's system asked for changes after ``since`` (so it holds everything up to it) and
    was handed changes up to ``delivered``. Bookkeeping, not credit data: not audited."""
    now = clock.now()
    consumer = FeedConsumer.objects.filter(department=department).first()
    if consumer is None:
        consumer = FeedConsumer(department=department, first_seen_at=now)
    # a consumer confirms only what it was handed: a cursor cannot be moved past the last one delivered to it
    consumer.acknowledged_cursor = min(max(0, since), consumer.delivered_cursor or 0)
    consumer.delivered_cursor = max(delivered, consumer.acknowledged_cursor)
    consumer.token_prefix = token_prefix
    consumer.reads += 1
    consumer.last_seen_at = now
    consumer.save()
    return consumer
