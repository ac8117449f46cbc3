"""The set-based import path (issue 18): same rows as the row path, one audit event per chunk, tampering found.

On PostgreSQL file imports go the set-based way; on SQLite they keep the row path, and these tests check that
each database's path does what it promises (the vendor decides which promise applies).
"""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from pubcredit.audit.models import AuditEvent
from pubcredit.audit.services import audit_chain_seal, verify_chain
from pubcredit.ingest import setwise
from pubcredit.ingest.services import batch_import_file
from pubcredit.publicity.models import ChangeFeedEntry, PublicityState
from pubcredit.records.models import CreditRecord, RecordVersion
from pubcredit.subjects.models import Subject, SubjectName
from pubcredit.subjects import crypto
from pubcredit.subjects.services import identifier_confirm
from tests.factories import penalty, person_penalty
from tests.ingest.files import penalties, table, write_csv

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def import_file(tmp_path, department, system_actor, today):
    def _import(rows, *, name="data.csv", chunk_rows=2):
        path = tmp_path / name
        write_csv(path, table(rows))
        return batch_import_file(path=path, class_code="admin_penalty", department=department, actor=system_actor,
                                 chunk_rows=chunk_rows)
    return _import


def _written() -> dict:
    """Everything an import writes, without ids and times of writing (compared across two runs)."""
    return {
        "subjects": sorted(Subject.objects.values_list("kind", "name", "uscc", "id_hash", "id_masked", "district_id"),
                           key=str),
        "names": sorted(SubjectName.objects.values_list("subject__uscc", "name"), key=str),
        "records": sorted(CreditRecord.objects.values_list(
            "decision_no", "subject__uscc", "version", "fields", "content_hash", "status", "delay_working_days",
            "on_time", "rulebook_version", "decision_date"), key=str),
        "versions": sorted(RecordVersion.objects.values_list(
            "record__decision_no", "version", "channel", "actor_label", "original", "fields", "content_hash",
            "rulebook_version"), key=str),
        # encrypted with a fresh nonce each time: compared in clear
        "secrets": sorted(crypto.decrypt(v) for v in RecordVersion.objects.exclude(sensitive_encrypted="")
                          .values_list("sensitive_encrypted", flat=True))
                   + sorted(crypto.decrypt(v) for v in Subject.objects.exclude(id_encrypted="")
                            .values_list("id_encrypted", flat=True)),
        "states": sorted(PublicityState.objects.values_list(
            "record__decision_no", "state", "severity", "regime", "published", "publish_from", "repairable_from",
            "publish_until", "ended_on", "provisional", "shared", "reason_zh", "rule_version", "record_version",
            "assessed_on", "class_code", "decision_date"), key=str),
        "feed": sorted(ChangeFeedEntry.objects.values_list(
            "decision_no", "event", "state", "previous_state", "shown", "shared", "severity", "publish_from",
            "publish_until", "effective_on", "subject_code", "rule_version"), key=str),
    }


def test_set_based_import_writes_what_the_row_path_writes(import_file, monkeypatch):
    rows = [*penalties(5), person_penalty(6), person_penalty(7)]
    rows[3] = {**rows[3], "penalty_types": "警告", "fine_amount": None}  # another severity and window
    rows[4] = {**rows[4], "decision_date": "2026-09-01"}  # reported late
    with transaction.atomic():
        summary = import_file(rows).summary
        first = _written()
        transaction.set_rollback(True)
    monkeypatch.setattr(setwise, "applies", lambda *a, **k: False)
    row_summary = import_file(rows).summary
    assert _written() == first
    keys = ("received", "accepted", "created", "updated", "unchanged", "rejected_count", "on_time", "late")
    assert {k: summary[k] for k in keys} == {k: row_summary[k] for k in keys}
    assert len(first["states"]) == len(first["feed"]) == 7 and summary["late"] == 1


def test_a_bulk_chunk_is_one_audit_event_covering_every_row_it_wrote(import_file):
    batch = import_file(penalties(5), chunk_rows=2)
    chunk_events = AuditEvent.objects.filter(action="record.import_chunk").order_by("id")
    if POSTGRES:
        assert [e.data["first_row"] for e in chunk_events] == [1, 3, 5]
        assert [e.object_id for e in chunk_events] == [str(batch.pk)] * 3
        # each chunk covers its versions and its feed rows (one of each per new record)
        assert [e.data["rows"] for e in chunk_events] == [4, 4, 2]
        assert not AuditEvent.objects.filter(action__in=["record.create", "subject.create", "publicity.assess",
                                                         "publicity.publish"]).exists()
        assert setwise.chunks_verify() == (3, [])
    else:  # SQLite keeps the row path: an event per subject, record and publicity state
        assert not chunk_events.exists()
        assert AuditEvent.objects.filter(action="record.create").count() == 5
    audit_chain_seal(full=True)
    assert verify_chain().ok


