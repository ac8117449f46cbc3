"""Browser test of issue 22's whole path through the banks' own console: the enterprise authorises a bank on the
public site, the bank's officer logs in to its console and reads the profile, the enterprise sees the read; and every
bank page at a phone's and a desk's width (no sideways overflow, no English, no raw code)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.finance.conftest import ENTERPRISE_USCC

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _shot(page, name: str, tmp_path) -> None:
    screens = os.environ.get("PUBCREDIT_SCREENS_DIR")
    page.screenshot(path=str(Path(screens or tmp_path) / name), full_page=True)


@pytest.mark.parametrize("width", [390, 1366])
def test_enterprise_authorises_the_bank_reads_in_its_console_the_enterprise_sees_the_read(
        page, chromium, live_server, account, bank, system_actor, today, width, tmp_path):
    from pubcredit.finance.services import bank_officer_create
    from tests.console.pagecheck import problems, rulebook_codes

    bank_officer_create(username="zbbank1", password="Bank-pass-2026", institution=bank.code, display_name="王信贷",
                        actor=system_actor)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base_url + "/public/account/login/?next=/public/finance/")
    page.fill("input[name=username]", "qiye1")
    page.fill("input[name=password]", "Qiye-pass-2026")
    page.click("form.enterprise-login button[type=submit]")
    page.wait_for_url("**/public/finance/")
    page.select_option("select[name=institution]", bank.code)
    page.uncheck("input[name=scope][value=admin_license]")
    page.fill("input[name=purpose_note]", "流动资金贷款 DK-2026-021")
    page.click("form.grant button[type=submit]")
    page.wait_for_selector("li.authorisation[data-state=in_force]")

    # the bank's officer, in a browser of its own, through the staff login to its console
    context = chromium.new_context(locale="en-US", viewport={"width": width, "height": 900})
    bank_page = context.new_page()
    bank_page.set_default_timeout(30_000)
    try:
        bank_page.goto(live_server.url + "/login/")
        bank_page.fill("input[name=username]", "zbbank1")
        bank_page.fill("input[name=password]", "Bank-pass-2026")
        bank_page.click("button[type=submit]")
        bank_page.wait_for_url("**/finance/bank/")
        assert problems(bank_page, rulebook_codes()) == []
        _shot(bank_page, f"finance-bank-home-{width}.png", tmp_path)
        bank_page.goto(live_server.url + "/finance/bank/authorisations/")
        row = bank_page.locator(f"tr[data-uscc='{ENTERPRISE_USCC}'][data-state=in_force]")
        row.locator("input[name=reference]").fill("DK-2026-021")
        row.locator("button[type=submit]").click()
        bank_page.wait_for_selector("#profile")
        assert bank_page.locator("[data-section=admin_penalty]").count() == 1
        assert bank_page.locator("[data-section=admin_license]").count() == 0  # outside the scope
        assert "欠缴" in bank_page.inner_text("[data-section=social_insurance_payment]")
        assert problems(bank_page, rulebook_codes()) == []
        _shot(bank_page, f"finance-bank-read-{width}.png", tmp_path)
        bank_page.goto(live_server.url + "/subjects/")  # the government workbench stays closed
        assert "金融机构用户只能使用本机构的信易贷工作台" in bank_page.inner_text("main")
    finally:
        context.close()

    page.reload()
    read = page.inner_text("li.read[data-outcome=served]")
    assert "淄博银行张店支行" in read and "DK-2026-021" in read


@pytest.mark.parametrize("width", [390, 1366])
def test_every_bank_page_reads_well_on_a_phone_and_a_desk(page, account, bank, department, system_actor, today, width,
                                                         tmp_path):
    from pubcredit.finance import services
    from tests.console.pagecheck import problems, rulebook_codes
    from tests.finance.helpers import social_insurance_row, submit
    from tests.finance.test_products import PRODUCT

    submit("social_insurance_payment", [social_insurance_row(1, 9, status="正常")], department, system_actor)
    product = services.loan_product_publish(institution=bank, actor=system_actor, **PRODUCT)
    application = services.loan_apply(account=account, product=product, amount="80", term_months="12",
                                      industry="C", scope=["admin_penalty", "social_insurance_payment"],
                                      actor=account.user)
    services.bank_officer_create(username="zbbank1", password="Bank-pass-2026", institution=bank.code,
                                 actor=system_actor)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base_url + "/login/?next=/finance/bank/")
    page.fill("input[name=username]", "zbbank1")
    page.fill("input[name=password]", "Bank-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/finance/bank/")
    pages = {"products": "/finance/bank/products/", "applications": "/finance/bank/applications/",
             "application": f"/finance/bank/applications/{application.application_id}/",
             "authorisations": "/finance/bank/authorisations/", "profile": "/finance/bank/profile/",
             "persons": "/finance/bank/persons/",
             "product-edit": f"/finance/bank/products/{product.product_id}/edit/"}
    for name, path in pages.items():
        page.goto(page.base_url + path)
        assert page.locator("#site-header").count() == 1
        assert problems(page, rulebook_codes()) == [], (name, problems(page, rulebook_codes()))
        _shot(page, f"finance-bank-{name}-{width}.png", tmp_path)
    # the decision through the page, as a clerk does it
    page.goto(page.base_url + pages["application"])
    page.check("form.decision input[name=approved][value=yes]")
    page.fill("form.decision input[name=approved_amount]", "60")
    page.click("form.decision button[type=submit]")
    page.wait_for_selector("form.disbursement")
    assert "批准60.00万元" in page.inner_text("#application-facts")
