import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from pubcredit.audit.events import Event
from pubcredit.audit.models import AuditEvent
from pubcredit.audit.services import GENESIS_HASH, record, verify_chain

pytestmark = pytest.mark.django_db


def _three_events(actor):
    for i in range(3):
        record(Event.SUBJECT_CREATED, actor=actor, object_type="subject", object_id=i, after={"n": i}, reason="测试")


def test_events_are_chained_from_genesis(system_actor):
    _three_events(system_actor)
    rows = list(AuditEvent.objects.order_by("id"))
    assert rows[0].prev_hash == GENESIS_HASH
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    assert rows[0].action == "subject.create" and rows[0].actor_label == "test"
    report = verify_chain()
    assert report.ok and report.checked == 3


def test_update_is_refused_by_the_database(system_actor):
    _three_events(system_actor)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(object_id="1").update(reason="篡改")


def _bypass_triggers(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # what a superuser tampering by hand would do: run without user triggers
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
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


def test_verify_audit_command_reports_intact_chain(system_actor, capsys):
    _three_events(system_actor)
    call_command("verify_audit")
    assert "3 events verified" in capsys.readouterr().out
