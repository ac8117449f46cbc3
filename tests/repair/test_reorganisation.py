"""Bankruptcy reorganisation shielding (破产重整信用修复, issue 13 item 7): NDRC Order 36 art. 20 — shielded within 10 WD
of an application with the court's ruling approving the plan, restored if the plan fails, repaired once completed;
SAMR Order 107 art. 22 — 7 WD. The shielding is a grant's effects (publicity ``repaired``, list entry removed with
reason "repaired"), undone on failure."""

import datetime as dt

import pytest

from pubcredit.accounts.services import department_create
from pubcredit.audit.models import AuditEvent
from pubcredit.lists.models import ListChange, ListEntry
from pubcredit.publicity.models import PublicityState
from pubcredit.records.models import CreditRecord
from pubcredit.repair import selectors, services
from pubcredit.repair.models import Notice, RepairApplication
from pubcredit.repair.rulebook import rulebook
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.rules.repair import ItemFacts, reorganisation_refusal, reorganisation_transition
from pubcredit.sanctions.services import check_run
from tests.factories import penalty, uscc
from tests.lists.helpers import submit_list, tax_violator_row
from tests.publicity.factories import eco_department, ndrc_penalty, submit

D = dt.date
RULING = "（2026）鲁03破12号之一"


@pytest.fixture
def eco(db, system_actor):
    return eco_department(system_actor)


@pytest.fixture
def recent_penalty(eco, system_actor):
    """A general NDRC penalty decided 2026-09-01: its minimum period (3 months) still runs in October."""
    result = submit([ndrc_penalty(1, decision_date="2026-09-01", valid_until="2026-09-01")], department=eco,
                    actor=system_actor, when="2026-09-02")
    return CreditRecord.objects.get(pk=result.record_ids[0])


@pytest.fixture
def tax(db, system_actor):
    return department_create(code="SWJ", name="国家税务总局淄博市税务局", uscc="11370300MB2851236H", actor=system_actor)


@pytest.fixture
def tax_listed(tax, system_actor):
    """A major tax violator listed 2026-09-01: its 6 months (令第54号 第十八条) are far from over."""
    result, _ = submit_list("major_tax_violator", [tax_violator_row(1, decision_date="2026-09-01")], tax,
                            system_actor, when="2026-09-03")
    record = CreditRecord.objects.get(pk=result.record_ids[0])
    return record, ListEntry.objects.get(record=record)


def apply_reorganisation(record, actor, **kw):
    values = dict(record=record, applicant_uscc=uscc(1), applicant_role="administrator", court_ruling_no=RULING,
                  contact_name="管理人张律师", contact_phone="13800000000",
                  plan_description="重整计划已获法院批准，正在执行；该信息影响融资和招投标", actor=actor)
    values.update(kw)
    return services.reorganisation_submit(**values)


def events(app):
    return [e["event"] for e in AuditEvent.objects.filter(object_type="repair_application", object_id=str(app.pk))
            .order_by("id").values_list("data", flat=True)]


def test_order36_art20_shield_within_10_working_days_across_national_day(client, recent_penalty, eco, system_actor):
    with clock.pinned(D(2026, 9, 29)):
        app = apply_reorganisation(recent_penalty, system_actor)
    # 9-30, 10-8, 10-9, 10-10 (make-up Saturday), 10-12 … 10-16, 10-19: the holiday 10-1..7 skipped
    assert (app.kind, app.state, app.accept_due, app.accept_working_days) == ("reorganisation", "received",
                                                                               D(2026, 10, 19), 10)
    assert app.regime == "ndrc_order_36" and app.commitment_text == "" and app.court_ruling_no == RULING
    queued = next(a for a in selectors.case_queue(viewer=system_actor)[0] if a.pk == app.pk)
    assert queued.due == D(2026, 10, 19)
    with clock.pinned(D(2026, 10, 20)):
        assert selectors.overdue_counts(department=eco)["applications"] == 1  # not shielded in time: flagged
    with clock.pinned(D(2026, 10, 16)):
        page_url = f"/public/subjects/{recent_penalty.subject_id}/"
        assert f'data-record="{recent_penalty.pk}"' in client.get(page_url).content.decode()
        app = services.reorganisation_shield(application=app, department=eco, actor=system_actor)
        # shielded although the minimum period still runs: art. 20 sets none
        assert f'data-record="{recent_penalty.pk}"' not in client.get(page_url).content.decode()
        body = client.get(f"/api/v1/public/subjects/{uscc(1)}").json()
        assert recent_penalty.pk not in [r["id"] for r in body["records"]]
    state = PublicityState.objects.get(record=recent_penalty)
    assert (app.state, app.shielded_on) == ("shielded", D(2026, 10, 16))
    assert state.state == "repaired" and state.shared is False
    assert events(app) == ["submit", "shield"]
    assert Notice.objects.filter(application=app, step="shield").count() == 2  # applicant and unit
    with clock.pinned(D(2026, 12, 1)):
        assert selectors.overdue_counts(department=eco)["applications"] == 0  # shielded: no limit runs


