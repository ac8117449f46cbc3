"""Migration 0003 moves the chain into its own table and 0004 adds the hash schemes: an old chain still verifies (its
links as scheme 1), new links after it are sealed with scheme 2, and the triggers survive the table rebuilds."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pubcredit.audit.events import Event
from pubcredit.audit.models import AuditSeal
from pubcredit.audit.services import (GENESIS_HASH, SystemActor, _chain_hash, _hashed_fields, audit_chain_seal,
                                      record, verify_chain)

BEFORE = [("audit", "0002_append_only")]
AFTER = [("audit", "0004_signed_checkpoints_and_delete_guards")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_an_old_chain_becomes_the_sealed_chain_and_still_verifies():
    old_apps = _migrate(BEFORE)
    OldEvent = old_apps.get_model("audit", "AuditEvent")
    prev = GENESIS_HASH
    for n in range(3):
        values = {"event": 1001, "action": "subject.create", "actor_label": "cli", "department_code": "",
                  "object_type": "subject", "object_id": str(n), "reason": "旧链", "before_hash": "",
                  "after_hash": "", "data": {"n": n}, "rule_version": "",
                  "created_at": dt.datetime(2026, 11, 1, 8, n, tzinfo=dt.UTC)}
        row_hash = _chain_hash(prev, _hashed_fields(values))
        OldEvent.objects.create(prev_hash=prev, hash=row_hash, **values)
        prev = row_hash
    _migrate(AFTER)
    report = verify_chain()
    assert report.ok and report.checked == 3
    assert list(AuditSeal.objects.values_list("scheme", flat=True)) == [1, 1, 1]
    record(Event.SUBJECT_CREATED, actor=SystemActor("test"), object_type="subject", object_id="new")
    assert audit_chain_seal() == 1
    assert AuditSeal.objects.get(position=4).scheme == 2
    assert verify_chain().checked == 4
    with connection.cursor() as cursor:  # the triggers survived the table rebuilds
        for statement in ("UPDATE audit_auditevent SET reason = 'x'", "UPDATE audit_auditseal SET prev_hash = 'x'",
                          "DELETE FROM audit_auditseal", "DELETE FROM audit_auditevent"):
            with pytest.raises(Exception, match="append-only"):
                cursor.execute(statement)
    # leave the database at the latest migrations for the next tests
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
