"""Browser test: an operator opens the city's real-time sharing page, then a department's figures with its chart."""

import datetime as dt

import pytest

from pubcredit.catalog.registry import get_class
from pubcredit.records.services import records_submit
from pubcredit.rules import clock
from tests.factories import at, frame, penalty

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_operator_sees_city_share_and_a_department_chart(page, operator, department, district_department,
                                                         system_actor):
    today = clock.today()
    decided = today - dt.timedelta(days=1)
    rows = [penalty(n, decision_date=decided.isoformat(), valid_until=(today + dt.timedelta(days=365)).isoformat())
            for n in (1, 2, 3)]
    records_submit(info_class=get_class("admin_penalty"), frame=frame(rows), department=department,
                   actor=system_actor, received_at=at(today.isoformat(), 0))

    page.goto(page.base_url + "/departments/figures/")
    assert "/login/" in page.url
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "Operator#2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/departments/figures/")
    share = page.inner_text("[data-testid=city-share]")
    assert "实时共享部门占比" in share and "100.0%" in share and "（目标 ≥ 90%）" in share
    assert "无数据" in page.inner_text("tr[data-department='ZD-SCJG']")  # nothing sent: listed, not counted

    page.click("a:has-text('淄博市市场监督管理局')")
    page.wait_for_selector("h1:has-text('淄博市市场监督管理局 · 报送统计')")
    page.wait_for_selector("#chart-by-month canvas")  # ECharts drew into a <canvas> inside the chart div
    box = page.locator("#chart-by-month canvas").first.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 200
    assert "实时共享" in page.inner_text("[data-testid=verdict]")
    assert page.inner_text("[data-figure=new_records]") == "3"
