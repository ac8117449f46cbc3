"""Repair applications and objections: deadlines across the 2026 National Day, effects of a grant, objections."""

import datetime as dt

import pytest

from pubcredit.accounts.services import token_create
from pubcredit.audit.models import AuditEvent
from pubcredit.lists.models import ListEntry
from pubcredit.publicity.models import PublicityState
from pubcredit.records.models import CreditRecord
from pubcredit.repair import services
from pubcredit.repair.models import RepairApplication
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.subjects.crypto import decrypt
from tests.factories import uscc
from tests.lists.helpers import submit_list, tax_violator_row
from tests.publicity.factories import eco_department, ndrc_penalty, submit

D = dt.date


@pytest.fixture
def eco(db, system_actor):
    return eco_department(system_actor)


@pytest.fixture
def penalty_record(eco, system_actor):
    """A general NDRC penalty decided 2026-04-15: minimum 3 months, repairable from 2026-07-15."""
    result = submit([ndrc_penalty(1, decision_date="2026-04-15", valid_until="2026-04-15")], department=eco,
                    actor=system_actor, when="2026-04-20")
    return CreditRecord.objects.get(pk=result.record_ids[0])


def apply(record, actor, **kw):
    values = dict(record=record, applicant_uscc=uscc(1), contact_name="王经理", contact_phone="13800000000",
                  proof_description="罚款已缴纳，缴款凭证编号370300…", commitment_signed=True, actor=actor)
    values.update(kw)
    return services.repair_application_submit(**values)


def test_order36_art16_accept_within_3_working_days_across_national_day(penalty_record, system_actor):
    with clock.pinned(D(2026, 9, 29)):
        app = apply(penalty_record, system_actor)
    assert app.state == "received" and app.accept_due == D(2026, 10, 9)  # 9-30, 10-8, 10-9: holiday 10-1..7 skipped
    assert decrypt(app.contact_name_encrypted) == "王经理" and "王经理" not in app.contact_name_encrypted
    assert "郑重承诺" in app.commitment_text and penalty_record.decision_no in app.commitment_text
    assert AuditEvent.objects.filter(object_type="repair_application", object_id=str(app.pk)).count() == 1


def test_order36_art16_decide_within_7_working_days_counts_the_make_up_saturday_and_complex_extension(
        penalty_record, eco, system_actor):
    with clock.pinned(D(2026, 9, 29)):
        app = apply(penalty_record, system_actor)
    with clock.pinned(D(2026, 10, 9)):
        app = services.repair_application_accept(application=app, department=eco, actor=system_actor)
    assert app.decide_due == D(2026, 10, 19)  # 10-10 (a make-up Saturday) counts
    with clock.pinned(D(2026, 10, 12)):
        app = services.repair_application_extend(application=app, reason="需实地核查整改情况", department=eco,
                                                  actor=system_actor)
    assert app.state == "extended" and app.decide_due == D(2026, 11, 2)
    with pytest.raises(DomainError) as exc:
        services.repair_application_extend(application=app, reason="再次延期", department=eco, actor=system_actor)
    assert exc.value.code == "repair.invalid_transition"


def test_deadline_in_a_year_without_holiday_schedule_is_provisional(penalty_record, system_actor):
    with clock.pinned(D(2027, 1, 4)):
        app = apply(penalty_record, system_actor)
    assert app.deadline_provisional is True and app.accept_due >= D(2027, 1, 6)


def test_order36_art16_one_time_notice_then_supplement_restarts_acceptance(penalty_record, eco, system_actor):
    with clock.pinned(D(2026, 11, 2)):
        app = apply(penalty_record, system_actor)
        app = services.repair_application_notice(application=app, missing="缺少罚款缴纳凭证", department=eco,
                                                 actor=system_actor)
    assert app.state == "incomplete" and app.notice_text == "缺少罚款缴纳凭证"
    with clock.pinned(D(2026, 11, 10)):
        app = services.repair_application_supplement(application=app, proof_description="缴款凭证", actor=system_actor)
    assert app.state == "received" and app.accept_due == D(2026, 11, 13)


