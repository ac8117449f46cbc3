"""``record_chunk``: one audit event for a committed chunk of a bulk import (issue 18)."""

import hashlib

import pytest
from django.db import connection

from pubcredit.audit.events import Event
from pubcredit.audit.models import AuditEvent
from pubcredit.audit.services import audit_chain_seal, record_chunk, verify_chain

pytestmark = pytest.mark.django_db


def test_chunk_event_keeps_the_count_and_the_digest_of_the_ordered_row_hashes(system_actor):
    hashes = ["a" * 32, "b" * 32, "c" * 32]
    event = record_chunk(Event.RECORDS_CHUNK_IMPORTED, actor=system_actor, object_type="batch", object_id=7,
                         row_hashes=hashes, data={"first_row": 1, "last_row": 3})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.action == "record.import_chunk" and stored.object_id == "7"
    assert stored.data == {"first_row": 1, "last_row": 3, "rows": 3,
                           "rows_digest": hashlib.sha256("\n".join(hashes).encode()).hexdigest()}
    # the order is part of what is covered: the same rows in another order give another digest
    swapped = record_chunk(Event.RECORDS_CHUNK_IMPORTED, actor=system_actor, object_type="batch", object_id=7,
                           row_hashes=[hashes[1], hashes[0], hashes[2]])
    assert swapped.data["rows_digest"] != stored.data["rows_digest"]


def test_altering_a_chunk_event_digest_is_found_by_the_chain(system_actor):
    event = record_chunk(Event.RECORDS_CHUNK_IMPORTED, actor=system_actor, object_type="batch", object_id=7,
                         row_hashes=["a" * 32])
    assert audit_chain_seal() == 1 and verify_chain().ok
    forged = {**event.data, "rows_digest": "0" * 64}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # what a superuser tampering by hand would do
            cursor.execute("SET session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
        AuditEvent.objects.filter(pk=event.pk).update(data=forged)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
    report = verify_chain()
    assert report.first_broken_id == event.pk and "altered" in report.problem
