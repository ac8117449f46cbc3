"""Loan applications (贷款申请, issue 22 item 4): the enterprise applies on the public site (which authorises the
bank), the bank records the outcome, the disbursement (首贷) and later repayment problems through its API, each
audited; a product is edited or withdrawn by its institution only."""

from __future__ import annotations

import pytest

from pubcredit.audit.models import AuditEvent
from pubcredit.finance import services
from pubcredit.finance.models import Authorisation, LoanApplication
from pubcredit.rules.errors import DomainError
from tests.finance.helpers import social_insurance_row, submit
from tests.finance.test_products import PRODUCT

pytestmark = pytest.mark.django_db

SCOPE = ["admin_penalty", "social_insurance_payment"]


@pytest.fixture
def product(bank_api, department, system_actor, today):
    """税易贷 of the bank; the enterprise's September arrears are made good so that it qualifies."""
    submit("social_insurance_payment", [social_insurance_row(1, 9, status="正常")], department, system_actor)
    answer = bank_api.post("/api/v1/finance/products", PRODUCT)
    assert answer.status_code == 201
    return services.selectors.product_get(product_id=answer.json()["product_id"])


def _apply(account, product, **overrides):
    values = {"account": account, "product": product, "amount": "80", "term_months": "12", "industry": "C",
              "scope": SCOPE, "note": "购置原料", "actor": account.user}
    return services.loan_apply(**(values | overrides))


def test_applying_creates_the_authorisation_and_the_bank_reads_under_it(account, product, bank_api):
    application = _apply(account, product)
    granted = application.authorisation
    assert granted.purpose == "loan_application" and granted.scope == SCOPE and granted.institution == product.institution
    assert (granted.ends_on - granted.starts_on).days + 1 == services.APPLICATION_AUTHORISATION_DAYS
    assert AuditEvent.objects.filter(action="finance.authorise", object_id=str(granted.authorisation_id)).exists()
    assert AuditEvent.objects.get(action="finance.application").data["event"] == "apply"
    listed = bank_api.get("/api/v1/finance/applications").json()
    assert [a["application_id"] for a in listed] == [str(application.application_id)]
    assert listed[0]["industry_zh"] == "制造业" and listed[0]["status_zh"] == "已申请，待审批"
    profile = bank_api.get(f"/api/v1/finance/profiles/{application.uscc}", reference="申请")
    assert profile.status_code == 200 and profile.json()["authorisation_id"] == listed[0]["authorisation_id"]


def test_an_application_outside_the_products_ranges_or_conditions_is_refused(account, product, department,
                                                                             system_actor):
    with pytest.raises(DomainError) as caught:
        _apply(account, product, amount="500", term_months="60", industry="Z")
    assert {p.field for p in caught.value.problems} == {"amount", "term_months", "industry"}
    with pytest.raises(DomainError) as caught:
        _apply(account, product, amount="八十")
    assert caught.value.message_zh == "申请金额须为数字（万元）"
    submit("social_insurance_payment", [social_insurance_row(1, 10, status="欠缴")], department, system_actor)
    with pytest.raises(DomainError) as caught:
        _apply(account, product)
    assert caught.value.code == "application.not_qualified" and "2026-10" in caught.value.message_zh
    assert LoanApplication.objects.count() == 0 and Authorisation.objects.count() == 0


def test_bank_records_approval_disbursement_first_loan_and_a_repayment_problem(account, product, bank_api):
    application = _apply(account, product)
    url = f"/api/v1/finance/applications/{application.application_id}"
    early = bank_api.post(f"{url}/disbursement", {"amount": 80, "disbursed_on": "2026-11-20", "first_loan": True})
    assert early.status_code == 400 and early.json()["code"] == "application.status"
    too_much = bank_api.post(f"{url}/decision", {"approved": True, "approved_amount": 301})
    assert too_much.status_code == 400 and too_much.json()["code"] == "application.amount_range"
    approved = bank_api.post(f"{url}/decision", {"approved": True, "approved_amount": 60})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    over = bank_api.post(f"{url}/disbursement", {"amount": 61, "disbursed_on": "2026-11-20", "first_loan": True})
    assert over.status_code == 400 and over.json()["code"] == "application.amount_range"
    future = bank_api.post(f"{url}/disbursement", {"amount": 60, "disbursed_on": "2026-11-21", "first_loan": True})
    assert future.status_code == 400 and future.json()["fields"][0]["field"] == "disbursed_on"
    paid = bank_api.post(f"{url}/disbursement", {"amount": 60, "disbursed_on": "2026-11-20", "first_loan": True})
    assert paid.status_code == 200 and paid.json()["first_loan"] is True and paid.json()["status_zh"] == "已放款"
    problem = bank_api.post(f"{url}/repayment-problems", {"kind": "overdue", "occurred_on": "2026-11-20", "amount": 5,
                                                          "note": "第一期利息逾期"})
    assert problem.status_code == 201 and problem.json()["repayment_problems"][0]["kind_zh"] == "逾期还款"
    unknown = bank_api.post(f"{url}/repayment-problems", {"kind": "lost", "occurred_on": "2026-11-20", "amount": 5})
    assert unknown.status_code == 400 and unknown.json()["code"] == "repayment.kind"
    events = [e.data["event"] for e in AuditEvent.objects.filter(action="finance.application").order_by("pk")]
    assert events == ["apply", "approve", "disburse", "repayment_problem"]


