"""Browser tests of the workbench as each role uses it (issue 21), on a desk (1366×900) and a phone (390×844).

Every page the role's menu offers, and the first links those pages offer, must fit the screen (no sideways scroll of
the page), speak Chinese (no English word outside an allow-list, no raw rulebook code), and any 4xx page must carry
the site header. The browser asks for English: the interface stays Chinese. Set PUBCREDIT_SCREENS=docs/screens to
save each role's home as a PNG (docs/workbench.md shows them).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from pubcredit.accounts.services import districts_sync_from_rulebook
from pubcredit.lists.models import ListEntry
from tests.console.pagecheck import menu_links, page_links, problems, rulebook_codes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
DEMO_LOGINS = {"operator": "Operator#2026", "zhangdian": "District#2026", "scjg": "Provider#2026",
               "zjj": "Business#2026", "reviewer": "Reviewer#2026"}
SECOND_LEVEL_LINKS = 3  # per menu page, on the phone: detail pages the lists lead to


@pytest.fixture
def demo(today):
    # an earlier transactional test may have flushed the districts the migration loads
    districts_sync_from_rulebook()
    call_command("seed_demo", "--subjects", "60", "--records", "200", "--seed", "7")


def _english_context(chromium, viewport):
    return chromium.new_context(locale="en-US", viewport=viewport,
                                extra_http_headers={"Accept-Language": "en-US,en;q=0.9"})


def _login(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_LOGINS[username])
    page.click("button[type=submit]")
    page.wait_for_url("**/workbench/")


def _visit(page, url: str, codes: set[str]) -> list[str]:
    response = page.goto(url)
    found = problems(page, codes)
    if response is not None and response.status >= 400 and not page.query_selector("#site-header"):
        found.append(f"{response.status} page without the site header")
    return found


@pytest.mark.parametrize("username", list(DEMO_LOGINS))
def test_every_page_of_the_role_fits_speaks_chinese_and_breaks_no_csp_rule(chromium, live_server, demo, username):
    codes = rulebook_codes()
    screens = os.environ.get("PUBCREDIT_SCREENS")
    failures: list[str] = []
    for viewport in (DESK, PHONE):
        context = _english_context(chromium, viewport)
        page = context.new_page()
        page.set_default_timeout(15_000)
        refused: list[str] = []  # what the Content-Security-Policy blocked: a style or script written inline
        page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(f"{page.url}: {m.text}"))
        _login(page, live_server.url, username)
        assert page.query_selector("#inbox .counter"), "the home is an inbox of counts"
        if screens:
            page.screenshot(path=str(Path(screens) / f"home-{username}-{viewport['width']}.png"))
        failures += [f"{viewport['width']} /workbench/: {p}" for p in problems(page, codes)]
        visited = {"/workbench/"}
        for link in menu_links(page):
            if link in visited:
                continue
            visited.add(link)
            failures += [f"{viewport['width']} {link}: {p}" for p in _visit(page, live_server.url + link, codes)]
            if viewport is PHONE:
                for inner in [h for h in page_links(page) if h not in visited][:SECOND_LEVEL_LINKS]:
                    visited.add(inner)
                    failures += [f"{viewport['width']} {inner}: {p}"
                                 for p in _visit(page, live_server.url + inner, codes)]
        assert len(visited) > 4, f"{username}'s menu offers pages"
        failures += [f"{viewport['width']} CSP refused {r}" for r in refused]
        context.close()
    assert not failures, "\n".join(failures)


def test_the_phone_menu_opens_and_closes(chromium, live_server, demo):
    context = _english_context(chromium, PHONE)
    page = context.new_page()
    _login(page, live_server.url, "scjg")
    assert not page.is_visible("#site-menu")  # collapsed: the page starts with the person's work
    page.click("button.menu-toggle")
    assert page.is_visible("#site-menu a:has-text('信息归集')")
    page.click("button.menu-toggle")
    assert not page.is_visible("#site-menu")
    context.close()


def test_forbidden_and_missing_pages_are_the_platforms_own(chromium, live_server, demo):
    context = _english_context(chromium, DESK)
    page = context.new_page()
    _login(page, live_server.url, "zjj")
    response = page.goto(live_server.url + "/collection/upload/")  # a business user does not submit data
    assert response.status == 403
    assert page.is_visible("#site-header") and page.is_visible("text=无权访问此页面")
    assert "仅数据提供单位和信用中心操作员可使用信息归集" in page.inner_text("[data-testid=reason]")
    page.click("a:has-text('返回首页')")
    page.wait_for_url("**/workbench/")
    response = page.goto(live_server.url + "/no-such-page/")
    assert response.status == 404 and page.is_visible("#site-header") and page.is_visible("text=页面不存在")
    context.close()


def test_english_browser_still_gets_chinese_dates(chromium, live_server, demo):
    context = _english_context(chromium, DESK)
    page = context.new_page()
    _login(page, live_server.url, "reviewer")
    text = page.inner_text("main")
    assert "年" in text and "月" in text  # e.g. 陈述申辩期至2026年11月27日
    for english in ("Sept.", "Nov.", "Dec.", "Monday", "Friday"):
        assert english not in text
    context.close()


def test_removal_date_input_keeps_its_value_and_asks_before_removing(chromium, live_server, demo):
    entry = ListEntry.objects.filter(status="in_force", department__code="SCJGJ").first()
    context = _english_context(chromium, DESK)
    page = context.new_page()
    _login(page, live_server.url, "reviewer")  # the pushing department's reviewer removes its entries
    page.goto(f"{live_server.url}/lists/{entry.pk}/")
    assert page.input_value("input[name=on]") == "2026-11-20"  # ISO: the browser shows it instead of a blank box
    assert page.evaluate("document.querySelector('input[name=on]').valueAsDate !== null")
    page.select_option("select[name=reason]", "repaired")
    page.fill("textarea[name=note]", "淄市监修复〔2026〕1号")
    page.click("button:has-text('移出名单')")
    assert page.is_visible("dialog#confirm-dialog")  # 移出名单 asks first
    page.click("dialog#confirm-dialog button:has-text('取消')")
    entry.refresh_from_db()
    assert entry.status == "in_force"
    page.click("button:has-text('移出名单')")
    page.click("dialog#confirm-dialog button:has-text('确认')")
    page.wait_for_selector("text=已移出名单")
    entry.refresh_from_db()
    assert entry.status == "removed"
    context.close()


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_bidding_clerk_sees_the_hits_above_the_fold(chromium, live_server, demo, viewport):
    listed = ListEntry.objects.filter(status="in_force", kind="black", subject__uscc__isnull=False) \
        .exclude(subject__uscc="").select_related("subject").first()
    context = _english_context(chromium, viewport)
    page = context.new_page()
    _login(page, live_server.url, "zjj")
    page.goto(live_server.url + "/sanctions/check/")
    page.fill("input[name=code]", listed.subject.uscc)
    page.select_option("select[name=scenario]", "bidding")
    page.fill("input[name=reference]", "ZJZB-2026-118")
    page.click("#check-form button[type=submit]")
    page.wait_for_selector("#hits")
    first_hit = page.query_selector("#hits .hit h3")
    assert first_hit is not None, "the listed subject is a hit"
    box = first_hit.bounding_box()
    assert box["y"] + box["height"] <= viewport["height"], f"first hit at {box['y']}px, below the fold"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    # the clerk's usual scenario is remembered for the next check
    page.goto(live_server.url + "/sanctions/check/")
    assert page.input_value("select[name=scenario]") == "bidding"
    context.close()