def test_tampering_with_one_row_of_a_bulk_chunk_is_found(import_file):
    import_file(penalties(5), chunk_rows=2)
    version = RecordVersion.objects.get(record__decision_no="淄市监罚〔2026〕4号")
    RecordVersion.objects.filter(pk=version.pk).update(fields={**version.fields, "fine_amount": 0.01})
    if POSTGRES:
        checked, problems = setwise.chunks_verify()
        assert checked == 3 and [(p.first_row, p.last_row) for p in problems] == [(3, 4)]
        feed = ChangeFeedEntry.objects.get(decision_no="淄市监罚〔2026〕5号")
        ChangeFeedEntry.objects.filter(pk=feed.pk).delete()
        assert [p.first_row for p in setwise.chunks_verify()[1]] == [3, 5]
        with pytest.raises(CommandError, match="2 of 3 bulk-import chunks"):
            call_command("verify_imports")
    else:
        assert setwise.chunks_verify() == (0, [])
        call_command("verify_imports")  # nothing bulk-imported: nothing to find


def test_reimport_of_an_unchanged_file_writes_nothing_but_counts(import_file):
    import_file(penalties(4), chunk_rows=2)
    before = (_written(), AuditEvent.objects.count())
    again = import_file(penalties(4), chunk_rows=2)
    assert (again.summary["unchanged"], again.summary["created"], again.summary["updated"]) == (4, 0, 0)
    assert (_written(), AuditEvent.objects.count()) == before


def test_a_correction_in_a_bulk_import_is_a_new_version_with_its_own_events(import_file):
    import_file(penalties(3), chunk_rows=2)
    changed = penalties(3)
    changed[1] = {**changed[1], "violation_facts": "经复核，当事人销售不合格产品两批次。"}
    batch = import_file(changed, name="corrected.csv", chunk_rows=2)
    assert (batch.summary["updated"], batch.summary["unchanged"]) == (1, 2)
    record = CreditRecord.objects.get(decision_no="淄市监罚〔2026〕2号")
    assert record.version == 2 and record.versions.count() == 2
    assert record.fields["violation_facts"] == "经复核，当事人销售不合格产品两批次。"
    assert AuditEvent.objects.filter(action="record.version", object_id=str(record.pk)).count() == 1
    if POSTGRES:
        assert setwise.chunks_verify()[1] == []


def test_a_record_version_finds_its_chunk_event_through_the_batch(import_file):
    from pubcredit.ingest.selectors import chunk_event_of

    batch = import_file(penalties(3), chunk_rows=2)
    version = RecordVersion.objects.get(record__decision_no="淄市监罚〔2026〕3号")
    event = chunk_event_of(version)
    if POSTGRES:
        assert event.object_id == str(batch.pk) and (event.data["first_row"], event.data["last_row"]) == (3, 3)
    else:  # written row by row: the record has its own creation event
        assert event is None
        assert AuditEvent.objects.filter(action="record.create", object_id=str(version.record_id)).exists()


def test_set_based_publicity_of_varied_penalties_is_the_row_paths(import_file, monkeypatch):
    """Penalties decided over the chunk (rules/publicity_frame) get the states, reasons and feed rows the rule gives
    record by record: a food-sector fine escalated (SAMR Order 107 art. 8(1)(1)), a work-safety minimum (Order 58),
    fines on both sides of the 较小数额 (Order 107 art. 7), a warning only (not published), a licence revoked (no early
    repair), an NDRC authority, a restriction longer than the period, decisions under older regimes (most favourable)
    and one received months after its decision (SAMR Order 45 art. 9)."""
    rows = [
        penalty(1, violation_type="生产经营不符合食品安全标准的食品", fine_amount="20"),
        penalty(2, penalty_basis="《中华人民共和国安全生产法》第九十九条", authority_name="淄博市应急管理局",
                decision_date="2023-06-01", valid_until="2023-06-01"),
        penalty(3, fine_amount="5"), penalty(4, fine_amount="5.0001"),
        penalty(5, penalty_types="警告", fine_amount=None),
        penalty(6, penalty_types="吊销许可证件;罚款", fine_amount="0.3"),
        penalty(7, penalty_types="责令停产停业", fine_amount=None, valid_until="2030-01-01"),
        penalty(8, decision_date="2025-03-03", valid_until="2025-03-03"),
        penalty(9, decision_date="2021-10-08", valid_until="2021-10-08", authority_name="淄博市发展和改革委员会"),
        person_penalty(10, fine_amount="0.2"),
    ]
    with transaction.atomic():
        import_file(rows, chunk_rows=20)
        first = _written()
        transaction.set_rollback(True)
    monkeypatch.setattr(setwise, "applies", lambda *a, **k: False)
    import_file(rows, chunk_rows=20)
    assert _written() == first
    assert len({s[2] for s in first["states"]}) == 3  # every severity occurs


