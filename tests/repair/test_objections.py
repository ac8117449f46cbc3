"""Objections (异议申诉, NDRC Order 36 art. 18): the record stays published and is marked 异议处理中 while verified;
two objections on one record."""

import datetime as dt

import pytest

from pubcredit.accounts.services import department_create
from pubcredit.lists.models import ListEntry
from pubcredit.publicity.models import PublicityState
from pubcredit.records.models import CreditRecord
from pubcredit.reports.selectors import public_content
from pubcredit.repair import services
from pubcredit.repair.selectors import records_under_objection
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.sanctions.services import check_run
from tests.factories import uscc
from tests.lists.helpers import submit_list, tax_violator_row
from tests.publicity.factories import eco_department, ndrc_penalty, submit

D = dt.date
ON = D(2026, 11, 20)


@pytest.fixture
def eco(db, system_actor):
    return eco_department(system_actor)


@pytest.fixture
def record(eco, system_actor):
    result = submit([ndrc_penalty(1, decision_date="2026-11-02", valid_until="2026-11-02")], department=eco,
                    actor=system_actor, when="2026-11-03")
    return CreditRecord.objects.get(pk=result.record_ids[0])


def object_to(record, actor, name="王经理", contact="13800000000", grounds="罚款金额登记有误"):
    return services.objection_submit(record=record, objector_name=name, objector_contact=contact, grounds=grounds,
                                     actor=actor)


def test_order36_art18_art19_objection_does_not_suspend_publication_the_portal_marks_it(
        client, record, eco, system_actor):
    page_url = f"/public/subjects/{record.subject_id}/"
    with clock.pinned(ON):
        obj = object_to(record, system_actor)
        assert 'data-testid="objection-mark"' not in client.get(page_url).content.decode()  # received: not yet
        services.objection_accept(objection=obj, department=eco, actor=system_actor)
        state = PublicityState.objects.get(record=record)
        assert state.state == "published" and state.shared is True
        page = client.get(page_url).content.decode()
        assert f'data-record="{record.pk}"' in page and "异议处理中" in page
        body = client.get(f"/api/v1/public/subjects/{uscc(1)}").json()
        shown = next(r for r in body["records"] if r["id"] == record.pk)
        assert shown["under_objection"] is True and shown["objection_label"] == "异议处理中"
        report = public_content(record.subject)
        marks = [i["marks"] for sec in report["sections"] for i in sec["items"] if record.decision_no in str(i["rows"])]
        assert marks and "异议处理中" in marks[0]
        services.objection_decide(objection=obj, outcome="dismiss", reason="经核查信息无误", department=eco,
                                  actor=system_actor)
        assert "异议处理中" not in client.get(page_url).content.decode()
        body = client.get(f"/api/v1/public/subjects/{uscc(1)}").json()
        assert next(r for r in body["records"] if r["id"] == record.pk)["under_objection"] is False


def test_order36_art18_objection_to_a_list_entry_keeps_it_on_the_list_and_in_check_answers(client, db, system_actor):
    tax = department_create(code="SWJ", name="国家税务总局淄博市税务局", uscc="11370300MB2851236H", actor=system_actor)
    result, _ = submit_list("major_tax_violator", [tax_violator_row(1, decision_date="2026-03-02")], tax,
                            system_actor, when="2026-03-05")
    listed = CreditRecord.objects.get(pk=result.record_ids[0])
    entry = ListEntry.objects.get(record=listed)
    with clock.pinned(ON):
        obj = object_to(listed, system_actor, grounds="欠缴税款已于列入前缴清")
        services.objection_accept(objection=obj, department=tax, actor=system_actor)
        page = client.get(f"/public/subjects/{listed.subject_id}/").content.decode()
        assert f'data-entry="{entry.pk}"' in page and "异议处理中" in page
        body = client.get(f"/api/v1/public/subjects/{listed.subject.uscc}").json()
        assert [e["objection_label"] for e in body["lists"] if e["id"] == entry.pk] == ["异议处理中"]
        check = check_run(department=tax, subject={"uscc": listed.subject.uscc}, scenario="government_procurement",
                          actor=system_actor)
    entry.refresh_from_db()
    assert entry.status == "in_force"
    assert [h["entry_id"] for h in check.hits] == [entry.pk]