def test_order36_art3_grant_ends_publication_and_sharing_at_once(penalty_record, eco, system_actor):
    with clock.pinned(D(2026, 11, 2)):
        app = apply(penalty_record, system_actor)
        services.repair_application_accept(application=app, department=eco, actor=system_actor)
        app = services.repair_application_grant(application=app, reason="已纠正并履行完毕", department=eco,
                                                actor=system_actor)
    state = PublicityState.objects.get(record=penalty_record)
    assert app.state == "granted" and state.state == "repaired" and state.shared is False
    events = list(AuditEvent.objects.filter(object_type="repair_application").values_list("data", flat=True))
    assert [e["event"] for e in events] == ["submit", "accept", "grant"]


def test_bad_input_not_own_item_second_open_application_wrong_unit_and_after_withdrawal(
        penalty_record, department, eco, system_actor):
    with clock.pinned(D(2026, 11, 2)):
        with pytest.raises(DomainError) as exc:
            apply(penalty_record, system_actor, applicant_uscc=uscc(2))
        assert exc.value.code == "repair.not_own_item"
        app = apply(penalty_record, system_actor)
        with pytest.raises(DomainError) as exc:
            apply(penalty_record, system_actor)
        assert exc.value.code == "repair.open_application"
        with pytest.raises(DomainError) as exc:
            services.repair_application_accept(application=app, department=department, actor=system_actor)
        assert exc.value.code == "repair.not_identifying_unit"
        services.repair_application_withdraw(application=app, actor=system_actor)
        with pytest.raises(DomainError) as exc:
            services.repair_application_grant(application=app, reason="准予", department=eco, actor=system_actor)
        assert exc.value.code == "repair.invalid_transition"
    assert RepairApplication.objects.get(pk=app.pk).state == "withdrawn"


def test_minimum_period_not_reached_is_refused(eco, system_actor):
    result = submit([ndrc_penalty(1, decision_date="2026-11-10", valid_until="2026-11-10")], department=eco,
                    actor=system_actor, when="2026-11-12")
    record = CreditRecord.objects.get(pk=result.record_ids[0])
    with clock.pinned(D(2026, 11, 20)), pytest.raises(DomainError) as exc:
        apply(record, system_actor)
    assert exc.value.code == "repair.minimum_period.running"
    assert not RepairApplication.objects.exists()


def test_order36_art25_fraud_revocation_restores_publication_and_bars_repair_three_years(
        penalty_record, eco, system_actor):
    with clock.pinned(D(2026, 11, 2)):
        app = apply(penalty_record, system_actor)
        services.repair_application_accept(application=app, department=eco, actor=system_actor)
        services.repair_application_grant(application=app, reason="准予", department=eco, actor=system_actor)
        app = services.repair_application_revoke_for_fraud(application=app, reason="缴款凭证系伪造", department=eco,
                                                           actor=system_actor)
    assert app.state == "revoked" and app.fraud_block_until == D(2029, 11, 1)
    assert PublicityState.objects.get(record=penalty_record).state == "published"
    with clock.pinned(D(2026, 12, 1)), pytest.raises(DomainError) as exc:
        apply(penalty_record, system_actor)
    assert exc.value.code == "repair.fraud.blocked"


def test_sat_order54_tax_list_grant_removes_the_entry_with_reason_repaired(db, system_actor):
    from pubcredit.accounts.services import department_create

    tax = department_create(code="SWJ", name="国家税务总局淄博市税务局", uscc="11370300MB2851236H", actor=system_actor)
    result, _ = submit_list("major_tax_violator", [tax_violator_row(1, decision_date="2026-03-02")], tax,
                            system_actor, when="2026-03-05")
    record = CreditRecord.objects.get(pk=result.record_ids[0])
    entry = ListEntry.objects.get(record=record)
    with clock.pinned(D(2026, 11, 2)):
        app = apply(record, system_actor)
        assert (app.accept_working_days, app.decide_working_days) == (2, 15)
        services.repair_application_accept(application=app, department=tax, actor=system_actor)
        services.repair_application_grant(application=app, reason="税款滞纳金罚款已缴清", department=tax,
                                          actor=system_actor)
    entry.refresh_from_db()
    assert entry.status == "removed" and entry.removal_reason == "repaired"


