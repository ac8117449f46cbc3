"""Browser test: a credit-centre operator logs in, looks a subject up and opens its page and version history."""

import pytest

from pubcredit.catalog.registry import get_class
from pubcredit.records.services import records_submit
from tests.factories import at, frame, penalty

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_login_lookup_subject_page(page, operator, department, system_actor):
    records_submit(info_class=get_class("admin_penalty"), frame=frame([penalty(1), penalty(2)]),
                   department=department, actor=system_actor, received_at=at("2026-11-18"))
    page.goto(page.base_url + "/subjects/")
    assert "/login/" in page.url
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "Operator#2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/subjects/")
    page.fill("input[name=q]", "测试化工有限公司1")
    page.wait_for_selector("#results a:has-text('淄博测试化工有限公司1')")  # htmx live results
    page.click("#results a:has-text('淄博测试化工有限公司1')")
    page.wait_for_selector("h1:has-text('淄博测试化工有限公司1')")
    assert "淄市监罚〔2026〕1号" in page.inner_text("main")
    page.click("button:has-text('历史')")
    page.wait_for_selector("text=的版本历史")
    page.click("summary:has-text('字段')")
    assert "行政处罚决定书文号" in page.inner_text("main")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    assert page.is_visible("h1:has-text('淄博测试化工有限公司1')")
