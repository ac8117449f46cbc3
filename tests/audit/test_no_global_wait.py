"""Issue 12 item 3: no audited write waits for another transaction's audit.

An import chunk keeps its transaction open (and its audit events unsealed) while a flow of natural-person checks
runs and commits; the sealer then chains everything in commit order and tampering is still found.
"""

import threading
import time

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.audit.models import AuditEvent, AuditSeal
from pubcredit.ingest.services import batch_import_file
from pubcredit.sanctions.models import Check
from pubcredit.sanctions.services import check_run
from tests.factories import resident_id
from tests.ingest.files import penalties, table, write_csv

CHECKS = 20


def test_an_audited_write_is_one_insert_with_no_lock_and_no_read_of_the_chain(db, system_actor):
    with CaptureQueriesContext(connection) as queries:
        audit.record(Event.SUBJECT_CREATED, actor=system_actor, object_type="subject", object_id=1)
    sql = [q["sql"].upper() for q in queries.captured_queries]
    assert len(sql) == 1 and sql[0].startswith("INSERT INTO \"AUDIT_AUDITEVENT\"")


@pytest.mark.django_db(transaction=True)
def test_natural_person_checks_commit_while_an_import_holds_its_chunk_open(tmp_path, department, system_actor,
                                                                           today, monkeypatch):
    path = tmp_path / "penalties.csv"
    write_csv(path, table(penalties(60)))
    chunk_open, checks_done = threading.Event(), threading.Event()
    real_record_many = audit.record_many

    def record_many_then_hold(pending, *, actor):
        written = real_record_many(pending, actor=actor)
        if threading.current_thread().name == "import" and not chunk_open.is_set():
            chunk_open.set()  # the first chunk's audit events are written; its transaction stays open
            checks_done.wait(timeout=60)
        return written

    monkeypatch.setattr(audit, "record_many", record_many_then_hold)
    outcome = {}

    def run_import():
        try:
            outcome["batch"] = batch_import_file(path=path, class_code="admin_penalty", department=department,
                                                 actor=system_actor, chunk_rows=20)
        finally:
            connections.close_all()

    # SQLite has one writer at a time by design, audit or not (and the in-memory test database refuses a second
    # thread's write outright): there the import runs first, then the checks; the sealing and tamper steps are alike
    held_open = connection.vendor == "postgresql"
    importer = threading.Thread(target=run_import, name="import")
    if held_open:
        importer.start()
    else:
        chunk_open.set()
        run_import()
    try:
        if held_open:
            assert chunk_open.wait(timeout=60), "the import never reached its first chunk"
        started = time.monotonic()
        for n in range(1, CHECKS + 1):
            check_run(department=department, subject={"id_number": resident_id(n)}, scenario="government_procurement",
                      reference=f"ZB-{n}", actor=system_actor)
        elapsed = time.monotonic() - started
    finally:
        checks_done.set()
        if held_open:
            importer.join(timeout=120)
    assert not importer.is_alive() and outcome["batch"].status == "done"
    assert Check.objects.count() == CHECKS
    if held_open:
        # every check committed while the chunk was still open: none waited for the import's audit events
        assert elapsed < 30
        assert outcome["batch"].summary["created"] == 60

    audit.audit_chain_seal()
    person_checks = AuditEvent.objects.filter(event=Event.CHECK_PERSON)
    assert person_checks.count() == CHECKS and AuditSeal.objects.count() == AuditEvent.objects.count()
    if held_open:
        # sealed in commit order: the checks committed before the import's first chunk, so they come first
        # a record's own event (row path) or its chunk's (the set-based path on PostgreSQL, issue 18)
        first_chunk_position = AuditSeal.objects.filter(
            event__event__in=[Event.RECORD_CREATED, Event.RECORDS_CHUNK_IMPORTED]) \
            .order_by("position").values_list("position", flat=True).first()
        assert max(AuditSeal.objects.filter(event__in=person_checks).values_list("position", flat=True)) \
            < first_chunk_position
    report = audit.verify_chain()
    assert report.ok and report.checked == AuditEvent.objects.count()

    # tampering after sealing is still found
    victim = person_checks.order_by("id")[3]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            cursor.execute("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["篡改", victim.pk])
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["篡改", victim.pk])
    report = audit.verify_chain()
    assert report.first_broken_id == victim.pk and "altered" in report.problem