def test_records_under_objection_are_those_accepted_and_not_yet_decided(record, eco, system_actor):
    with clock.pinned(ON):
        obj = object_to(record, system_actor)
        assert records_under_objection([record.pk]) == set()
        services.objection_accept(objection=obj, department=eco, actor=system_actor)
        assert records_under_objection([record.pk, 999999]) == {record.pk}
        services.objection_decide(objection=obj, outcome="correct", reason="金额更正", department=eco,
                                  actor=system_actor, corrections={"fine_amount": "5"})
    assert records_under_objection([record.pk]) == set()
    # the corrected fine (5万元) is a 较小数额: the new version is minor and no longer published
    assert PublicityState.objects.get(record=record).state == "withheld"


# --- two objections on one record (docs/repair.md "Two objections on one record") -----------------------------------


def test_rule_one_open_objection_per_objector_and_record_a_second_is_refused(record, eco, system_actor):
    from pubcredit.audit.models import AuditEvent
    from pubcredit.repair.models import Objection

    with clock.pinned(ON):
        first = object_to(record, system_actor)
        for name, contact in (("王经理", "13800000000"), (" 王 经理", "138-0000-0000")):  # spacing does not matter
            with pytest.raises(DomainError) as exc:
                object_to(record, system_actor, name=name, contact=contact, grounds="再次提出")
            assert exc.value.code == "objection.already_open" and exc.value.field == "record"
        assert Objection.objects.count() == 1
        assert AuditEvent.objects.filter(object_type="objection").count() == 1
        services.objection_accept(objection=first, department=eco, actor=system_actor)
        with pytest.raises(DomainError):  # still open while verified
            object_to(record, system_actor)
        services.objection_decide(objection=first, outcome="dismiss", reason="信息无误", department=eco,
                                  actor=system_actor)
        again = object_to(record, system_actor, grounds="补充新的佐证材料")  # decided: may object again
    assert again.state == "received" and "王经理" not in again.objector_key


def test_rule_one_open_objection_per_objector_holds_in_the_database(record, eco, system_actor):
    from django.db import IntegrityError, transaction

    from pubcredit.repair.models import Objection

    with clock.pinned(ON):
        first = object_to(record, system_actor)
    clone = Objection.objects.get(pk=first.pk)
    clone.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_rule_objections_of_different_objectors_are_each_received_and_verified_together(record, eco, system_actor):
    from pubcredit.audit.models import AuditEvent

    with clock.pinned(ON):
        first = object_to(record, system_actor, grounds="罚款金额登记有误")
        second = object_to(record, system_actor, name="李律师", contact="lawyer@example.cn", grounds="处罚日期有误")
        late = object_to(record, system_actor, name="赵会计", contact="13900000000", grounds="金额有误")
        services.objection_accept(objection=first, department=eco, actor=system_actor)
        services.objection_accept(objection=second, department=eco, actor=system_actor)
        decided = services.objection_decide(objection=second, outcome="correct", reason="金额与日期均已更正",
                                            department=eco, actor=system_actor,
                                            corrections={"fine_amount": "8"})
    first.refresh_from_db()
    late.refresh_from_db()
    record.refresh_from_db()
    assert record.version == 2  # one correction for both
    assert (decided.state, first.state) == ("corrected", "corrected")
    assert first.corrected_version == decided.corrected_version == 2
    assert first.decision_reason == f"金额与日期均已更正（与异议申诉{second.pk}合并核查）"
    assert late.state == "received"  # not yet accepted: its own acceptance step
    first_events = [e["event"] for e in AuditEvent.objects.filter(object_type="objection", object_id=str(first.pk))
                    .order_by("id").values_list("data", flat=True)]
    assert first_events == ["submit", "accept", "correct"]


def test_rule_dismissing_an_objection_not_yet_accepted_concerns_that_objection_only(record, eco, system_actor):
    with clock.pinned(ON):
        first = object_to(record, system_actor)
        second = object_to(record, system_actor, name="李律师", contact="lawyer@example.cn")
        services.objection_accept(objection=first, department=eco, actor=system_actor)
        services.objection_decide(objection=second, outcome="dismiss", reason="异议事项与该信息无关，不予受理",
                                  department=eco, actor=system_actor)
    first.refresh_from_db()
    assert first.state == "accepted" and records_under_objection([record.pk]) == {record.pk}
