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
