"""信易+ eligibility (守信激励核查) through the API: organisations and natural persons per scenario, audited, with the
provider's feedback of use; a black-list entry removes eligibility at once and its removal restores it."""

from __future__ import annotations

import pytest

from pubcredit.audit.models import AuditEvent
from pubcredit.evaluation import services as evaluation
from pubcredit.finance.models import IncentiveAnswer, IncentiveUse
from pubcredit.lists.models import ListEntry
from pubcredit.lists.services import list_entry_remove
from tests.factories import person_penalty, resident_id, uscc
from tests.finance.helpers import submit
from tests.lists.helpers import court_person_row, samr_row, submit_list, tax_a_row

pytestmark = pytest.mark.django_db

URL = "/api/v1/incentives/eligibility"


@pytest.fixture
def honest_org(department, system_actor, today):
    """淄博守信测试有限公司5: a grade-A taxpayer (red list), evaluated 诚信守法."""
    submit_list("tax_a_level", [tax_a_row(5)], department, system_actor, when="2026-11-18")
    run = evaluation.evaluation_run_start(actor=system_actor, enqueue=False)
    evaluation.evaluation_run_execute(run_id=run.pk, actor=system_actor)
    return uscc(5)


def _ask(api, subject, scenario="xinyipi_tolerance", **extra):
    return api.post(URL, {"subject": subject, "scenario": scenario, **extra})


def _failed(body) -> set[str]:
    return {r["code"] for r in body["reasons"] if not r["passed"]}


def test_an_honest_red_listed_organisation_is_eligible(department_api, honest_org):
    answer = _ask(department_api, {"uscc": honest_org}, reference="SP-2026-88")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["eligible"] is True and body["eligible_zh"] == "符合条件，可享受激励"
    assert {r["code"] for r in body["reasons"]} == {"incentive.subject_kind", "incentive.black_list",
                                                    "incentive.red_list", "incentive.evaluation_class"}
    assert body["benefit"] == "非关键材料欠缺时容缺受理，限期补正" and "淄政办字〔2021〕31号" in body["basis"]
    event = AuditEvent.objects.get(action="incentive.eligibility")
    assert event.object_id == body["answer_id"] and event.data["eligible"] is True


def test_black_list_entry_removes_eligibility_at_once_and_its_removal_restores_it(department_api, honest_org,
                                                                                 department, system_actor):
    """Zibo policy item 12 (守信激励): a subject on a black list has no incentive while listed."""
    assert _ask(department_api, {"uscc": honest_org}).json()["eligible"] is True
    submit_list("samr_serious_violation", [samr_row(5)], department, system_actor, when="2026-11-20")
    listed = _ask(department_api, {"uscc": honest_org}).json()
    assert listed["eligible"] is False and _failed(listed) == {"incentive.black_list"}
    assert "严重违法失信名单" in next(r["message"] for r in listed["reasons"] if r["code"] == "incentive.black_list")
    entry = ListEntry.objects.get(list_code="samr_serious_violation")
    list_entry_remove(entry=entry, reason="repaired", note="信用修复决定书 淄信修〔2026〕1号", actor=system_actor)
    assert _ask(department_api, {"uscc": honest_org}).json()["eligible"] is True


def test_an_organisation_never_evaluated_is_not_eligible_where_a_class_is_asked(department_api, department,
                                                                               system_actor, today):
    submit_list("tax_a_level", [tax_a_row(6)], department, system_actor, when="2026-11-18")
    body = _ask(department_api, {"uscc": uscc(6)}).json()
    assert body["eligible"] is False and _failed(body) == {"incentive.evaluation_class"}


def test_a_person_with_no_record_may_borrow_without_deposit(department_api, today):
    body = _ask(department_api, {"id_number": resident_id(7)}, scenario="xinyiyue_library_deposit").json()
    assert body["eligible"] is True
    assert body["subject_code"] != resident_id(7) and "****" in body["subject_code"]  # masked, never in clear
    assert resident_id(7) not in str(AuditEvent.objects.get(action="incentive.eligibility").data)


def test_a_person_with_a_negative_record_in_force_is_not_eligible(department_api, department, system_actor, today):
    submit("admin_penalty", [person_penalty(9)], department, system_actor)
    body = _ask(department_api, {"id_number": resident_id(9)}, scenario="xinyiyue_library_deposit").json()
    assert body["eligible"] is False and _failed(body) == {"incentive.negative_record"}


def test_a_listed_dishonest_debtor_is_not_eligible(department_api, department, system_actor, today):
    submit_list("court_dishonest_debtor", [court_person_row(8)], department, system_actor, when="2026-11-18")
    body = _ask(department_api, {"id_number": resident_id(8)}, scenario="xinyixing_transport").json()
    assert body["eligible"] is False and "incentive.black_list" in _failed(body)


def test_a_scenario_for_persons_refuses_an_organisation_by_kind(department_api, honest_org):
    body = _ask(department_api, {"uscc": honest_org}, scenario="xinyiyue_library_deposit").json()
    assert body["eligible"] is False and _failed(body) == {"incentive.subject_kind"}


def test_honours_asked_by_a_scenario_for_persons(department_api, today):
    body = _ask(department_api, {"id_number": resident_id(10)}, scenario="housekeeping_honor_star").json()
    assert body["eligible"] is False and _failed(body) == {"incentive.red_list"}


