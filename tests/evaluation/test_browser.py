"""Browser test (issue 14 §6): the run page draws its ECharts figures (grades, districts, kinds of organisation, the
items that moved most subjects, industries) at desktop and phone width; a check's page shows the measure the class
triggers; the enterprise reads its own evaluation (screenshots in docs/screens/)."""

from __future__ import annotations

import os
import pathlib
import tempfile

import pytest

from pubcredit.evaluation import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# set PUBCREDIT_SCREENS=docs/screens to refresh the documented screenshots; otherwise they go to a scratch directory
SCREENS = pathlib.Path(os.environ.get("PUBCREDIT_SCREENS") or tempfile.mkdtemp(prefix="evaluation-screens-"))


def _login(page, path, username, password, login="/login/"):
    page.goto(page.base_url + login + "?next=" + path)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**" + path)


def test_run_page_draws_its_charts_and_the_enterprise_reads_its_own_result(page, operator, city, system_actor,
                                                                          department):
    from pubcredit.accounts.services import enterprise_account_create
    from pubcredit.sanctions.services import check_run
    from pubcredit.subjects.services import subjects_industry_set
    from tests.factories import uscc

    subjects_industry_set(rows=[{"uscc": uscc(1), "industry": "C2614"}, {"uscc": uscc(2), "industry": "F5212"},
                                {"uscc": uscc(3), "industry": "H6210"}], actor=system_actor, reason="登记注册信息")
    run = services.evaluation_run_start(actor=system_actor, enqueue=False)
    services.evaluation_run_execute(run_id=run.pk, actor=system_actor)
    _login(page, f"/evaluation/runs/{run.pk}/", "operator", "Operator#2026")
    for chart in ("grades", "districts", "kinds", "industries", "items"):
        page.wait_for_selector(f"#chart-{chart} canvas")
    assert "严重失信行政处罚" in page.inner_text("#items")
    page.screenshot(path=str(SCREENS / "evaluation-run-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_selector("#chart-items canvas")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # nothing wider than the phone
    page.screenshot(path=str(SCREENS / "evaluation-run-390.png"), full_page=True)

    check = check_run(department=department, subject={"uscc": uscc(1)}, scenario="supervision", actor=system_actor)
    page.goto(page.base_url + f"/sanctions/checks/{check.check_id}/")
    assert "严重失信" in page.inner_text("#grade-hit")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.screenshot(path=str(SCREENS / "check-grade-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    page.locator("#grade-hit").screenshot(path=str(SCREENS / "check-grade-1280.png"))

    enterprise_account_create(username="qiye1", password="Qiye-pass-2026", uscc=uscc(1),
                              enterprise_name="淄博测试化工有限公司1", actor=system_actor)
    page.context.clear_cookies()
    _login(page, "/public/evaluation/", "qiye1", "Qiye-pass-2026", login="/public/account/login/")
    assert "780" in page.inner_text("[data-testid=score]")
    page.screenshot(path=str(SCREENS / "evaluation-enterprise-390.png"), full_page=True)
