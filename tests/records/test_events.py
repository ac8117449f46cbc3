"""The records-changed domain event (docs/architecture.md "Records changed"): records publish, publicity and lists
follow in the writer's transaction, the evaluation follows on commit."""

from __future__ import annotations

import pytest
from django.db import transaction

from pubcredit.catalog.registry import get_class
from pubcredit.domain_events import Topic
from pubcredit.lists.models import ListEntry
from pubcredit.publicity.models import PublicityState
from pubcredit.records.events import LISTS_ORDER, PUBLICITY_ORDER, RecordsChanged, records_changed
from pubcredit.records.models import CreditRecord
from pubcredit.records.services import record_revoke, record_submit_one, records_submit
from pubcredit.rules import clock
from tests.factories import at, frame, penalty
from tests.lists.helpers import court_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribed():
    """Subscribe a test handler to the records-changed event for one test."""
    names = []

    def subscribe(handler, *, name, **options):
        names.append(name)
        records_changed.subscribe(handler, name=name, **options)

    yield subscribe
    for name in names:
        records_changed.unsubscribe(name)


def submit(rows, department, actor, *, class_code="admin_penalty", when="2026-11-20"):
    with clock.pinned(at(when).date()):
        return records_submit(info_class=get_class(class_code), frame=frame(rows), department=department, actor=actor,
                              received_at=at(when))


def test_publicity_and_lists_subscribe_in_their_order_and_evaluation_on_commit():
    subscribers = {s.name: s for s in records_changed.subscribers()}
    assert [s.name for s in records_changed.subscribers() if not s.on_commit][:2] == [
        "publicity.assess", "lists.sync_entries"]
    assert (subscribers["publicity.assess"].order, subscribers["lists.sync_entries"].order) == (
        PUBLICITY_ORDER, LISTS_ORDER)
    assert subscribers["evaluation.queue_refresh"].on_commit


def test_a_new_subscriber_receives_the_event_with_the_record_ids(department, system_actor, subscribed):
    received: list[RecordsChanged] = []
    subscribed(received.append, name="test.listener")
    first = submit([penalty(1), penalty(2)], department, system_actor)
    again = submit([penalty(1), penalty(2, fine_amount="900")], department, system_actor, when="2026-11-23")

    assert [(e.cause, e.class_codes, sorted(e.changed_ids), sorted(e.record_ids)) for e in received] == [
        ("submit", frozenset({"admin_penalty"}), sorted(first.record_ids), sorted(first.record_ids)),
        # a resubmission: every record touched, only the corrected one changed
        ("submit", frozenset({"admin_penalty"}), [CreditRecord.objects.get(version=2).pk], sorted(again.record_ids)),
    ]
    assert received[0].actor is system_actor


def test_the_publicity_state_is_written_with_the_record(department, system_actor):
    result = submit([penalty(1)], department, system_actor)
    assert PublicityState.objects.filter(record_id__in=result.record_ids).count() == 1


def test_a_failing_subscriber_rolls_back_the_record_and_its_publicity_state(department, system_actor, subscribed):
    def fail(event):
        assert PublicityState.objects.filter(record_id__in=event.changed_ids).exists()  # publicity ran before
        raise RuntimeError("subscriber failed")

    subscribed(fail, name="test.failing", order=PUBLICITY_ORDER + 1)
    with pytest.raises(RuntimeError, match="subscriber failed"):
        submit([penalty(1)], department, system_actor)
    assert (CreditRecord.objects.count(), PublicityState.objects.count()) == (0, 0)


def test_an_on_commit_subscriber_runs_after_the_commit_and_never_for_a_rolled_back_write(
        department, system_actor, subscribed, django_capture_on_commit_callbacks):
    received: list[RecordsChanged] = []
    subscribed(received.append, name="test.deferred", on_commit=True)
    with django_capture_on_commit_callbacks(execute=True):
        result = submit([penalty(1)], department, system_actor)
        assert received == []  # not before the commit
    assert [e.record_ids for e in received] == [tuple(result.record_ids)]

    class Undo(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Undo), transaction.atomic():
            submit([penalty(2)], department, system_actor)
            raise Undo
    assert callbacks == [] and len(received) == 1


def test_revoking_a_list_record_ends_its_entry_and_its_publication(department, system_actor):
    result = submit([court_row(1)], department, system_actor, class_code="court_dishonest_debtor")
    entry = ListEntry.objects.get(record_id=result.record_ids[0])  # derived by the event, no caller synced
    assert entry.status == "in_force"
    with clock.pinned(at("2026-11-23").date()):
        record_revoke(record=CreditRecord.objects.get(pk=entry.record_id), reason="决定被撤销", actor=system_actor)
    entry.refresh_from_db()
    state = PublicityState.objects.get(record_id=entry.record_id)
    assert (entry.status, state.state) == ("removed", "revoked")


def test_a_list_record_corrected_by_a_single_submission_moves_its_entry(department, system_actor):
    """A correction made through ``record_submit_one`` (e.g. an objection upheld) now moves the entry too: no
    caller has to remember the list sync."""
    submit([court_row(1)], department, system_actor, class_code="court_dishonest_debtor")
    with clock.pinned(at("2026-11-23").date()):
        record_submit_one(info_class=get_class("court_dishonest_debtor"),
                          values=court_row(1, planned_end_date="2029-11-15"), department=department,
                          actor=system_actor)
    entry = ListEntry.objects.get()
    assert (entry.record_version, str(entry.planned_end)) == (2, "2029-11-15")


def test_topic_calls_subscribers_by_order_then_name_and_replaces_a_name():
    topic: Topic[str] = Topic("test.topic")
    calls = []
    topic.subscribe(lambda e: calls.append(("late", e)), name="b", order=20)
    topic.subscribe(lambda e: calls.append(("first", e)), name="z", order=10)
    topic.subscribe(lambda e: calls.append(("second", e)), name="a", order=20)
    topic.subscribe(lambda e: calls.append(("late-again", e)), name="b", order=20)  # ready() running twice
    topic.publish("x")
    assert calls == [("first", "x"), ("second", "x"), ("late-again", "x")]
