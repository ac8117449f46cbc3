"""Issue 19 item 5: audit integrity that survives a database administrator.

Every column of an event (and of its link) is in the link's hash; removal is refused by triggers on both databases;
signed checkpoints kept outside the database catch a truncated chain and a re-chained one, and ``verify_audit``
names the last good checkpoint and the first bad link.
"""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from pubcredit.audit import checkpoints
from pubcredit.audit.events import Event
from pubcredit.audit.models import AuditCheckpoint, AuditEvent, AuditSeal
from pubcredit.audit.services import (EVENT_COLUMNS, _event_values, _link_hash, audit_chain_seal,
                                      audit_checkpoint_make, record, verify_chain)
from pubcredit.audit.tasks import seal_audit_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def export(tmp_path, settings):
    settings.PUBCREDIT_AUDIT_CHECKPOINT_FILE = str(tmp_path / "checkpoints.jsonl")
    return tmp_path / "checkpoints.jsonl"


def _events(actor, n, *, start=0):
    for i in range(start, start + n):
        record(Event.SUBJECT_CREATED, actor=actor, object_type="subject", object_id=i, after={"n": i},
               reason="测试", data={"n": i}, rule_version="v1")
    audit_chain_seal()


def _tamper(sql, params=()):
    """What an administrator would do by hand: run without the triggers (rolled back with the test)."""
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


def _moment(value):
    return connection.ops.adapt_datetimefield_value(value)


# --- every column in the hash -------------------------------------------------------------------------------------

def _changed_value(column, event, other_user):
    later = dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC)
    return {
        "event": 999, "action": "x.forged", "actor_id": other_user.pk, "actor_label": "user:nobody",
        "department_code": "OTHER", "object_type": "record", "object_id": "forged", "reason": "篡改",
        "before_hash": "f" * 64, "after_hash": "e" * 64, "data": json.dumps({"n": 999}), "rule_version": "v0",
        "created_at": _moment(later), "appended_at": _moment(later),
    }[column]


@pytest.mark.parametrize("column", [c for c in EVENT_COLUMNS if c != "id"])
def test_a_change_to_any_event_column_breaks_its_link(column, system_actor, operator):
    _events(system_actor, 3)
    second = AuditEvent.objects.order_by("id")[1]
    _tamper(f"UPDATE audit_auditevent SET {connection.ops.quote_name(column)} = %s WHERE id = %s",
            [_changed_value(column, second, operator), second.pk])
    report = verify_chain()
    assert report.first_broken_id == second.pk and "altered" in report.problem
    assert report.first_bad_position == AuditSeal.objects.get(event_id=second.pk).position


def test_an_event_renumbered_with_its_link_breaks_the_link(system_actor):
    """The id is hashed too: moving an event to another id (and its link with it) is found."""
    _events(system_actor, 3)
    second = AuditEvent.objects.order_by("id")[1]
    _tamper("INSERT INTO audit_auditevent (id, event, action, actor_id, actor_label, department_code, object_type, "
            "object_id, reason, before_hash, after_hash, data, rule_version, created_at, appended_at) "
            "SELECT 9999, event, action, actor_id, actor_label, department_code, object_type, object_id, reason, "
            "before_hash, after_hash, data, rule_version, created_at, appended_at FROM audit_auditevent WHERE id = %s",
            [second.pk])
    _tamper("UPDATE audit_auditseal SET event_id = 9999 WHERE event_id = %s", [second.pk])
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])
    report = verify_chain()
    assert report.first_broken_id == 9999 and "altered" in report.problem


