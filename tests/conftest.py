"""Shared fixtures: actors, departments, staff users, a pinned clock and a real Chromium."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

from pubcredit.rules import clock

CHROMIUM = os.environ.get("PUBCREDIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
IN_CI = os.environ.get("CI") == "true"


@pytest.fixture
def today():
    """Pin the platform clock to 2026-11-20 (a Friday) for the test."""
    day = dt.date(2026, 11, 20)
    with clock.pinned(day):
        yield day


@pytest.fixture
def system_actor():
    from pubcredit.audit.services import SystemActor

    return SystemActor("test")


@pytest.fixture
def department(db, system_actor):
    from pubcredit.accounts.services import department_create

    return department_create(code="SCJGJ", name="淄博市市场监督管理局", uscc="11370300MB2851234B",
                             actor=system_actor)


@pytest.fixture
def district_department(db, system_actor):
    from pubcredit.accounts.services import department_create, districts_sync_from_rulebook

    districts_sync_from_rulebook()  # a transactional test before this one may have flushed the migrated districts

    return department_create(code="ZD-SCJG", name="张店区市场监督管理局", uscc="11370303MB2851234N",
                             district="zhangdian", actor=system_actor)


@pytest.fixture
def operator(db, system_actor):
    from pubcredit.accounts.choices import Role
    from pubcredit.accounts.services import user_create

    return user_create(username="operator", password="Operator#2026", role=Role.OPERATOR,
                       display_name="信用中心操作员", actor=system_actor)


@pytest.fixture
def provider(db, department, system_actor):
    from pubcredit.accounts.choices import Role
    from pubcredit.accounts.services import user_create

    return user_create(username="provider", password="Provider#2026", role=Role.PROVIDER,
                       display_name="数据报送员", department=department, actor=system_actor)


@pytest.fixture(scope="session")
def chromium():
    """A real headless Debian Chromium driven by Playwright (no downloaded browser)."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail(f"Chromium not found at {CHROMIUM}: CI must install it (.ci/run does)")
        pytest.skip(f"Chromium not found at {CHROMIUM}; install it (apt-get install chromium) to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)  # generous: a loaded 2-core CI machine runs the live server and Chromium together
    page.base_url = live_server.url
    yield page
    context.close()