def test_sat_order54_art19_tax_list_application_signs_the_honest_tax_commitment(client, db, system_actor):
    """令第54号 第十九条第一款: an application under 第十八条第一项 comes with a 诚信纳税承诺书 — generated from the
    rulebook (lists.major_tax_violator), listed among the materials, shown and signed on the public site."""
    from django.urls import reverse

    from pubcredit.accounts.services import department_create, enterprise_account_create

    tax = department_create(code="SWJ", name="国家税务总局淄博市税务局", uscc="11370300MB2851236H", actor=system_actor)
    result, _ = submit_list("major_tax_violator", [tax_violator_row(1, decision_date="2026-03-02")], tax,
                            system_actor, when="2026-03-05")
    record = CreditRecord.objects.get(pk=result.record_ids[0])
    account = enterprise_account_create(username="qiye-tax", password="Qiye-public-2026", uscc=uscc(1),
                                        enterprise_name=record.subject.name, display_name="王经理",
                                        contact_phone="13800000001", actor=system_actor)
    client.force_login(account.user)
    with clock.pinned(D(2026, 11, 2)):
        page = client.get(reverse("repair_public:apply", args=[record.pk])).content.decode()
        assert "<legend>诚信纳税承诺书</legend>" in page and "停止公布失信信息申请表、诚信纳税承诺书" in page
        assert "依法诚信纳税" in page and "已阅读并签署上述诚信纳税承诺书" in page
        done = client.post(reverse("repair_public:apply", args=[record.pk]), {
            "contact_name": "王经理", "contact_phone": "13800000001", "proof_description": "税款滞纳金罚款已缴清",
            "signed_by": "张三", "commitment_signed": "yes"})
    assert done.status_code == 302
    app = RepairApplication.objects.get()
    assert app.commitment_text.startswith(f"本单位{record.subject.name}")
    assert "第十八条第一项、第十九条" in app.commitment_text and "缴清（退）税款、滞纳金、罚款" in app.commitment_text
    assert "签署人：张三" in app.commitment_text and "信用承诺书" not in app.commitment_text.replace("诚信纳税承诺书", "")


def test_a_list_commitment_title_without_its_template_is_refused():
    import copy

    from pubcredit.rulebook.loader import load_yaml
    from pubcredit.rules.repair import RepairRulebookError, parse_rulebook

    data = copy.deepcopy(load_yaml("repair/procedure.yaml"))
    data["lists"]["major_tax_violator"]["commitment_template"] = ""
    with pytest.raises(RepairRulebookError, match="go together"):
        parse_rulebook(data)
    data["lists"]["major_tax_violator"]["commitment_template"] = "{subject_name}{unknown}"
    with pytest.raises(RepairRulebookError, match="unknown placeholder"):
        parse_rulebook(data)


def test_order36_art18_objection_marks_the_record_and_its_three_outcomes(eco, system_actor):
    result = submit([ndrc_penalty(n, decision_date="2026-11-02", valid_until="2026-11-02") for n in (1, 2, 3)],
                    department=eco, actor=system_actor, when="2026-11-03")
    records = list(CreditRecord.objects.filter(pk__in=result.record_ids).order_by("pk"))
    outcomes = []
    for record, outcome in zip(records, ["dismiss", "withdraw_record", "correct"], strict=True):
        with clock.pinned(D(2026, 11, 20)):
            obj = services.objection_submit(record=record, objector_name="王经理", objector_contact="13800000000",
                                            grounds="罚款金额登记有误", actor=system_actor)
            assert obj.forward_due == D(2026, 11, 23)
            obj = services.objection_accept(objection=obj, department=eco, actor=system_actor)
            assert obj.verify_due == D(2026, 12, 1)
            assert PublicityState.objects.get(record=record).state == "published"  # not suspended (art. 18, 19)
            obj = services.objection_decide(objection=obj, outcome=outcome, reason="经核查", department=eco,
                                            actor=system_actor, corrections={"fine_amount": "5"})
        outcomes.append((obj.state, PublicityState.objects.get(record=record).state))
    assert outcomes[0] == ("dismissed", "published")
    assert outcomes[1] == ("withdrawn_record", "revoked")
    assert outcomes[2][0] == "corrected"
    records[2].refresh_from_db()
    assert records[2].version == 2 and str(records[2].fields["fine_amount"]) in ("5", "5.0", "5.00")


