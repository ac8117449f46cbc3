"""Browser test (issue 23): a firm files an arrears complaint on the public site with its contract as evidence; the
credit centre transfers it; the handling department verifies the amount owed and records a payment plan; the
leader's 清欠统计 shows the debtor, the amount and the plan; at phone and desk width."""

import pytest

from tests.integrity.helpers import GOVERNMENT_DEBTOR, FIRM, PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _districts(db):
    """A transactional test after another may find the migrations' districts flushed: load them from the rulebook."""
    from pubcredit.accounts.services import districts_sync_from_rulebook

    districts_sync_from_rulebook()


def _login(chromium, base_url, username, password, *, width=1280):
    context = chromium.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(base_url + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/workbench/")
    return context, page


def test_complaint_then_transfer_verify_plan_and_the_leaders_view(page, chromium, today, operator, handler, leader,
                                                                  tmp_path):
    base = page.base_url
    page.set_viewport_size({"width": 390, "height": 844})  # the firm files from a phone
    page.goto(base + "/public/integrity/arrears/")
    page.fill("input[name=complainant_name]", "淄博小微建筑有限公司")
    page.fill("input[name=complainant_uscc]", FIRM)
    page.fill("input[name=contact_name]", "王经理")
    page.fill("input[name=contact_phone]", "0533-1234567")
    page.fill("input[name=debtor_name]", "淄博市某某局")
    page.fill("input[name=debtor_uscc]", GOVERNMENT_DEBTOR)
    page.fill("input[name=contract_ref]", "办公楼维修工程合同（ZB-2026-018）")
    page.fill("input[name=claimed_amount]", "120000")
    page.fill("textarea[name=description]", "工程已于2026年6月验收合格，约定验收后30日内付款，至今未付。")
    contract = tmp_path / "合同.pdf"
    contract.write_bytes(PDF)
    page.set_input_files("input[name=evidence]", str(contract))
    page.screenshot(path=str(tmp_path / "public-phone.png"), full_page=True)
    page.click("form.complaint button[type=submit]")
    receipt = page.inner_text("#receipt")
    assert "QQ2026-00001" in receipt and "机关" in receipt and "1个文件" in receipt

    context, clerk = _login(chromium, base, "operator", "Operator#2026")
    clerk.click("nav >> text=拖欠账款台账")
    clerk.click("text=QQ2026-00001")
    clerk.select_option("#assign-form select[name=department]", label=str(handler.department))
    clerk.click("#assign-form button[type=submit]")
    assert "已转交张店区市场监督管理局处理" in clerk.inner_text("main")
    context.close()

    context, clerk = _login(chromium, base, "handler", "Handler#2026", width=390)
    clerk.goto(base + "/integrity/arrears/")
    clerk.click("text=QQ2026-00001")
    clerk.select_option("#verify-form select[name=outcome]", "confirmed")
    clerk.fill("#verify-form input[name=amount_owed]", "100000")
    clerk.fill("#verify-form textarea[name=note]", "合同、验收单属实；2万元为质保金未到期")
    clerk.click("#verify-form button[type=submit]")
    clerk.fill("#plan-form input[name=plan_last_day]", "2026-12-31")
    clerk.fill("#plan-form textarea[name=plan_note]", "12月15日前付6万元，12月31日前付4万元")
    clerk.click("#plan-form button[type=submit]")
    facts = clerk.inner_text("#complaint-facts")
    assert "按计划清偿中" in facts and "2026-12-31前还清" in facts and "100,000.00元" in facts
    clerk.screenshot(path=str(tmp_path / "detail-phone.png"), full_page=True)
    context.close()

    context, boss = _login(chromium, base, "leader", "Leader#2026")
    boss.goto(base + "/integrity/arrears/figures/")
    assert "100,000.00元" in boss.inner_text("#totals")
    by_debtor = boss.inner_text("#by-debtor")
    assert "淄博市某某局" in by_debtor and "0.0%" in by_debtor
    assert "张店区市场监督管理局" in boss.inner_text("#by-department")
    boss.screenshot(path=str(tmp_path / "figures-desk.png"), full_page=True)
    context.close()
