"""Browser tests (issue 20): an operator opens the dashboard and drills from a red figure to the late records; the
big screen renders at 1920×1080 with non-empty charts (screenshots in docs/screens/)."""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import tempfile

import pytest

from pubcredit.accounts.services import department_create, districts_sync_from_rulebook
from pubcredit.governance.services import scorecards_compute
from pubcredit.rules import clock
from tests.figures.test_figures import penalties, submit, when

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# set PUBCREDIT_SCREENS=docs/screens to refresh the documented screenshots; otherwise they go to a scratch directory
SCREENS = pathlib.Path(os.environ.get("PUBCREDIT_SCREENS") or tempfile.mkdtemp(prefix="governance-screens-"))
TOKEN = "wall-display-token-0123456789"


@pytest.fixture
def november(department, system_actor):
    # an earlier transactional test may have flushed the districts the migration loads
    districts_sync_from_rulebook()
    district_department = department_create(code="ZD-SCJG", name="张店区市场监督管理局", uscc="11370303MB2851234N",
                                            district="zhangdian", actor=system_actor)
    with clock.pinned(dt.date(2026, 11, 20)):
        submit(department, system_actor, penalties(1, 3, "2026-11-16"), when("2026-11-17"))
        submit(department, system_actor, penalties(4, 2, "2026-10-28"), when("2026-11-10"))  # 9th working day: late
        submit(district_department, system_actor, penalties(10, 4, "2026-11-16"), when("2026-11-18"))
        scorecards_compute(actor=system_actor)
        yield


def _login(page, path):
    page.goto(page.base_url + path)
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "Operator#2026")
    page.click("button[type=submit]")
    page.wait_for_url("**" + path)


def test_operator_drills_from_a_red_figure_to_the_late_records(page, operator, november):
    _login(page, "/governance/")
    row = page.locator("tr[data-scope='SCJGJ']")
    red = row.locator("td.cell-red[data-figure='double_publicity_on_time']")
    assert "2/5" in red.inner_text()
    page.wait_for_selector("#chart-scores canvas")
    page.screenshot(path=str(SCREENS / "governance-dashboard-1280.png"), full_page=True)
    red.locator("a[data-testid=drill]").click()
    page.wait_for_selector("[data-testid=drill-summary]")
    assert "超过7个工作日报送的双公示记录：2 条" in page.inner_text("[data-testid=drill-summary]")
    body = page.inner_text("#rows")
    assert "淄市监罚〔2026〕4号" in body and "淄市监罚〔2026〕5号" in body and "〔2026〕1号" not in body
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SCREENS / "governance-drill-390.png"), full_page=True)
    page.goto(page.base_url + "/governance/")
    page.screenshot(path=str(SCREENS / "governance-dashboard-390.png"), full_page=True)


def test_operator_loads_the_task_ledger_and_reads_the_monitoring_view(page, operator, november):
    _login(page, "/governance/tasks/")
    page.click("button:has-text('从规则库导入任务')")
    page.wait_for_selector("tr[data-task='T15']")
    assert "逾期" in page.inner_text("tr[data-task='T02']")
    page.screenshot(path=str(SCREENS / "governance-tasks-1280.png"), full_page=True)
    page.goto(page.base_url + "/governance/monitoring/")
    assert "双公示情况" in page.inner_text("#monitoring") and "信易贷" in page.inner_text("#monitoring-sources")
    assert "信易贷" not in page.inner_text("#not-measured")
    page.screenshot(path=str(SCREENS / "governance-monitoring-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/governance/tasks/")
    page.screenshot(path=str(SCREENS / "governance-tasks-390.png"), full_page=True)


def test_big_screen_renders_at_1920_by_1080_with_charts(chromium, live_server, november, settings):
    settings.PUBCREDIT_DISPLAY_TOKEN = TOKEN
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/governance/screen/?token={TOKEN}")
        # polled from here: the enforced CSP (no 'unsafe-eval') refuses wait_for_function's string predicate
        for _ in range(150):
            if page.inner_text("#n-records") != "—":
                break
            page.wait_for_timeout(100)
        assert page.inner_text("#n-records") == "9"
        for chart in ("c-records", "c-sharing", "c-figures", "c-scores", "c-map"):
            page.wait_for_selector(f"#{chart} canvas")
            box = page.locator(f"#{chart} canvas").first.bounding_box()
            assert box and box["width"] > 350 and box["height"] > 200, chart  # four panels in the first row
        for _ in range(50):  # the district map is drawn once its GeoJSON is registered
            if page.get_attribute("#screen", "data-map-drawn") == "yes":
                break
            page.wait_for_timeout(100)
        assert page.get_attribute("#screen", "data-map-drawn") == "yes"
        page.wait_for_timeout(800)  # the charts' entry animation
        shot = page.screenshot(path=str(SCREENS / "governance-screen-1920.png"))
        # a drawn chart is not one flat colour: the records panel's canvas holds bars
        colours = page.evaluate("""() => {
            const c = document.querySelector('#c-records canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            const seen = new Set();
            for (let i = 0; i < d.length; i += 4 * 97) seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
            return seen.size;
        }""")
        assert colours > 3 and len(shot) > 20_000
        # the map's canvas holds the district polygons: their fill, borders and labels, not one flat colour
        map_colours = page.evaluate("""() => {
            const c = document.querySelector('#c-map canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            const seen = new Set();
            for (let i = 0; i < d.length; i += 4 * 89) seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
            return seen.size;
        }""")
        assert map_colours > 5
    finally:
        context.close()


def test_operator_reports_progress_with_a_file_and_downloads_it(page, operator, november, settings, tmp_path):
    settings.PUBCREDIT_GOVERNANCE_ATTACHMENT_DIR = tmp_path / "attachments"
    settings.PUBCREDIT_REPAIR_SCAN_COMMAND = ""
    pdf = tmp_path / "十一月调度情况.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    _login(page, "/governance/tasks/")
    page.click("button:has-text('从规则库导入任务')")
    page.wait_for_selector("tr[data-task='T13']")
    page.goto(page.base_url + "/governance/tasks/T13/")
    page.fill("input[name=unit]", "市发展改革委")
    page.fill("textarea[name=text]", "政务诚信按月调度，附调度情况。")
    page.set_input_files("input[name=files]", str(pdf))
    page.click("form:has(input[value=progress]) button[type=submit]")
    page.wait_for_selector("#progress-reports .attachments a")
    listed = page.inner_text("#progress-reports")
    assert "十一月调度情况.pdf" in listed and "未扫描" in listed
    with page.expect_download() as download:
        page.click("#progress-reports .attachments a")
    assert download.value.suggested_filename == "十一月调度情况.pdf"
    assert pathlib.Path(download.value.path()).read_bytes().startswith(b"%PDF")
    page.screenshot(path=str(SCREENS / "governance-task-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.screenshot(path=str(SCREENS / "governance-task-390.png"), full_page=True)
