"""Loan products (信贷产品): conditions as data, an unknown class refused, qualification explained to the enterprise."""

from __future__ import annotations

import pytest

from pubcredit.audit.models import AuditEvent
from pubcredit.finance import selectors
from pubcredit.rules import clock
from tests.finance.conftest import ENTERPRISE_USCC
from tests.finance.helpers import social_insurance_row, submit

pytestmark = pytest.mark.django_db

PRODUCT = {"name": "税易贷", "amount_min": 10, "amount_max": 300, "term_months_min": 6, "term_months_max": 36,
           "rate_min": 3.45, "rate_max": 4.8, "description": "纳税信用良好的小微企业信用贷款",
           "conditions": [{"kind": "no_black_list"},
                          {"kind": "continuous_months", "class_code": "social_insurance_payment", "months": 3}]}


def test_bank_publishes_a_product_with_conditions_as_data(bank_api):
    answer = bank_api.post("/api/v1/finance/products", PRODUCT)
    assert answer.status_code == 201, answer.content
    assert answer.json()["conditions"][1]["class_code"] == "social_insurance_payment"
    assert AuditEvent.objects.filter(action="finance.product").count() == 1
    assert [p["name"] for p in bank_api.get("/api/v1/finance/products").json()] == ["税易贷"]


def test_a_condition_naming_an_unknown_class_is_refused(bank_api):
    bad = dict(PRODUCT, conditions=[{"kind": "continuous_months", "class_code": "gym_membership", "months": 6}])
    answer = bank_api.post("/api/v1/finance/products", bad)
    assert answer.status_code == 400 and answer.json()["code"] == "product.condition_unknown_class"
    assert answer.json()["fields"][0]["field"] == "conditions[0]"
    ranges = bank_api.post("/api/v1/finance/products", dict(PRODUCT, amount_min=500))
    assert ranges.status_code == 400 and ranges.json()["code"] == "product.range"


def test_only_a_financial_institution_publishes(department_api):
    assert department_api.post("/api/v1/finance/products", PRODUCT).status_code == 403


def test_qualification_is_explained_month_by_month(bank_api, account, department, system_actor, today):
    bank_api.post("/api/v1/finance/products", PRODUCT)
    # the enterprise's social insurance: Aug paid, Sept in arrears, Oct paid (the three months before November)
    [row] = selectors.product_qualifications(uscc=ENTERPRISE_USCC, today=clock.today())
    assert row["qualified"] is False
    assert [q.passed for q in row["lines"]] == [True, False]
    assert "2026-09" in row["lines"][1].message_zh
    submit("social_insurance_payment", [social_insurance_row(1, 9, status="正常")], department, system_actor)
    [row] = selectors.product_qualifications(uscc=ENTERPRISE_USCC, today=clock.today())
    assert row["qualified"] is True


def test_the_enterprise_page_and_the_public_site_show_products(client, bank_api, account):
    bank_api.post("/api/v1/finance/products", PRODUCT)
    assert "税易贷" in client.get("/public/finance/incentives/").content.decode()
    client.force_login(account.user)
    page = client.get("/public/finance/").content.decode()
    assert "税易贷" in page and "暂不符合" in page and "不满足的月份：2026-09" in page