def test_samr_order107_art22_shield_within_7_working_days(department, system_actor):
    result = submit([penalty(1, fine_amount="10", penalty_content="罚款10万元", decision_date="2026-09-01",
                             valid_until="2026-09-01")], department=department, actor=system_actor, when="2026-09-02")
    record = CreditRecord.objects.get(pk=result.record_ids[0])
    with clock.pinned(D(2026, 9, 29)):
        app = apply_reorganisation(record, system_actor, applicant_role="enterprise")
    assert app.regime == "samr_order_107" and app.accept_due == D(2026, 10, 14)  # 9-30, 10-8, 9, 10, 12, 13, 14


def test_order36_art20_shielded_list_entry_leaves_page_and_check_and_is_restored_when_the_plan_fails(
        client, tax, tax_listed, system_actor):
    record, entry = tax_listed
    page_url = f"/public/subjects/{record.subject_id}/"

    def hits():
        return [h["entry_id"] for h in check_run(department=tax, subject={"uscc": uscc(1)},
                                                 scenario="government_procurement", actor=system_actor).hits]

    with clock.pinned(D(2026, 10, 12)):
        assert hits() == [entry.pk]  # before: the check hits the entry
        app = apply_reorganisation(record, system_actor)
        assert (app.accept_working_days, app.list_entry_id) == (10, entry.pk)
        services.reorganisation_shield(application=app, department=tax, actor=system_actor)
        entry.refresh_from_db()
        assert (entry.status, entry.removal_reason) == ("removed", "repaired")
        assert hits() == []  # while shielded: the restrictions resting on the entry are lifted
        assert f'data-entry="{entry.pk}"' not in client.get(page_url).content.decode()
    with clock.pinned(D(2027, 3, 1)):
        app = services.reorganisation_restore(application=app, ruling_no="（2027）鲁03破12号之三",
                                              reason="重整计划未能执行，法院裁定终止重整程序并宣告破产", department=tax,
                                              actor=system_actor)
        assert hits() == [entry.pk]  # after the plan failed: hit again
        assert f'data-entry="{entry.pk}"' in client.get(page_url).content.decode()
    entry.refresh_from_db()
    assert entry.status == "in_force" and entry.removed_on is None
    assert (app.state, app.decided_on, app.outcome_ruling_no) == ("restored", D(2027, 3, 1), "（2027）鲁03破12号之三")
    feed = list(ListChange.objects.filter(entry_id=entry.pk).order_by("id").values_list("change", "reason"))
    assert feed[-2:] == [("left", "repaired"), ("entered", "reinstated")]
    assert events(app) == ["submit", "shield", "restore"]
    assert AuditEvent.objects.filter(object_type="list_entry", object_id=str(entry.pk),
                                     data__event="reinstate").count() == 1


def test_order36_art20_completed_plan_becomes_a_repair_revocable_for_fraud(recent_penalty, eco, system_actor):
    with clock.pinned(D(2026, 10, 12)):
        app = apply_reorganisation(recent_penalty, system_actor)
        services.reorganisation_shield(application=app, department=eco, actor=system_actor)
        with pytest.raises(DomainError) as exc:  # completion needs the court's ruling confirming it
            services.reorganisation_complete(application=app, reason="执行完毕", department=eco, actor=system_actor)
        assert exc.value.code == "reorganisation.ruling_required"
    with clock.pinned(D(2027, 6, 1)):
        app = services.reorganisation_file_completion(application=app, ruling_no="（2026）鲁03破12号之二",
                                                      description="法院裁定确认重整计划执行完毕", actor=system_actor)
        assert app.state == "shielded" and app.outcome_ruling_no == "（2026）鲁03破12号之二"
        app = services.reorganisation_complete(application=app, reason="重整计划执行完毕", department=eco,
                                               actor=system_actor)
        assert app.state == "granted" and PublicityState.objects.get(record=recent_penalty).state == "repaired"
        assert selectors.record_eligibility(record=recent_penalty).reasons[0].code == "item.repaired"
        app = services.repair_application_revoke_for_fraud(application=app, reason="裁定书系伪造", department=eco,
                                                           actor=system_actor)
    assert app.state == "revoked" and PublicityState.objects.get(record=recent_penalty).state == "published"
    assert events(app) == ["submit", "shield", "file_completion", "complete", "revoke"]


