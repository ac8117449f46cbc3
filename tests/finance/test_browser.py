"""Browser test (issue 22): an enterprise authorises a bank on the public site, the bank reads the profile through
the API, and the enterprise sees the read in its log; on a phone (390 px) and a desk."""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

import pytest

from tests.finance.conftest import ENTERPRISE_USCC

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _bank_reads(base_url: str, token: str) -> dict:
    request = urllib.request.Request(f"{base_url}/api/v1/finance/profiles/{ENTERPRISE_USCC}?reference=DK-2026-009",
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        return json.loads(response.read())


@pytest.mark.parametrize("width", [390, 1280])
def test_enterprise_authorises_bank_reads_enterprise_sees_the_read(page, account, bank, system_actor, today, width,
                                                                   tmp_path):
    from pubcredit.accounts.services import token_create

    token = token_create(department=bank, actor=system_actor).plaintext
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base_url + "/public/finance/")
    page.wait_for_url("**/public/account/login/**")
    page.fill("input[name=username]", "qiye1")
    page.fill("input[name=password]", "Qiye-pass-2026")
    page.click("form.enterprise-login button[type=submit]")
    page.wait_for_url("**/public/finance/")

    page.select_option("select[name=institution]", bank.code)
    page.uncheck("input[name=scope][value=admin_license]")
    page.fill("input[name=purpose_note]", "流动资金贷款 DK-2026-009")
    page.click("form.grant button[type=submit]")
    page.wait_for_selector("li.authorisation[data-state=in_force]")
    assert "淄博银行张店支行" in page.inner_text("#authorisations")

    profile = _bank_reads(page.base_url, token)
    assert "admin_license" not in [s["code"] for s in profile["sections"]]
    assert profile["basic"]["name"] == "淄博测试化工有限公司1"

    page.reload()
    read = page.inner_text("li.read[data-outcome=served]")
    assert "淄博银行张店支行" in read and "已提供" in read and "DK-2026-009" in read
    screens = os.environ.get("PUBCREDIT_SCREENS_DIR")
    page.screenshot(path=str(Path(screens or tmp_path) / f"finance-enterprise-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [390, 1366])
def test_enterprise_applies_for_a_product_and_sees_the_banks_decision(page, account, bank, bank_api, department,
                                                                      system_actor, today, width, tmp_path):
    from pubcredit.finance.models import LoanApplication
    from tests.finance.helpers import social_insurance_row, submit
    from tests.finance.test_products import PRODUCT

    submit("social_insurance_payment", [social_insurance_row(1, 9, status="正常")], department, system_actor)
    assert bank_api.post("/api/v1/finance/products", PRODUCT).status_code == 201
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base_url + "/public/account/login/?next=/public/finance/")
    page.fill("input[name=username]", "qiye1")
    page.fill("input[name=password]", "Qiye-pass-2026")
    page.click("form.enterprise-login button[type=submit]")
    page.wait_for_url("**/public/finance/")
    page.click("details.apply summary")
    page.fill("form.apply input[name=amount]", "120")
    page.fill("form.apply input[name=term_months]", "12")
    page.select_option("form.apply select[name=industry]", "C")
    page.click("form.apply button[type=submit]")
    page.wait_for_selector("li.application[data-status=submitted]")
    application = LoanApplication.objects.get()
    assert bank_api.post(f"/api/v1/finance/applications/{application.application_id}/decision",
                         {"approved": True, "approved_amount": 100}).status_code == 200
    page.reload()
    assert "批准100.00万元" in page.inner_text("li.application[data-status=approved]")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    screens = os.environ.get("PUBCREDIT_SCREENS_DIR")
    page.screenshot(path=str(Path(screens or tmp_path) / f"finance-apply-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [390, 1366])
def test_operator_reads_the_lending_figures_with_charts(page, operator, account, bank, bank_api, department,
                                                        system_actor, today, width, tmp_path):
    from pubcredit.finance import services
    from tests.console.pagecheck import problems, rulebook_codes
    from tests.finance.helpers import social_insurance_row, submit
    from tests.finance.test_applications import _apply
    from tests.finance.test_products import PRODUCT

    submit("social_insurance_payment", [social_insurance_row(1, 9, status="正常")], department, system_actor)
    product = services.selectors.product_get(product_id=bank_api.post("/api/v1/finance/products", PRODUCT)
                                             .json()["product_id"])
    application = _apply(account, product)
    services.application_decide(application=application, institution=bank, approved=True, approved_amount="80",
                                actor=system_actor)
    services.application_disburse(application=application, institution=bank, amount="80", disbursed_on="2026-11-20",
                                  first_loan=True, actor=system_actor)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base_url + "/login/")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "Operator#2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/workbench/")
    page.goto(page.base_url + "/finance/figures/")
    page.wait_for_selector("#chart-months canvas")
    page.wait_for_selector("#chart-institutions canvas")
    assert page.inner_text("[data-figure=first_loan_share]") == "100.0%"
    assert problems(page, rulebook_codes()) == []
    screens = os.environ.get("PUBCREDIT_SCREENS_DIR")
    page.screenshot(path=str(Path(screens or tmp_path) / f"finance-figures-{width}.png"), full_page=True)
