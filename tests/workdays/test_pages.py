"""Browser test: an operator opens the 工作日历 page, adds a holiday and sees it listed."""

import pytest

from pubcredit.workdays.models import CalendarDay

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_operator_adds_a_holiday_on_the_calendar_page(page, operator):
    page.goto(page.base_url + "/calendar/?year=2026")
    assert "/login/" in page.url
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "Operator#2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/calendar/?year=2026")
    assert page.is_visible("h1:has-text('工作日历 · 2026年')")
    assert page.is_visible("nav a:has-text('工作日历')")

    form = page.locator("#set-day")
    form.locator("input[name=date]").fill("2026-11-23")
    form.locator("select[name=kind]").select_option("holiday")
    form.locator("input[name=name]").fill("浏览器测试假日")
    form.locator("button[type=submit]").click()

    row = page.locator("tr[data-date='2026-11-23']")
    row.wait_for()
    assert "法定节假日" in row.inner_text() and "浏览器测试假日" in row.inner_text()
    assert "已保存" in page.inner_text("main")
    assert CalendarDay.objects.get(date="2026-11-23").source == "operator"
