"""Browser: the whole repair path on the public site (issue 13 tests) — an enterprise registers, the credit centre
confirms it with a code, the enterprise applies with a proof file and the signed commitment, the identifying unit
accepts and grants on its workbench, and the entry is gone from the public page and from a new check. Each new page
is looked at on a desktop and a 390 px phone, nothing wider than the screen."""

import os
from pathlib import Path

import pytest

from pubcredit.accounts.choices import Role
from pubcredit.accounts.services import department_create, user_create
from pubcredit.lists.models import ListEntry
from pubcredit.records.models import CreditRecord
from pubcredit.repair.models import RepairApplication
from pubcredit.sanctions.services import check_run
from tests.factories import uscc
from tests.lists.helpers import submit_list, tax_violator_row
from tests.repair.test_evidence import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SHOTS = Path(os.environ.get("PUBCREDIT_SCREENSHOTS", "")) if os.environ.get("PUBCREDIT_SCREENSHOTS") else None
PASSWORD = "Qiye-browser-2026"


def shoot(page, name):
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def fits(page, width, name):
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 900})
    # a chart drawn at the old width resizes on the resize event: measure after two frames, not before
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    shoot(page, f"{name}-{width}")


def both_widths(page, name):
    for width in (1280, 390):
        fits(page, width, name)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def listed(system_actor, settings, tmp_path, today):
    """A major tax violator (重大税收违法失信主体) listed 2026-03-05: eligible after 6 months (令第54号 第十八条)."""
    settings.PUBCREDIT_REPAIR_EVIDENCE_DIR = tmp_path / "evidence"
    settings.PUBCREDIT_REPAIR_SCAN_COMMAND = ""
    settings.PUBCREDIT_ENTERPRISE_CODE_NOTIFIER = ""
    tax = department_create(code="SWJ", name="国家税务总局淄博市税务局", uscc="11370300MB2851236H", actor=system_actor)
    result, _ = submit_list("major_tax_violator", [tax_violator_row(1, decision_date="2026-03-02")], tax,
                            system_actor, when="2026-03-05")
    user_create(username="operator", password="Operator#2026x", role=Role.OPERATOR, display_name="信用中心操作员",
                actor=system_actor)
    user_create(username="tax-rev", password="Reviewer#2026x", role=Role.REVIEWER, display_name="税务审核人",
                department=tax, actor=system_actor)
    record = CreditRecord.objects.get(pk=result.record_ids[0])
    return {"record": record, "entry": ListEntry.objects.get(record=record), "tax": tax}


def staff_login(page, username, password):
    page.goto(page.base_url + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/workbench/")


def test_enterprise_registers_applies_and_the_granted_entry_leaves_page_and_check(page, chromium, listed,
                                                                                 system_actor, tmp_path):
    record, entry, tax = listed["record"], listed["entry"], listed["tax"]
    before = check_run(department=tax, subject={"uscc": uscc(1)}, scenario="government_procurement",
                       actor=system_actor)
    assert [h["entry_id"] for h in before.hits] == [entry.pk]
    page.goto(f"{page.base_url}/public/subjects/{record.subject_id}/")
    assert page.locator(f"[data-entry='{entry.pk}']").count() == 1

    # 1. the enterprise registers on the public site
    page.goto(page.base_url + "/public/account/register/")
    both_widths(page, "enterprise-register")
    page.fill("input[name=uscc]", uscc(1))
    page.fill("input[name=enterprise_name]", "淄博税收违法测试有限公司1")
    page.fill("input[name=legal_representative]", "赵六")
    page.fill("input[name=contact_name]", "钱会计")
    page.fill("input[name=contact_phone]", "13800000001")
    page.fill("input[name=username]", "shuiwu-qiye")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password_again]", PASSWORD)
    page.click("button:has-text('提交注册')")
    page.wait_for_selector("text=注册已提交")
    assert "待核验" in page.inner_text("#registration")
    both_widths(page, "enterprise-registered")

    # 2. the credit centre checks it and issues the code (shown once)
    staff = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    staff.base_url = page.base_url
    staff_login(staff, "operator", "Operator#2026x")
    staff.goto(staff.base_url + "/departments/enterprise-registrations/")
    assert "赵六" in staff.inner_text("#registrations")
    staff.click("button:has-text('核验通过，生成确认码')")
    code = staff.inner_text("[data-testid=confirmation-code]").strip()
    assert len(code) == 6
    both_widths(staff, "enterprise-registrations")

    # 3. the enterprise confirms with the code and is logged in
    page.goto(page.base_url + "/public/account/confirm/")
    page.fill("input[name=username]", "shuiwu-qiye")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=code]", code)
    page.click("button:has-text('确认开通')")
    page.wait_for_selector("text=企业用户已开通")

    # 4. it sees its entry with its eligibility and applies with a proof file and the signed commitment
    page.click("text=本企业信用信息与信用修复、异议申诉")
    item = page.locator(f"li.item[data-record='{record.pk}']")
    assert item.get_attribute("data-eligible") == "yes"
    both_widths(page, "repair-items")
    item.locator("a.button:has-text('申请信用修复')").click()
    assert "诚信纳税承诺书" in page.inner_text("#commitment")  # a tax-list entry: 令第54号 第十九条
    proof = tmp_path / "完税证明.pdf"
    proof.write_bytes(PDF)
    page.fill("textarea[name=proof_description]", "税款、滞纳金和罚款已于2026年6月全部缴清")
    page.set_input_files("input[name=files]", str(proof))
    page.check("input[name=commitment_signed]")
    both_widths(page, "repair-apply")
    page.click("button:has-text('提交申请')")
    page.wait_for_selector("text=信用修复申请已提交")
    app = RepairApplication.objects.get()
    assert app.state == "received" and "签署人：赵六" in app.commitment_text

    # 5. the identifying unit accepts and grants on its workbench, one click each
    unit = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    unit.base_url = page.base_url
    staff_login(unit, "tax-rev", "Reviewer#2026x")
    unit.goto(unit.base_url + "/repair/")
    assert "完税证明.pdf" in unit.inner_text("#applications")
    unit.click("#applications button:has-text('受理')")
    unit.wait_for_selector("text=已办理")
    unit.fill("#applications input[placeholder='准予修复的依据']", "税款滞纳金罚款已缴清，公布满6个月")
    unit.click("#applications button:has-text('准予修复')")
    unit.wait_for_selector("text=已办理")
    app.refresh_from_db()
    entry.refresh_from_db()
    assert app.state == "granted" and entry.status != "in_force"

    # the unit's monthly figures: charts drawn (ECharts canvas), the grant counted
    unit.goto(unit.base_url + "/repair/figures/")
    unit.wait_for_selector("#chart-counts canvas")
    assert "国家税务总局淄博市税务局" in unit.inner_text("#units")
    both_widths(unit, "repair-figures")

    # 6. the applicant reads the result; the entry is gone from the public page and from a new check
    page.goto(page.base_url + "/public/repair/")
    assert "准予修复" in page.inner_text("#applications")
    both_widths(page, "repair-items-granted")
    page.goto(f"{page.base_url}/public/subjects/{record.subject_id}/")
    assert page.locator(f"[data-entry='{entry.pk}']").count() == 0
    after = check_run(department=tax, subject={"uscc": uscc(1)}, scenario="government_procurement",
                      actor=system_actor)
    assert after.hits == []
