"""Browser: a citizen searches, opens a subject page, then the 双公示 listings — on a desktop and on a phone."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def walk(page):
    page.goto(page.base_url + "/public/")
    page.fill("input[name=q]", "鑫源化工")
    page.click("form.search button")
    page.wait_for_selector("#results a:has-text('淄博鑫源化工有限公司')")
    page.click("#results a:has-text('淄博鑫源化工有限公司')")
    page.wait_for_selector("h1:has-text('淄博鑫源化工有限公司')")
    text = page.inner_text("main")
    assert "淄市监罚〔2026〕1号" in text and "一般失信" in text and "公示期：2026-11-18 至 2027-11-15" in text
    assert "淄市监许〔2026〕1号" in text and "淄市监罚〔2026〕5号" not in text
    # two characters work too
    page.fill("input[name=q]", "华瑞")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("#results a:has-text('淄博华瑞医药有限公司')")
    page.click("header nav a:has-text('行政处罚公示')")
    page.wait_for_selector("h1:has-text('行政处罚公示')")
    assert "淄市监罚〔2026〕6号" in page.inner_text("#listing")
    page.select_option("select[name=department]", "SCJGJ")
    page.click("form.filters button")
    page.wait_for_url("**department=SCJGJ**")
    listing = page.inner_text("#listing")
    assert "淄市监罚〔2026〕8号" in listing and "淄市监罚〔2026〕6号" not in listing
    page.click("header nav a:has-text('行政许可公示')")
    page.wait_for_selector("h1:has-text('行政许可公示')")
    assert "淄市监许〔2026〕2号" in page.inner_text("#listing")


def test_search_subject_and_listings(page, site, today):
    walk(page)


def test_on_a_phone(chromium, live_server, site, today):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                   has_touch=True, device_scale_factor=2)
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    phone.base_url = live_server.url
    try:
        walk(phone)
        # nothing wider than the screen: no sideways scrolling on a phone
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.click("header nav a:has-text('行政处罚公示')")
        phone.wait_for_selector("h1:has-text('行政处罚公示')")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
