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


def _login(page, username, password, path="/calendar/?year=2027"):
    page.goto(page.base_url + path)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_operator_sees_from_1_november_that_next_years_schedule_is_missing_until_it_is_loaded(page, operator):
    """The workbench banner: from 1 November, while next year's holiday schedule is not loaded (2027 here)."""
    import datetime as dt

    from pubcredit.audit.services import SystemActor
    from pubcredit.rules import clock
    from pubcredit.workdays.services import calendar_day_set

    # 2026 is loaded (the seed; a transactional test on PostgreSQL may start from an empty table)
    calendar_day_set(day=dt.date(2026, 10, 1), kind="holiday", name="国庆节", actor=SystemActor("test"))
    with clock.pinned(dt.date(2026, 10, 31)):
        _login(page, "operator", "Operator#2026")
        assert page.locator("[data-testid=calendar-banner]").count() == 0
    with clock.pinned(dt.date(2026, 11, 2)):
        page.goto(page.base_url + "/calendar/?year=2027")
        banner = page.locator("[data-testid=calendar-banner]")
        assert banner.is_visible() and "2027年节假日安排尚未载入" in banner.inner_text()
        form = page.locator("#set-day")
        form.locator("input[name=date]").fill("2027-01-01")
        form.locator("select[name=kind]").select_option("holiday")
        form.locator("input[name=name]").fill("元旦")
        form.locator("button[type=submit]").click()
        page.locator("tr[data-date='2027-01-01']").wait_for()
        assert page.locator("[data-testid=calendar-banner]").count() == 0


def test_calendar_banner_is_for_operators_not_for_data_providers(page, provider):
    import datetime as dt

    from pubcredit.rules import clock

    with clock.pinned(dt.date(2026, 11, 2)):
        _login(page, "provider", "Provider#2026", path="/workbench/")
        assert "/login/" not in page.url
        assert page.locator("[data-testid=calendar-banner]").count() == 0