def test_reorganisation_bad_input_each_a_clear_error_nothing_changed(recent_penalty, eco, department, system_actor):
    with clock.pinned(D(2026, 10, 12)):
        for kw, code in [({"applicant_uscc": uscc(2)}, "repair.not_own_item"),
                         ({"court_ruling_no": " "}, "reorganisation.ruling_required"),
                         ({"applicant_role": "creditor"}, "reorganisation.applicant_role"),
                         ({"plan_description": ""}, "reorganisation.plan_required")]:
            with pytest.raises(DomainError) as exc:
                apply_reorganisation(recent_penalty, system_actor, **kw)
            assert exc.value.code == code
        assert not RepairApplication.objects.exists()
        app = apply_reorganisation(recent_penalty, system_actor)
        with pytest.raises(DomainError) as exc:
            apply_reorganisation(recent_penalty, system_actor)
        assert exc.value.code == "repair.open_application"
        with pytest.raises(DomainError) as exc:
            services.reorganisation_shield(application=app, department=department, actor=system_actor)
        assert exc.value.code == "repair.not_identifying_unit"
        with pytest.raises(DomainError) as exc:  # no plan outcome before the shielding
            services.reorganisation_restore(application=app, ruling_no="x", reason="终止", department=eco,
                                            actor=system_actor)
        assert exc.value.code == "repair.invalid_transition"
        with pytest.raises(DomainError) as exc:  # an ordinary grant is not a step of this procedure
            services.repair_application_grant(application=app, reason="准予", department=eco, actor=system_actor)
        assert exc.value.code == "repair.invalid_transition"
        services.repair_application_withdraw(application=app, actor=system_actor)
        with pytest.raises(DomainError) as exc:
            services.reorganisation_shield(application=app, department=eco, actor=system_actor)
        assert exc.value.code == "repair.invalid_transition"
    assert RepairApplication.objects.get(pk=app.pk).state == "withdrawn"
    assert PublicityState.objects.get(record=recent_penalty).state == "published"


def test_order36_art20_what_cannot_be_shielded():
    book = rulebook()
    on = D(2026, 10, 12)
    published = ItemFacts(kind="record", authority="某局", publicity_regime="ndrc_order_36@2026.1", state="published")
    assert reorganisation_refusal(published, book, as_of=on) is None
    court = ItemFacts(kind="list_entry", authority="某法院", state="published", list_code="court_dishonest_debtor")
    assert reorganisation_refusal(court, book, as_of=on).code == "list.court_only"
    red = ItemFacts(kind="list_entry", authority="税务局", state="published", list_code="tax_a_level")
    assert reorganisation_refusal(red, book, as_of=on).code == "list.not_negative"
    withheld = ItemFacts(kind="record", authority="某局", state="withheld")
    assert reorganisation_refusal(withheld, book, as_of=on).code == "item.not_published"
    barred = ItemFacts(kind="record", authority="某局", state="published", fraud_block_until=D(2029, 1, 1))
    assert reorganisation_refusal(barred, book, as_of=on).code == "fraud.blocked"
    assert reorganisation_transition("received", "shield") == "shielded"
    assert reorganisation_transition("shielded", "restore") == "restored"
    assert reorganisation_transition("shielded", "complete") == "granted"


def test_order36_art20_reorganisation_by_the_department_api(client, recent_penalty, eco, system_actor):
    from pubcredit.accounts.services import token_create

    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_create(department=eco, actor=system_actor).plaintext}"}
    with clock.pinned(D(2026, 9, 29)):
        body = {"record_id": recent_penalty.pk, "applicant_uscc": uscc(1), "applicant_role": "administrator",
                "court_ruling_no": RULING, "contact_name": "张律师", "contact_phone": "13800000000",
                "plan_description": "重整计划执行中"}
        created = client.post("/api/v1/reorganisation-applications", body, content_type="application/json", **auth)
        assert created.status_code == 201, created.content
        app = created.json()
        assert (app["kind"], app["accept_due"], app["court_ruling_no"]) == ("reorganisation", "2026-10-19", RULING)
        shielded = client.post(f"/api/v1/repair-applications/{app['id']}/shield", {},
                               content_type="application/json", **auth).json()
        assert (shielded["state"], shielded["state_zh"], shielded["shielded_on"]) == ("shielded", "临时屏蔽中",
                                                                                      "2026-09-29")
        refused = client.post(f"/api/v1/repair-applications/{app['id']}/restore", {"reason": "终止"},
                              content_type="application/json", **auth)
        assert refused.status_code in (400, 422) and refused.json()["code"] == "reorganisation.ruling_required"
        done = client.post(f"/api/v1/repair-applications/{app['id']}/complete",
                           {"reason": "执行完毕", "ruling_no": "（2026）鲁03破12号之二"},
                           content_type="application/json", **auth).json()
    assert done["state"] == "granted" and done["outcome_ruling_no"] == "（2026）鲁03破12号之二"