def test_rows_with_their_own_receipt_times_go_the_bulk_way_and_store_what_the_row_path_stores(
        department, system_actor, today, monkeypatch):
    """A backfill or the demo data (``seed_demo``): each row carries its receipt time (``_received_at``); lateness
    (报送时限, working days from decision to receipt) and the publicity window are counted from each row's own
    receipt, on the set-based path as on the row path. SAMR Order 45 art. 9: a penalty reported months late is still
    published for its period from the decision."""
    import polars as pl

    from pubcredit.catalog.registry import get_class
    from pubcredit.ingest.services import records_submit
    from pubcredit.records.choices import SubmissionChannel
    from tests.factories import at, frame

    rows = [penalty(1, decision_date="2026-11-02"), penalty(2, decision_date="2026-06-01"),
            person_penalty(3, decision_date="2026-11-02"), penalty(4, decision_date="2026-11-19")]
    received = [at("2026-11-03"), at("2026-11-18"), at("2026-11-20", 9), at("2026-11-19", 16)]
    chunk = frame(rows).with_columns(pl.Series("_received_at", received, dtype=pl.Datetime("us", "Asia/Shanghai")))
    info_class = get_class("admin_penalty")

    def submit():
        with transaction.atomic():
            result = records_submit(info_class=info_class, frame=chunk, department=department, actor=system_actor,
                                    channel=SubmissionChannel.DEMO, batch_ref="demo-test")
        stored = _written() | {"received": sorted(CreditRecord.objects.values_list("decision_no", "received_at",
                                                                                    "updated_at"))}
        return result, stored

    assert setwise.applies(info_class, channel=SubmissionChannel.DEMO) is POSTGRES
    with transaction.atomic():
        bulk, first = submit()
        chunk_events = AuditEvent.objects.filter(action="record.import_chunk").count()
        transaction.set_rollback(True)
    monkeypatch.setattr(setwise, "applies", lambda *a, **k: False)
    row, stored = submit()
    assert stored == first
    # received within 7 working days of the decision: rows 1 and 4; rows 2 and 3 late
    assert (bulk.created, bulk.on_time, bulk.late) == (row.created, row.on_time, row.late) == (4, 2, 2)
    assert {no: (got, written) for no, got, written in first["received"]} == {
        r["decision_no"]: (when, when) for r, when in zip(rows, received, strict=True)}
    assert chunk_events == (1 if POSTGRES else 0)
def test_chunks_prepared_ahead_honour_confirmed_identifiers_and_earlier_keys(import_file, operator):
    """Chunks validated in the read-ahead thread (no database there) get the allowlist the importing thread read
    (a USCC whose check character fails but that an operator confirmed is accepted with a warning, in the last
    chunk too), and a key used by an earlier chunk is still a duplicate (the chunk is validated again with it)."""
    identifier_confirm(kind="uscc", value="91350100M0001TGQXM", reason="福建早期试点赋码，经发证机关核实", actor=operator)
    rows = [*penalties(5), penalty(6, subject_uscc="91350100M0001TGQXM"), penalty(2, penalty_content="再次")]
    summary = import_file(rows, chunk_rows=2).summary
    assert (summary["created"], summary["rejected_count"]) == (6, 1)
    assert summary["rejected"][0]["row"] == 7
    assert [e["code"] for e in summary["rejected"][0]["errors"]] == ["duplicate_in_file"]
    assert any(e["code"] == "uscc.checksum_confirmed" for w in summary["warnings"] if w["row"] == 6
               for e in w["errors"])
