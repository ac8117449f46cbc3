"""``POST /api/v1/commitments/eligibility`` (告知承诺适用性核查) and commitments on the public site."""

import pytest
from django.urls import reverse

from pubcredit.commitments.services import commitment_accept
from tests.commitments.helpers import commitment
from tests.factories import uscc
from tests.lists.helpers import samr_row, submit_list

pytestmark = pytest.mark.django_db
URL = "/api/v1/commitments/eligibility"


def test_the_eligibility_api_refuses_a_samr_listed_subject_with_the_measure_and_its_legal_basis(api, department,
                                                                                               system_actor):
    submit_list("samr_serious_violation", [samr_row(1)], department, system_actor)
    response = api.post(URL, {"subject": {"uscc": uscc(1)}, "matter": "food_business_license",
                              "reference": "SP-2026-0100"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["eligible"] is False and body["eligible_zh"] == "不适用告知承诺制"
    assert body["matter_name"] == "食品经营许可" and body["rulebook_version"].startswith("commitments@")
    refusal = next(r for r in body["reasons"] if r["effect"] == "refuse")
    assert refusal["measure_code"] == "samr.no_commitment" and refusal["effect_zh"] == "不予适用"
    assert "第十五条第（三）项" in refusal["legal_basis"]
    clean = api.post(URL, {"subject": {"uscc": uscc(2)}, "matter": "food_business_license"}).json()
    assert clean["eligible"] is True and clean["reasons"] == []


def test_the_eligibility_api_names_the_field_of_bad_input_and_needs_a_token(api, client):
    response = api.post(URL, {"subject": {"uscc": uscc(2)}, "matter": "no_such_matter"})
    assert response.status_code == 400
    assert response.json()["code"] == "commitment.unknown_matter" and response.json()["fields"][0]["field"] == "matter"
    response = api.post(URL, {"subject": {"uscc": "123"}, "matter": "food_business_license"})
    assert response.status_code == 400 and response.json()["code"] == "check.malformed_identifier"
    assert client.post(URL, "{}", content_type="application/json").status_code == 401


def test_commitments_are_submitted_through_the_records_api_like_every_class(api):
    from_system = {"accepting_department": "淄博市市场监督管理局", "source_name": "淄博市市场监督管理局",
                   "source_uscc": "11370300MB2851234B"}
    response = api.post("/api/v1/records/credit_commitment",
                        {"records": [commitment(4, commitment_content="承诺材料真实有效", status="履约中", **from_system)]})
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    bad = api.post("/api/v1/records/credit_commitment",
                   {"records": [commitment(5, commitment_content="x", status="履约中", verification_date="2026-10-01",
                                                   **from_system)]})
    assert bad.json()["rejected"][0]["errors"][0]["field"] == "verification_date"


def test_a_legal_persons_commitment_is_on_the_public_subject_page_with_its_status_in_chinese(client, department,
                                                                                           system_actor, today):
    record = commitment_accept(department=department, values=commitment(6), actor=system_actor)
    html = client.get(reverse("portal:subject", args=[record.subject_id])).content.decode()
    assert "信用承诺" in html and "履约中" in html and "食品经营许可" in html and "审批替代型" in html


def test_the_check_api_has_the_commitment_approval_scenario_with_order_44_art_15_3(api, department, system_actor):
    """The check API's scenarios gain commitment_approval (issue 17): the measures that take 告知承诺 away."""
    submit_list("samr_serious_violation", [samr_row(7)], department, system_actor)
    body = api.post("/api/v1/checks", {"subject": {"uscc": uscc(7)}, "scenario": "commitment_approval"}).json()
    codes = {m["code"] for h in body["hits"] for m in h["measures"]}
    assert codes == {"samr.no_commitment", "shandong.convenience_limit"}
