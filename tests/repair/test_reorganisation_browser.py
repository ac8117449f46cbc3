"""Browser: bankruptcy reorganisation shielding (破产重整信用修复, NDRC Order 36 art. 20) — the enterprise applies on the
public site with the court's ruling, the identifying unit shields the item on its queue with one click, the item
leaves the public page and a new check, the enterprise sees its shielding. Each new page is looked at on a desktop
and a 390 px phone, nothing wider than the screen."""

import pytest

from pubcredit.accounts.choices import Role
from pubcredit.accounts.services import enterprise_account_create, user_create
from pubcredit.repair.models import RepairApplication
from pubcredit.sanctions.services import check_run
from tests.factories import uscc
from tests.repair.test_evidence import PDF
from tests.repair.test_public_browser import both_widths, listed, staff_login  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "Qiye-browser-2026"


def test_enterprise_applies_for_reorganisation_shielding_and_the_unit_shields_the_entry(
        page, chromium, listed, system_actor, tmp_path):  # noqa: F811
    record, entry, tax = listed["record"], listed["entry"], listed["tax"]
    enterprise_account_create(username="chongzheng", password=PASSWORD, uscc=uscc(1), enterprise_name=record.subject.name,
                              display_name="张律师", contact_phone="13800000001", actor=system_actor)
    page.goto(page.base_url + "/public/account/login/?next=/public/repair/")
    page.fill("input[name=username]", "chongzheng")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.enterprise-login button[type=submit]")
    page.wait_for_url("**/public/repair/")
    page.locator(f"li.item[data-record='{record.pk}']").locator("text=破产重整期间申请临时屏蔽").click()
    assert "国家发展改革委令第36号第二十条" in page.inner_text("#item")
    ruling = tmp_path / "批准重整计划裁定书.pdf"
    ruling.write_bytes(PDF)
    page.check("input[name=applicant_role][value=administrator]")
    page.fill("input[name=court_ruling_no]", "（2026）鲁03破12号之一")
    page.fill("textarea[name=plan_description]", "重整计划已获批准，正在执行；重大税收违法失信信息影响重整投资人招募")
    page.set_input_files("input[name=files]", str(ruling))
    both_widths(page, "repair-reorganisation-apply")
    page.click("button:has-text('提交申请')")
    page.wait_for_selector("text=破产重整信用修复申请已提交")
    app = RepairApplication.objects.get()
    assert app.kind == "reorganisation" and app.applicant_role == "administrator"

    user_create(username="tax-rev2", password="Reviewer#2026x", role=Role.REVIEWER, display_name="税务审核人",
                department=tax, actor=system_actor)
    unit = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    unit.base_url = page.base_url
    staff_login(unit, "tax-rev2", "Reviewer#2026x")
    unit.goto(unit.base_url + "/repair/")
    assert "破产重整" in unit.inner_text("#applications") and "批准重整计划裁定书.pdf" in unit.inner_text("#applications")
    both_widths(unit, "repair-queue-reorganisation")
    unit.click("#applications button:has-text('临时屏蔽（第二十条）')")
    unit.wait_for_selector("text=已办理")
    assert "待重整计划执行结果" in unit.inner_text("#applications")
    both_widths(unit, "repair-queue-shielded")

    page.goto(page.base_url + "/public/repair/")
    assert "临时屏蔽中" in page.inner_text("#applications")
    both_widths(page, "repair-items-shielded")
    page.goto(f"{page.base_url}/public/subjects/{record.subject_id}/")
    assert page.locator(f"[data-entry='{entry.pk}']").count() == 0
    after = check_run(department=tax, subject={"uscc": uscc(1)}, scenario="government_procurement",
                      actor=system_actor)
    assert after.hits == []
