"""The enforced Content-Security-Policy refuses every inline style and script (style-src 'self'): the public site's
pages, the credit report page (its own stylesheet named by hash) and the big screen must draw with nothing refused,
and still look styled (a page whose stylesheet was refused would pass a refusal count of zero only by accident)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.core.management import call_command

from pubcredit.accounts.services import districts_sync_from_rulebook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
LINKS_PER_PAGE = 4


@pytest.fixture
def demo(today):
    districts_sync_from_rulebook()  # an earlier transactional test may have flushed them
    call_command("seed_demo", "--subjects", "40", "--records", "120", "--seed", "11")


def _refusals(page) -> list[str]:
    refused: list[str] = []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(f"{page.url}: {m.text}"))
    return refused


def _public_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("main a[href], header a[href]", "els => els.map(e => e.getAttribute('href'))")
    return [h for h in hrefs if h.startswith("/public/") and not h.endswith((".pdf", ".xlsx", ".csv"))]


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_public_pages_draw_with_nothing_refused_by_the_style_policy(chromium, live_server, demo, viewport):
    context = chromium.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(60_000)
    refused = _refusals(page)
    response = page.goto(live_server.url + "/")
    policy = response.headers["content-security-policy"]
    assert "style-src 'self';" in policy and "style-src 'self' 'unsafe-inline'" not in policy
    # the stylesheet applied: the header's colour and the title's size come from static/portal/portal.css
    assert page.eval_on_selector("header", "e => getComputedStyle(e).backgroundColor") == "rgb(166, 27, 27)"
    assert page.eval_on_selector("h1", "e => getComputedStyle(e).fontSize") == "20px"  # .page-title, 1.25rem
    visited = {"/"}
    queue = _public_links(page)
    for link in queue[:20]:
        path = urlparse(link).path
        if path in visited:
            continue
        visited.add(path)
        page.goto(live_server.url + link)
        queue += [h for h in _public_links(page)[:LINKS_PER_PAGE] if urlparse(h).path not in visited]
    assert len(visited) >= 8, visited
    assert refused == []
    context.close()


def test_the_report_page_keeps_its_own_stylesheet_under_the_policy(chromium, live_server, demo):
    from pubcredit.subjects.choices import SubjectKind
    from pubcredit.subjects.models import Subject

    subject = Subject.objects.exclude(kind=SubjectKind.NATURAL_PERSON).order_by("pk").first()
    context = chromium.new_context(locale="zh-CN", viewport=DESK)
    page = context.new_page()
    page.set_default_timeout(30_000)
    refused = _refusals(page)
    page.goto(f"{live_server.url}/public/subjects/{subject.pk}/")
    with page.expect_navigation():
        page.click("#report-download")
    assert "/public/reports/" in page.url
    policy = page.evaluate("() => fetch(location.href).then(r => r.headers.get('content-security-policy'))")
    assert "'sha256-" in policy.split("style-src")[1].split(";")[0]  # the report's own <style>, by hash
    # the report's stylesheet applied: the cover's frame is the template's <style>, not the browser's default
    assert page.eval_on_selector(".cover", "e => getComputedStyle(e).borderTopWidth") == "2px"
    assert refused == []
    context.close()
