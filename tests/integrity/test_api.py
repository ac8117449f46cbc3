"""Arrears ledger API: the handling department's token reads, verifies, plans and records payments; another
department's token finds nothing; an overpayment is refused in the platform's error shape."""

import json

import pytest

from pubcredit.accounts.services import token_create
from pubcredit.integrity import services
from tests.integrity.helpers import complaint_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(today, public_actor, operator, district_department):
    complaint = services.arrears_complaint_file(**complaint_input(), actor=public_actor)
    return services.arrears_complaint_assign(complaint=complaint, department=district_department, actor=operator)


def _auth(department, actor):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(department=department, actor=actor).plaintext}"}


def _post(client, url, body, auth):
    return client.post(url, json.dumps(body), content_type="application/json", **auth)


def test_the_handling_department_verifies_plans_and_pays_by_api(client, assigned, district_department, system_actor):
    auth = _auth(district_department, system_actor)
    [row] = client.get("/api/v1/integrity/arrears", **auth).json()
    assert row["number"] == assigned.number and row["status_zh"] == "已转交待核实"
    url = f"/api/v1/integrity/arrears/{assigned.pk}"
    body = _post(client, url + "/verification", {"confirmed": True, "amount_owed": "3000.50",
                                                 "verified_on": "2026-11-20"}, auth).json()
    assert body["status"] == "verified" and body["outstanding"] == "3000.50"
    assert _post(client, url + "/plan", {"plan_last_day": "2026-12-10", "plan_note": "一次付清"}, auth).status_code == 200
    refused = _post(client, url + "/payments", {"amount": "3000.51", "paid_on": "2026-11-20"}, auth)
    assert refused.status_code == 400 and refused.json()["code"] == "arrears.overpayment"
    paid = _post(client, url + "/payments", {"amount": "3000.50", "paid_on": "2026-11-20"}, auth)
    assert paid.status_code == 201 and paid.json()["status_zh"] == "已清偿"


def test_another_departments_token_finds_nothing(client, assigned, department, system_actor):
    auth = _auth(department, system_actor)
    assert client.get("/api/v1/integrity/arrears", **auth).json() == []
    assert client.get(f"/api/v1/integrity/arrears/{assigned.pk}", **auth).status_code == 404
    response = _post(client, f"/api/v1/integrity/arrears/{assigned.pk}/payments",
                     {"amount": "1", "paid_on": "2026-11-20"}, auth)
    assert response.status_code == 404


def test_regulation_art25_para2_the_department_extends_its_handling_period_with_its_heads_approval(
        client, assigned, district_department, department, system_actor, handler):
    from pubcredit.audit.models import AuditEvent

    auth = _auth(district_department, system_actor)
    url = f"/api/v1/integrity/arrears/{assigned.pk}/extension"
    # assigned on Friday 2026-11-20: 30 days end 2026-12-20 (a Sunday) → 12-21; 90 days end 2027-02-18
    assert client.get(f"/api/v1/integrity/arrears/{assigned.pk}", **auth).json()["due"] == "2026-12-21"
    bad = _post(client, url, {"extended_to": "2027-03-01", "approved_by": " ", "reason": ""}, auth)
    assert bad.status_code == 400
    assert {(f["field"], f["code"]) for f in bad.json()["fields"]} == {
        ("approved_by", "approved_by.required"), ("reason", "reason.required"),
        ("extended_to", "arrears.extension_too_long")}
    assert _post(client, url, {"extended_to": "2027-01-20", "approved_by": "李局长", "reason": "需现场核对工程量"},
                 _auth(department, system_actor)).status_code == 404  # another department's complaint
    done = _post(client, url, {"extended_to": "2027-01-20", "approved_by": "李局长", "reason": "需现场核对工程量"}, auth)
    assert done.status_code == 200, done.json()
    assert done.json()["verify_extended_to"] == "2027-01-20" and done.json()["due"] == "2027-01-20"
    event = AuditEvent.objects.filter(action="arrears.step").order_by("id").last()
    assert event.data["event"] == "extend" and event.data["approved_by"] == "李局长"
    client.force_login(handler)
    page = client.get(f"/integrity/arrears/{assigned.pk}/").content.decode()
    assert "延长处理期限" in page and "李局长批准：需现场核对工程量" in page
