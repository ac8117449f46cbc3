"""Browser test: a department's business user checks a subject before a procurement, sees the list and the
measures with their legal basis, and reports on each measure (htmx), until the check is fully reported."""

import pytest

from tests.factories import uscc
from tests.lists.helpers import court_row, submit_list

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_check_then_feedback_flow(page, business_user, department, system_actor, today):
    submit_list("court_dishonest_debtor", [court_row(1)], department, system_actor)
    page.goto(page.base_url + "/sanctions/check/")
    assert "/login/" in page.url
    page.fill("input[name=username]", "buyer")
    page.fill("input[name=password]", "Buyer#2026x")
    page.click("button[type=submit]")
    page.wait_for_url("**/sanctions/check/")
    page.check("input[name=kind][value=uscc]")
    page.fill("input[name=code]", uscc(1))
    page.select_option("select[name=scenario]", "government_procurement")
    page.fill("input[name=reference]", "ZBCG-2026-118")
    page.click("#check-form button[type=submit]")
    page.wait_for_selector("h1:has-text('核查结果')")
    assert "淄博失信测试有限公司1" in page.inner_text("[data-testid=subject]")
    hits = page.inner_text("#hits")
    assert "失信被执行人" in hits and "拒绝参与政府采购活动" in hits and "第二十二条" in hits
    assert "待反馈" in page.inner_text("[data-testid=feedback-state]")

    forms = page.locator("#feedback .measure-feedback form")  # the per-measure forms (not the one for all)
    count = forms.count()
    assert count >= 2
    # not applying a measure needs a reason: the form says so and nothing is recorded
    first = page.locator("#feedback .measure-feedback").first
    first.locator("input[value='0']").check()
    first.locator("button[type=submit]").click()
    page.wait_for_selector("#feedback .errorlist:has-text('须说明理由')")
    for i in range(count):
        block = page.locator("#feedback .measure-feedback").nth(i)
        block.locator("input[value='1']").check()
        block.locator("textarea").fill("已在资格审查中处理")
        block.locator("button[type=submit]").click()
        page.wait_for_selector(f"#feedback .measure-feedback:nth-of-type({i + 1}) [data-testid=latest]")
    page.wait_for_selector("[data-testid=feedback-state]:has-text('已全部反馈')")

    page.goto(page.base_url + "/sanctions/checks/?awaiting=1")
    assert "暂无" in page.inner_text("#checks")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(page.base_url + "/sanctions/check/")
    assert page.is_visible("#check-form")


def test_check_page_shows_what_applies_what_to_verify_and_why_a_measure_was_left_out(page, business_user, department,
                                                                                    system_actor, today):
    """财库〔2022〕3号 in the console: a SAMR listing behind a 50万元 fine is not a procurement bar; the replay says which
    condition decided it; an officer reads every label in Chinese."""
    from tests.lists.helpers import samr_row

    submit_list("samr_serious_violation", [samr_row(1, penalty_types="罚款", fine_amount="50")], department,
                system_actor)
    page.goto(page.base_url + "/login/?next=/sanctions/check/")
    page.fill("input[name=username]", "buyer")
    page.fill("input[name=password]", "Buyer#2026x")
    page.click("button[type=submit]")
    page.wait_for_url("**/sanctions/check/")
    page.check("input[name=kind][value=uscc]")
    page.fill("input[name=code]", uscc(1))
    page.select_option("select[name=scenario]", "government_procurement")
    page.click("#check-form button[type=submit]")
    page.wait_for_selector("h1:has-text('核查结果')")
    hits = page.inner_text("#hits")
    assert "重要考量因素" in hits and "3年内不得参加政府采购" not in hits
    assert page.locator("#hits [data-measure='samr.procurement_factor'] [data-testid=applies]").inner_text() == "适用"
    row = page.locator("#conditions tr[data-measure='samr.procurement_major_violation']")
    assert row.get_attribute("data-applies") == "no"
    text = row.inner_text()
    assert "不适用" in text and "罚款为200万元以上" in text and "不满足" in text


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desk", "phone"])
def test_feedback_for_all_measures_in_one_form_on_desk_and_phone(page, business_user, department, system_actor,
                                                                 today, viewport):
    """Issue 21 item 4: the clerk reports on every measure of a check in one submission, on a desk and a phone,
    without the page overflowing sideways; a missing reason is named by its measure and nothing is kept."""
    from pubcredit.sanctions import services
    from pubcredit.sanctions.choices import CheckChannel
    from pubcredit.sanctions.models import Check

    submit_list("court_dishonest_debtor", [court_row(1)], department, system_actor)
    check = services.check_run(department=business_user.department, subject={"uscc": uscc(1)},
                               scenario="government_procurement", reference="ZBCG-2026-119", actor=business_user,
                               channel=CheckChannel.CONSOLE)
    page.set_viewport_size(viewport)
    page.goto(page.base_url + f"/sanctions/checks/{check.check_id}/")
    page.fill("input[name=username]", "buyer")
    page.fill("input[name=password]", "Buyer#2026x")
    page.click("button[type=submit]")
    page.wait_for_selector("#feedback-all")
    overflow = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert page.evaluate(overflow) <= 1
    blocks = page.locator("#feedback-all fieldset")
    count = blocks.count()
    assert count >= 2
    first_name = blocks.first.locator("legend").inner_text()
    for i in range(count):
        blocks.nth(i).locator("input[value='1']").check()
    blocks.first.locator("input[value='0']").check()  # not applied, and the reason forgotten
    page.click("#feedback-all button[type=submit]")
    page.wait_for_selector(f"#feedback-all .errorlist:has-text('{first_name}：未实施该措施的，须说明理由')")
    assert Check.objects.get(pk=check.pk).feedback.count() == 0
    assert page.evaluate(overflow) <= 1

    blocks = page.locator("#feedback-all fieldset")
    blocks.first.get_by_label("说明（未实施的须说明理由）").fill("该项目资金不属于财政性资金")  # the note box is labelled
    page.click("#feedback-all button[type=submit]")
    page.wait_for_selector("[data-testid=feedback-state]:has-text('已全部反馈')")
    assert page.locator("#feedback-all").count() == 0
    assert page.locator("#feedback [data-testid=latest]").count() == count
    assert "未实施：该项目资金不属于财政性资金" in page.inner_text("#feedback")
    assert page.evaluate(overflow) <= 1
    assert Check.objects.get(pk=check.pk).feedback_complete