def test_a_refusal_needs_its_reason_and_the_enterprise_sees_it(client, account, product, bank_api):
    application = _apply(account, product)
    url = f"/api/v1/finance/applications/{application.application_id}/decision"
    assert bank_api.post(url, {"approved": False}).json()["code"] == "application.reason_required"
    assert bank_api.post(url, {"approved": False, "reason": "经营流水不足"}).status_code == 200
    client.force_login(account.user)
    page = client.get("/public/finance/").content.decode()
    assert "未获批准原因：经营流水不足" in page


def test_only_the_institution_applied_to_records_the_outcome(account, product, other_bank, system_actor, client):
    from pubcredit.accounts.services import token_create
    from tests.finance.conftest import _api

    application = _apply(account, product)
    other = _api(client, token_create(department=other_bank, actor=system_actor))
    answer = other.post(f"/api/v1/finance/applications/{application.application_id}/decision",
                        {"approved": True, "approved_amount": 50})
    assert answer.status_code == 403 and answer.json()["code"] == "application.other_institution"
    assert other.get("/api/v1/finance/applications").json() == []


def test_the_enterprise_applies_on_the_public_site(client, account, product):
    client.force_login(account.user)
    page = client.get("/public/finance/").content.decode()
    assert "申请该产品" in page
    url = f"/public/finance/products/{product.product_id}/apply/"
    refused = client.post(url, {"amount": "5", "term_months": "12", "industry": "C", "scope": SCOPE})
    assert refused.status_code == 400 and "申请金额须在10.00–300.00万元之间" in refused.content.decode()
    assert 'value="5"' in refused.content.decode()  # what was typed is kept
    done = client.post(url, {"amount": "80", "term_months": "12", "industry": "F", "scope": SCOPE}, follow=True)
    assert done.status_code == 200 and "已申请，待审批" in done.content.decode()
    assert LoanApplication.objects.get().industry == "F"


def test_a_product_is_edited_by_its_institution_checked_as_when_published(product, bank_api, department_api):
    url = f"/api/v1/finance/products/{product.product_id}"
    edited = bank_api.put(url, dict(PRODUCT, rate_min=3.2, conditions=[{"kind": "no_black_list"}]))
    assert edited.status_code == 200 and edited.json()["rate_min"] == 3.2 and edited.json()["updated_at"]
    assert len(edited.json()["conditions"]) == 1
    bad = bank_api.put(url, dict(PRODUCT, conditions=[{"kind": "continuous_months", "class_code": "gym", "months": 3}]))
    assert bad.status_code == 400 and bad.json()["code"] == "product.condition_unknown_class"
    assert department_api.put(url, PRODUCT).status_code == 403
    event = AuditEvent.objects.get(action="finance.product_change")
    assert event.data["event"] == "edit" and event.data["was"]["rate"][0] == "3.45"


def test_a_product_is_withdrawn_by_its_institution_only(client, account, product, bank_api, department_api):
    url = f"/api/v1/finance/products/{product.product_id}"
    assert department_api.post(f"{url}/withdraw", {"reason": "停办"}).status_code == 403
    assert bank_api.post(f"{url}/withdraw", {"reason": ""}).json()["code"] == "product.reason_required"
    application = _apply(account, product)
    gone = bank_api.post(f"{url}/withdraw", {"reason": "额度用完，暂停办理"})
    assert gone.status_code == 200 and gone.json()["withdrawn_at"]
    assert bank_api.get("/api/v1/finance/products").json() == []
    assert "税易贷" not in client.get("/public/finance/incentives/").content.decode()  # the public list follows
    with pytest.raises(DomainError) as caught:
        _apply(account, product)
    assert caught.value.code == "application.product_withdrawn"
    # the application already made goes on
    assert bank_api.post(f"/api/v1/finance/applications/{application.application_id}/decision",
                         {"approved": True, "approved_amount": 50}).status_code == 200
    assert AuditEvent.objects.get(action="finance.product_change").data["event"] == "withdraw"