def test_api_eligibility_for_record_and_entry(client, penalty_record, eco, system_actor):
    token = token_create(department=eco, actor=system_actor)
    with clock.pinned(D(2026, 11, 2)):
        body = client.get(f"/api/v1/records/{penalty_record.pk}/repair-eligibility",
                          HTTP_AUTHORIZATION=f"Bearer {token.plaintext}").json()
    assert body["eligible"] is True and body["eligible_from"] == "2026-07-15"
    assert body["authority"] == "淄博市生态环境局" and body["reasons"][0]["code"] == "eligible.now"
    assert client.get("/api/v1/list-entries/999999/repair-eligibility",
                      HTTP_AUTHORIZATION=f"Bearer {token.plaintext}").status_code == 404


def test_api_application_path_and_unit_decision(client, penalty_record, eco, system_actor):
    token = token_create(department=eco, actor=system_actor)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token.plaintext}"}
    with clock.pinned(D(2026, 11, 2)):
        created = client.post("/api/v1/repair-applications", {
            "record_id": penalty_record.pk, "applicant_uscc": uscc(1), "contact_name": "王经理",
            "contact_phone": "13800000000", "proof_description": "缴款凭证", "commitment_signed": True},
            content_type="application/json", **auth)
        assert created.status_code == 201, created.content
        app_id = created.json()["id"]
        refused = client.post(f"/api/v1/repair-applications/{app_id}/grant", {"reason": ""},
                              content_type="application/json", **auth)
        assert refused.status_code in (400, 422) and refused.json()["code"] == "repair.reason_required"
        client.post(f"/api/v1/repair-applications/{app_id}/accept", {}, content_type="application/json", **auth)
        granted = client.post(f"/api/v1/repair-applications/{app_id}/grant", {"reason": "已履行"},
                              content_type="application/json", **auth).json()
    assert granted["state"] == "granted" and granted["state_zh"] == "准予修复"


def test_objection_to_a_revoked_record_is_refused(penalty_record, system_actor):
    from pubcredit.records.services import record_revoke
    from pubcredit.repair.models import Objection

    with clock.pinned(D(2026, 11, 20)):
        record_revoke(record=penalty_record, reason="复议撤销", actor=system_actor)
        with pytest.raises(DomainError) as exc:
            services.objection_submit(record=penalty_record, objector_name="王经理", objector_contact="138",
                                      grounds="金额有误", actor=system_actor)
    assert exc.value.code == "objection.record_revoked" and not Objection.objects.exists()


def test_samr_order107_art14_art16_accept_in_2_and_decide_in_7_working_days(department, system_actor):
    from tests.factories import penalty

    result = submit([penalty(1, fine_amount="10", penalty_content="罚款10万元", decision_date="2026-04-15",
                             valid_until="2026-04-15")], department=department, actor=system_actor, when="2026-04-20")
    record = CreditRecord.objects.get(pk=result.record_ids[0])
    with clock.pinned(D(2026, 9, 29)):
        app = apply(record, system_actor)
    assert app.regime == "samr_order_107" and app.accept_due == D(2026, 10, 8)  # 9-30, then 10-8 after National Day
    with clock.pinned(D(2026, 10, 8)):
        app = services.repair_application_accept(application=app, department=department, actor=system_actor)
    assert app.decide_due == D(2026, 10, 16)  # 10-9, 10-10 (make-up), 10-12 … 10-16
