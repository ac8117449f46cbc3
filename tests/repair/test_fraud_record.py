"""A grant obtained by fraud (弄虚作假) is revoked: the item is restored and the platform makes a new negative record
of the fraud in the same transaction — NDRC Order 36 art. 25 ("由失信信息认定单位记入信用记录……公示3年不得提前终止公示，
原失信信息3年内不得申请信用修复"), SAMR Order 107 art. 23 para. 2 (the revocation published three years, not stopped
early). Issue 13 item 5."""

import datetime as dt

import pytest

from pubcredit.accounts.services import department_create
from pubcredit.audit.models import AuditEvent
from pubcredit.lists.models import ListEntry
from pubcredit.publicity.models import PublicityState
from pubcredit.publicity.services import publicity_assess
from pubcredit.records.models import CreditRecord
from pubcredit.reports.selectors import public_content
from pubcredit.repair import selectors, services
from pubcredit.repair.models import RepairApplication
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.sanctions.services import check_run
from tests.factories import uscc
from tests.lists.helpers import submit_list, tax_violator_row
from tests.publicity.factories import eco_department, ndrc_penalty, submit

D = dt.date
REVOKED_ON = D(2026, 11, 2)


@pytest.fixture
def eco(db, system_actor):
    return eco_department(system_actor)


def granted_then_revoked(record, department, actor):
    with clock.pinned(REVOKED_ON):
        app = services.repair_application_submit(
            record=record, applicant_uscc=uscc(1), contact_name="王经理", contact_phone="13800000000",
            proof_description="缴款凭证", commitment_signed=True, actor=actor)
        services.repair_application_accept(application=app, department=department, actor=actor)
        services.repair_application_grant(application=app, reason="准予", department=department, actor=actor)
        return services.repair_application_revoke_for_fraud(application=app, reason="缴款凭证系伪造",
                                                            department=department, actor=actor)


def test_order36_art25_fraud_revocation_makes_a_record_published_exactly_3_years_not_repairable(
        client, eco, system_actor):
    result = submit([ndrc_penalty(1, decision_date="2026-04-15", valid_until="2026-04-15")], department=eco,
                    actor=system_actor, when="2026-04-20")
    original = CreditRecord.objects.get(pk=result.record_ids[0])
    app = granted_then_revoked(original, eco, system_actor)
    fraud = app.fraud_record
    assert fraud is not None and fraud.class_code == "repair_fraud" and fraud.subject_id == original.subject_id
    assert fraud.department_id == eco.pk  # the identifying unit is the source department
    assert fraud.decision_date == REVOKED_ON and fraud.fields["original_decision_no"] == original.decision_no
    assert fraud.fields["fraud_facts"] == "缴款凭证系伪造" and fraud.fields["source_uscc"] == eco.uscc
    state = PublicityState.objects.get(record=fraud)
    # 3 years from the revocation, the last day the day before its third anniversary; no early end
    assert (state.state, state.publish_from, state.publish_until) == ("published", REVOKED_ON, D(2029, 11, 1))
    assert state.repairable_from is None and state.shared is True
    with clock.pinned(D(2027, 6, 1)):
        eligibility = selectors.record_eligibility(record=fraud)
        assert not eligibility.eligible and eligibility.eligible_from is None
        assert eligibility.reasons[0].code == "penalty.no_early_end"
        with pytest.raises(DomainError) as exc:
            services.repair_application_submit(
                record=fraud, applicant_uscc=uscc(1), contact_name="王经理", contact_phone="13800000000",
                proof_description="已整改", commitment_signed=True, actor=system_actor)
        assert exc.value.code == "repair.penalty.no_early_end"
        page = client.get(f"/public/subjects/{fraud.subject_id}/").content.decode()
        assert f'data-record="{fraud.pk}"' in page and "信用修复弄虚作假信息" in page
        body = client.get(f"/api/v1/public/subjects/{uscc(1)}").json()
        assert fraud.pk in [r["id"] for r in body["records"]]
        report = public_content(fraud.subject)
        assert any(fraud.decision_no in str(item["rows"]) for sec in report["sections"] for item in sec["items"])
    for day, shown in ((D(2029, 11, 1), "published"), (D(2029, 11, 2), "expired")):
        with clock.pinned(day):
            publicity_assess([fraud.pk], actor=system_actor)
        assert PublicityState.objects.get(record=fraud).state == shown, day
    revoke_event = AuditEvent.objects.filter(object_type="repair_application", object_id=str(app.pk),
                                             data__event="revoke").get()
    assert revoke_event.data["fraud_record"] == fraud.pk
    assert AuditEvent.objects.filter(object_type="credit_record", object_id=str(fraud.pk)).exists()


def test_order36_art25_fraud_on_a_list_entry_restores_the_entry_a_check_hits_it_again(client, db, system_actor):
    tax = department_create(code="SWJ", name="国家税务总局淄博市税务局", uscc="11370300MB2851236H", actor=system_actor)
    result, _ = submit_list("major_tax_violator", [tax_violator_row(1, decision_date="2026-03-02")], tax,
                            system_actor, when="2026-03-05")
    record = CreditRecord.objects.get(pk=result.record_ids[0])
    entry = ListEntry.objects.get(record=record)
    app = granted_then_revoked(record, tax, system_actor)
    entry.refresh_from_db()
    assert entry.status == "in_force"
    with clock.pinned(D(2026, 11, 3)):
        check = check_run(department=tax, subject={"uscc": uscc(1)}, scenario="government_procurement",
                          actor=system_actor)
    assert [h["entry_id"] for h in check.hits] == [entry.pk]
    assert PublicityState.objects.get(record=app.fraud_record).state == "published"


def test_a_refused_fraud_record_rolls_the_revocation_back(eco, system_actor, monkeypatch):
    result = submit([ndrc_penalty(1, decision_date="2026-04-15", valid_until="2026-04-15")], department=eco,
                    actor=system_actor, when="2026-04-20")
    original = CreditRecord.objects.get(pk=result.record_ids[0])
    monkeypatch.setattr(services, "FRAUD_CLASS", "no_such_class")
    with pytest.raises(Exception):
        granted_then_revoked(original, eco, system_actor)
    assert PublicityState.objects.get(record=original).state == "repaired"  # the grant stands, nothing half-done
    assert not CreditRecord.objects.filter(class_code="repair_fraud").exists()
    assert RepairApplication.objects.get().state == "granted" and RepairApplication.objects.get().fraud_block_until is None