@pytest.mark.parametrize("column, value", [("sealed_at", "later"), ("scheme", 1), ("hash", "0" * 63 + "1")])
def test_a_change_to_a_link_column_breaks_the_chain(column, value, system_actor):
    _events(system_actor, 3)
    if value == "later":
        value = _moment(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    _tamper(f"UPDATE audit_auditseal SET {column} = %s WHERE position = 2", [value])
    report = verify_chain()
    assert report.first_bad_position == 2 and not report.ok


def test_links_swapped_between_positions_break_the_chain(system_actor):
    _events(system_actor, 3)
    links = {link.position: link.event_id for link in AuditSeal.objects.all()}
    _tamper("UPDATE audit_auditseal SET event_id = -1 WHERE position = 2")  # event_id is unique: swap by a third
    _tamper("UPDATE audit_auditseal SET event_id = %s WHERE position = 3", [links[2]])
    _tamper("UPDATE audit_auditseal SET event_id = %s WHERE position = 2", [links[3]])
    assert verify_chain().first_bad_position == 2


# --- removal refused by the database ------------------------------------------------------------------------------

@pytest.mark.parametrize("table", ["audit_auditevent", "audit_auditseal", "audit_auditcheckpoint"])
def test_delete_is_refused_by_the_database(table, system_actor, export):
    _events(system_actor, 2)
    audit_checkpoint_make()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")


def test_a_checkpoint_cannot_be_updated(system_actor, export):
    _events(system_actor, 2)
    audit_checkpoint_make()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditCheckpoint.objects.update(position=1)


def test_emptying_the_tables_at_once_is_refused(system_actor):
    """TRUNCATE on PostgreSQL (row triggers do not see it); on SQLite a whole-table DELETE, its only way."""
    _events(system_actor, 1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks from the inserts
            cursor.execute("TRUNCATE audit_auditseal, audit_auditevent, audit_auditcheckpoint")
        else:
            cursor.execute("DELETE FROM audit_auditseal")


@pytest.mark.django_db(transaction=True)
def test_flush_alone_may_empty_the_audit_tables(system_actor):
    """Django's flush (a whole-database reset, run between transactional tests) is the one way rows go."""
    _events(system_actor, 2)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists() and not AuditSeal.objects.exists()
    _events(system_actor, 1)
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditseal")


# --- signed checkpoints --------------------------------------------------------------------------------------------

def test_a_checkpoint_is_signed_and_exported_outside_the_database(system_actor, export):
    _events(system_actor, 3)
    checkpoint = audit_checkpoint_make()
    line = json.loads(export.read_text().splitlines()[0])
    assert line["position"] == 3 and line["head_hash"] == AuditSeal.objects.get(position=3).hash
    assert line["first_hash"] == AuditSeal.objects.get(position=1).hash
    assert checkpoint.signature_valid(checkpoints.public_key_load())
    report = verify_chain()
    assert report.ok and report.checkpoints_checked == 1 and report.last_good_checkpoint == 3


def test_the_sealing_job_signs_a_checkpoint_when_due(system_actor, export, settings):
    settings.PUBCREDIT_AUDIT_CHECKPOINT_EVERY = 3600
    assert seal_audit_chain.call() == 0 and not AuditCheckpoint.objects.exists()  # empty chain: nothing to sign
    _events(system_actor, 2)
    seal_audit_chain.call()
    assert AuditCheckpoint.objects.count() == 1
    record(Event.SUBJECT_CREATED, actor=system_actor, object_type="subject", object_id="x")
    seal_audit_chain.call()  # sealed, but the last checkpoint is younger than an hour
    assert AuditCheckpoint.objects.count() == 1
    settings.PUBCREDIT_AUDIT_CHECKPOINT_EVERY = 0
    seal_audit_chain.call()
    assert list(AuditCheckpoint.objects.values_list("position", flat=True)) == [2, 3]
    seal_audit_chain.call()  # the head has not moved: no new checkpoint
    assert AuditCheckpoint.objects.count() == 2 and len(export.read_text().splitlines()) == 2


def test_deleting_the_newest_rows_is_found_by_the_checkpoint_file(system_actor, export):
    """Links, events and the database's checkpoint copies all deleted: the file outside still has the head."""
    _events(system_actor, 2)
    audit_checkpoint_make()
    _events(system_actor, 2, start=2)
    audit_checkpoint_make()
    assert verify_chain().ok
    newest = AuditSeal.objects.get(position=4).event_id
    _tamper("DELETE FROM audit_auditseal WHERE position = 4")
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [newest])
    _tamper("DELETE FROM audit_auditcheckpoint WHERE position = 4")
    assert verify_chain(export=None).ok  # what the database alone tells: nothing wrong
    report = verify_chain()
    assert not report.ok and report.first_broken_id is None
    assert "truncated" in report.checkpoint_problem and "chain ends at position 3" in report.checkpoint_problem
    assert report.last_good_checkpoint == 2 and report.first_bad_position == 3
    with pytest.raises(CommandError, match="first bad link at position 3; last good checkpoint at position 2"):
        call_command("verify_audit")


def test_an_edited_row_with_the_chain_recomputed_is_found_by_the_checkpoint(system_actor, export):
    """The administrator edits event 3 and recomputes every later hash: the chain verifies, the checkpoint not."""
    _events(system_actor, 2)
    audit_checkpoint_make()
    _events(system_actor, 3, start=2)
    audit_checkpoint_make()
    third = AuditSeal.objects.get(position=3)
    _tamper("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["改写", third.event_id])
    prev = AuditSeal.objects.get(position=2).hash
    for link in AuditSeal.objects.select_related("event").filter(position__gte=3).order_by("position"):
        new_hash = _link_hash(prev, position=link.position, sealed_at=link.sealed_at, event=_event_values(link.event))
        _tamper("UPDATE audit_auditseal SET prev_hash = %s, hash = %s WHERE position = %s",
                [prev, new_hash, link.position])
        prev = new_hash
    report = verify_chain()
    assert report.first_broken_id is None and report.checked == 5  # the chain itself is consistent again
    assert "another hash" in report.checkpoint_problem
    assert report.last_good_checkpoint == 2 and report.first_bad_position == 3 and not report.ok


def test_a_forged_checkpoint_is_refused(system_actor, export):
    """A line whose signature is not by the platform's key (here: the right head, signed by another key)."""
    from cryptography.hazmat.primitives.asymmetric import ec

    _events(system_actor, 2)
    audit_checkpoint_make()
    forger = ec.generate_private_key(ec.SECP256R1())
    checkpoints._private_key.cache_clear()
    real = checkpoints.private_key
    try:
        checkpoints.private_key = lambda: forger
        forged = checkpoints.checkpoint_sign(position=2, head_hash="a" * 64, first_hash="b" * 64,
                                             made_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    finally:
        checkpoints.private_key = real
    checkpoints.export_append(forged, export)
    report = verify_chain()
    assert "no valid signature" in report.checkpoint_problem and report.last_good_checkpoint == 2


def test_an_auditor_verifies_with_the_public_key_alone(system_actor, export, tmp_path):
    from cryptography.hazmat.primitives import serialization

    _events(system_actor, 2)
    audit_checkpoint_make()
    public = tmp_path / "audit-public.pem"
    public.write_bytes(checkpoints.private_key().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    call_command("verify_audit", "--public-key", str(public))
    other = tmp_path / "other.pem"
    from cryptography.hazmat.primitives.asymmetric import ec
    other.write_bytes(ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    with pytest.raises(CommandError, match="no valid signature"):
        call_command("verify_audit", "--public-key", str(other))


def test_a_damaged_checkpoint_file_is_a_finding(system_actor, export):
    _events(system_actor, 1)
    audit_checkpoint_make()
    with export.open("a") as fh:
        fh.write("{not json\n")
    assert "line 2" in verify_chain().checkpoint_problem


def test_verify_audit_names_the_last_good_checkpoint_when_intact(system_actor, export, capsys):
    _events(system_actor, 3)
    call_command("audit_checkpoint")
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "checkpoint signed: position 3" in out
    assert "3 events verified" in out and "1 checkpoints, last good checkpoint at position 3" in out
