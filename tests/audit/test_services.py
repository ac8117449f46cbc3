import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from pubcredit.audit.events import Event
from pubcredit.audit.models import AuditEvent, AuditSeal
from pubcredit.audit.services import GENESIS_HASH, PendingEvent, audit_chain_seal, record, record_many, verify_chain

pytestmark = pytest.mark.django_db


def _three_events(actor, *, seal=True):
    for i in range(3):
        record(Event.SUBJECT_CREATED, actor=actor, object_type="subject", object_id=i, after={"n": i}, reason="测试")
    if seal:
        assert audit_chain_seal() == 3


def test_events_are_chained_from_genesis_when_sealed(system_actor):
    _three_events(system_actor)
    links = list(AuditSeal.objects.order_by("position"))
    assert [link.position for link in links] == [1, 2, 3]
    assert links[0].prev_hash == GENESIS_HASH
    assert [link.prev_hash for link in links[1:]] == [link.hash for link in links[:-1]]
    assert [link.event_id for link in links] == list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    assert links[0].event.action == "subject.create" and links[0].event.actor_label == "test"
    report = verify_chain()
    assert report.ok and report.checked == 3


def test_recording_takes_no_chain_position_and_sealing_adds_only_new_events(system_actor):
    _three_events(system_actor, seal=False)
    assert AuditSeal.objects.count() == 0
    report = verify_chain()
    assert report.ok and report.checked == 0 and report.unsealed == 3  # young unsealed events are not a fault
    assert audit_chain_seal() == 3
    record_many([PendingEvent(Event.SUBJECT_CREATED, "subject", object_id=9, data={"n": 9})], actor=system_actor)
    assert audit_chain_seal() == 1 and audit_chain_seal() == 0
    assert verify_chain().checked == 4


def test_an_event_committed_after_a_later_id_is_still_sealed(system_actor):
    """Id order is not commit order: an event with a lower id that shows up after a higher one was sealed
    (its transaction committed later) is sealed in the next round instead of being skipped."""
    _three_events(system_actor, seal=False)
    first = AuditEvent.objects.order_by("id").first()
    # the state a sealer sees while the first event's transaction is still open: seal the others by hand
    position, prev = 0, GENESIS_HASH
    from pubcredit.audit.services import _event_values, _link_hash
    from pubcredit.rules import clock
    sealed_at = clock.wall_now()
    for event in AuditEvent.objects.exclude(pk=first.pk).order_by("id"):
        position += 1
        link = AuditSeal.objects.create(position=position, event=event, prev_hash=prev, sealed_at=sealed_at,
                                        hash=_link_hash(prev, position=position, sealed_at=sealed_at,
                                                        event=_event_values(event)))
        prev = link.hash
    assert audit_chain_seal() == 1
    assert AuditSeal.objects.get(event=first).position == 3
    assert verify_chain().ok


def test_verify_audit_reports_events_left_unsealed_too_long(system_actor, settings):
    _three_events(system_actor, seal=False)
    settings.PUBCREDIT_AUDIT_UNSEALED_LIMIT = -1  # every unsealed event is now "too old"
    report = verify_chain()
    assert not report.ok and report.first_broken_id is None
    assert report.unsealed_overdue == 3 and report.oldest_overdue_id == AuditEvent.objects.order_by("id")[0].pk
    with pytest.raises(CommandError, match="3 events unsealed"):
        call_command("verify_audit")
    audit_chain_seal()
    assert verify_chain().ok


def test_update_is_refused_by_the_database(system_actor):
    _three_events(system_actor)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(object_id="1").update(reason="篡改")


def _bypass_triggers(sql, params):
    """What an administrator tampering by hand would do: run without the triggers (rolled back with the test)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'audit_%'")
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER {name}")
            cursor.execute(sql, params)


def test_verify_audit_names_the_first_altered_row(system_actor):
    _three_events(system_actor)
    second = AuditEvent.objects.order_by("id")[1]
    _bypass_triggers("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["篡改", second.pk])
    report = verify_chain()
    assert report.first_broken_id == second.pk and "altered" in report.problem
    with pytest.raises(CommandError, match=f"#{second.pk}"):
        call_command("verify_audit")


def test_verify_audit_detects_a_removed_row(system_actor):
    _three_events(system_actor)
    rows = list(AuditEvent.objects.order_by("id"))
    _bypass_triggers("DELETE FROM audit_auditevent WHERE id = %s", [rows[1].pk])
    report = verify_chain()
    assert report.first_broken_id == rows[2].pk and "removed" in report.problem
    _delete_link(rows[1].pk)  # leave no dangling foreign key for the end-of-test constraint check


def _delete_link(event_id):
    _bypass_triggers("DELETE FROM audit_auditseal WHERE event_id = %s", [event_id])


def test_verify_audit_detects_a_removed_link(system_actor):
    _three_events(system_actor)
    rows = list(AuditEvent.objects.order_by("id"))
    _delete_link(rows[1].pk)
    report = verify_chain()
    assert report.first_broken_id == rows[2].pk and "removed" in report.problem


def test_a_link_cannot_be_updated(system_actor):
    _three_events(system_actor)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditSeal.objects.filter(position=2).update(prev_hash=GENESIS_HASH)


def test_verify_audit_command_reports_intact_chain(system_actor, capsys):
    _three_events(system_actor)
    call_command("verify_audit")
    assert "3 events verified" in capsys.readouterr().out


def test_the_sealing_task_drains_in_rounds_until_caught_up(system_actor, monkeypatch):
    """An import writes events faster than one round seals: the task keeps sealing until nothing is left."""
    import functools

    from pubcredit.audit import tasks

    monkeypatch.setattr(tasks, "SEAL_ROUND", 2)
    monkeypatch.setattr(tasks, "audit_chain_seal", functools.partial(audit_chain_seal, limit=2))
    for i in range(5):
        record(Event.SUBJECT_CREATED, actor=system_actor, object_type="subject", object_id=i)
    assert tasks.seal_audit_chain.call() == 5
    report = verify_chain()
    assert report.ok and report.checked == 5 and report.unsealed == 0
