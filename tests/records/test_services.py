import json

import pytest

from pubcredit.audit.models import AuditEvent
from pubcredit.audit.services import verify_chain
from pubcredit.catalog.registry import get_class
from pubcredit.records.models import CreditRecord, RecordVersion
from pubcredit.records.services import record_revoke, record_submit_one, records_submit
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.subjects import crypto
from tests.factories import at, frame, penalty, person_penalty, resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def penalty_class():
    return get_class("admin_penalty")


def submit(penalty_class, department, actor, rows, when="2026-11-20"):
    with clock.pinned(at(when).date()):
        return records_submit(info_class=penalty_class, frame=frame(rows), department=department, actor=actor,
                              received_at=at(when))


def test_new_rows_create_records_with_version_one(penalty_class, department, system_actor):
    result = submit(penalty_class, department, system_actor, [penalty(1), penalty(2)])
    assert (result.received, result.accepted, result.created, result.updated, result.unchanged) == (2, 2, 2, 0, 0)
    assert result.rejected == []
    record = CreditRecord.objects.get(decision_no="淄市监罚〔2026〕1号")
    assert record.version == 1 and record.versions.count() == 1
    assert record.fields["penalty_types"] == ["fine"] and record.subject.name == "淄博测试化工有限公司1"
    assert AuditEvent.objects.filter(action="record.create").count() == 2
    assert verify_chain().ok


def test_identical_resubmission_changes_nothing(penalty_class, department, system_actor):
    submit(penalty_class, department, system_actor, [penalty(1)])
    audit_before = AuditEvent.objects.count()
    result = submit(penalty_class, department, system_actor, [penalty(1)])
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert RecordVersion.objects.count() == 1 and AuditEvent.objects.count() == audit_before


def test_corrected_row_becomes_a_new_version_and_keeps_the_old(penalty_class, department, system_actor):
    submit(penalty_class, department, system_actor, [penalty(1)])
    result = submit(penalty_class, department, system_actor, [penalty(1, penalty_content="罚款2万元", fine_amount="2")],
                    when="2026-11-23")
    assert (result.created, result.updated) == (0, 1)
    record = CreditRecord.objects.get()
    assert record.version == 2 and record.fields["fine_amount"] == 2.0
    old, new = record.versions.order_by("version")
    assert old.fields["fine_amount"] == 1.0 and new.fields["fine_amount"] == 2.0
    assert record.received_at == at("2026-11-20")  # timeliness is measured on first receipt
    assert AuditEvent.objects.filter(action="record.version", object_id=str(record.pk)).count() == 1


def test_rejected_rows_carry_field_level_reasons_and_are_not_written(penalty_class, department, system_actor):
    result = submit(penalty_class, department, system_actor,
                    [penalty(1), penalty(2, subject_uscc="91370303MA0000020X"), penalty(3, decision_no=None)])
    assert result.created == 1
    assert [r["row"] for r in result.rejected] == [2, 3]
    assert result.rejected[0]["errors"][0]["field"] == "subject_uscc"
    assert result.rejected[0]["errors"][0]["code"].startswith("uscc.")
    assert result.rejected[1]["errors"][0]["field"] == "decision_no"
    assert CreditRecord.objects.count() == 1


def test_another_department_cannot_overwrite_a_record(penalty_class, department, district_department, system_actor):
    submit(penalty_class, department, system_actor, [penalty(1)])
    result = submit(penalty_class, district_department, system_actor, [penalty(1, penalty_content="改")])
    assert result.rejected[0]["errors"][0]["code"] == "record.other_department"
    assert CreditRecord.objects.get().version == 1


def test_timeliness_counts_working_days_across_national_day(penalty_class, department, system_actor):
    """双公示 deadline: 7 working days from the decision (发改办财金〔2018〕424号). 2026-09-28 + 7 WD = 2026-10-13."""
    on_time = submit(penalty_class, department, system_actor, [penalty(1, decision_date="2026-09-28")], when="2026-10-13")
    late = submit(penalty_class, department, system_actor, [penalty(2, decision_date="2026-09-28")], when="2026-10-14")
    assert (on_time.on_time, on_time.late, late.on_time, late.late) == (1, 0, 0, 1)
    first, second = CreditRecord.objects.order_by("decision_no")
    assert (first.delay_working_days, second.delay_working_days) == (7, 8)


def test_natural_persons_id_numbers_are_stored_encrypted_and_masked(penalty_class, department, system_actor):
    submit(penalty_class, department, system_actor, [person_penalty(5)])
    number = resident_id(5)
    record = CreditRecord.objects.get()
    version = record.versions.get()
    assert number not in json.dumps(record.fields, ensure_ascii=False)
    assert number not in json.dumps(version.fields, ensure_ascii=False) + json.dumps(version.original, ensure_ascii=False)
    assert record.fields["id_number"] == number[:6] + "********" + number[-4:]
    assert json.loads(crypto.decrypt(version.sensitive_encrypted))["id_number"] == number
    assert number not in str(list(AuditEvent.objects.values_list("data", "object_id", "reason")))


def test_record_submit_one_raises_field_errors(penalty_class, department, system_actor, today):
    with pytest.raises(DomainError) as err:
        record_submit_one(info_class=penalty_class, values=penalty(1, decision_date="2099-01-01"),
                          department=department, actor=system_actor)
    assert err.value.problems[0].field == "decision_date"
    assert CreditRecord.objects.count() == 0


def test_revoke_keeps_the_record_with_its_reason(penalty_class, department, system_actor):
    submit(penalty_class, department, system_actor, [penalty(1)])
    record = CreditRecord.objects.get()
    with pytest.raises(DomainError):
        record_revoke(record=record, reason="", actor=system_actor)
    record_revoke(record=record, reason="行政复议撤销原处罚决定", actor=system_actor)
    record.refresh_from_db()
    assert record.status == "revoked" and record.status_reason == "行政复议撤销原处罚决定"
    assert AuditEvent.objects.filter(action="record.revoke").count() == 1