def test_bad_scenario_and_subject_are_field_errors(department_api, today):
    unknown = _ask(department_api, {"uscc": uscc(5)}, scenario="free_lunch")
    assert unknown.status_code == 400 and unknown.json()["code"] == "incentive.unknown_scenario"
    malformed = _ask(department_api, {"uscc": "91370303MA0000010X"})
    assert malformed.status_code == 400 and malformed.json()["code"] == "check.malformed_identifier"
    assert IncentiveAnswer.objects.count() == 0


def test_feedback_of_use(department_api, honest_org, client, district_department, system_actor):
    from pubcredit.accounts.services import token_create
    from tests.finance.conftest import _api

    other_department = _api(client, token_create(department=district_department, actor=system_actor))
    answer_id = _ask(department_api, {"uscc": honest_org}).json()["answer_id"]
    url = f"/api/v1/incentives/answers/{answer_id}/feedback"
    assert department_api.post(url, {"used": False}).json()["code"] == "incentive.note_required"
    assert other_department.post(url, {"used": True}).json()["code"] == "incentive.other_department"
    given = department_api.post(url, {"used": True, "note": "已容缺受理"})
    assert given.status_code == 200 and given.json()["used"] is True
    assert IncentiveUse.objects.get().note == "已容缺受理"
    assert AuditEvent.objects.filter(action="incentive.use", object_id=answer_id).exists()


def test_scenarios_are_listed_with_provider_and_basis(department_api):
    body = department_api.get("/api/v1/incentives/scenarios").json()
    codes = {s["code"] for s in body}
    assert {"xinyipi_green_channel", "xinyipi_tolerance", "xinyizu_rental_deposit", "xinyiyue_library_deposit",
            "xinyiyou_tourism", "xinyixing_transport", "credit_housekeeping"} <= codes
    assert all(s["provider_zh"] and s["basis_zh"] and s["benefit_zh"] for s in body)


def test_black_list_entry_removes_eligibility_at_once_and_a_granted_repair_restores_it(department_api, honest_org,
                                                                                      system_actor):
    """Zibo item 12 (守信激励) with 国家税务总局令第54号 repair: a 重大税收违法失信主体 entry ends the incentive the
    moment it is in force; the repair decision (信用修复, through the repair app's own steps) removes the entry and
    the very next answer is eligible again."""
    import datetime as dt

    from pubcredit.accounts.services import department_create
    from pubcredit.records.models import CreditRecord
    from pubcredit.repair import services as repair
    from pubcredit.rules import clock
    from tests.lists.helpers import tax_violator_row

    tax = department_create(code="SWJ", name="国家税务总局淄博市税务局", uscc="11370300MB2851236H", actor=system_actor)
    result, _ = submit_list("major_tax_violator", [tax_violator_row(5, decision_date="2026-03-02")], tax, system_actor,
                            when="2026-03-05")
    listed = _ask(department_api, {"uscc": honest_org}).json()
    assert listed["eligible"] is False and _failed(listed) == {"incentive.black_list"}
    record = CreditRecord.objects.get(pk=result.record_ids[0])
    with clock.pinned(dt.date(2026, 11, 20)):
        application = repair.repair_application_submit(
            record=record, applicant_uscc=honest_org, contact_name="王经理", contact_phone="13800000000",
            proof_description="税款、滞纳金、罚款已缴清", commitment_signed=True, actor=system_actor)
        repair.repair_application_accept(application=application, department=tax, actor=system_actor)
        repair.repair_application_grant(application=application, reason="税款滞纳金罚款已缴清", department=tax,
                                        actor=system_actor)
    restored = _ask(department_api, {"uscc": honest_org}).json()
    assert restored["eligible"] is True
    assert ListEntry.objects.get(list_code="major_tax_violator").removal_reason == "repaired"


def _scenarios_for(kind: str) -> list[str]:
    from pubcredit.finance.rulebook import incentive_book

    return [s.code for s in incentive_book().scenarios if kind in s.subject_kinds]


@pytest.mark.parametrize("scenario", _scenarios_for("natural_person"))
def test_every_scenario_for_persons_answers_a_clean_person_and_a_person_with_a_negative_record(
        department_api, department, system_actor, today, scenario):
    """Per scenario (rulebook/incentives/scenarios.yaml): a person with nothing against them is eligible unless the
    scenario asks for honours; a negative record in force (an unpublished penalty too) makes them ineligible."""
    from pubcredit.finance.rulebook import incentive_book

    needs_honours = bool(incentive_book().get(scenario).eligibility.red_lists_any)
    clean = _ask(department_api, {"id_number": resident_id(21)}, scenario=scenario).json()
    assert clean["eligible"] is not needs_honours
    assert _failed(clean) == ({"incentive.red_list"} if needs_honours else set())
    submit("admin_penalty", [person_penalty(22)], department, system_actor)
    penalised = _ask(department_api, {"id_number": resident_id(22)}, scenario=scenario).json()
    assert penalised["eligible"] is False and "incentive.negative_record" in _failed(penalised)


@pytest.mark.parametrize("scenario", _scenarios_for("legal_person"))
def test_every_scenario_for_organisations_answers_an_honest_red_listed_organisation(department_api, honest_org,
                                                                                  scenario):
    body = _ask(department_api, {"uscc": honest_org}, scenario=scenario).json()
    assert body["eligible"] is True, body["reasons"]
