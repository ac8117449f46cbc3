"""Governance pages (issue 20): the dashboard with its drill-down, the task ledger and its dispatch report, the city
monitoring view, and the big screen's display token and data (no personal data)."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pubcredit.accounts.choices import Role
from pubcredit.accounts.models import District
from pubcredit.accounts.services import user_create
from pubcredit.audit.models import AuditEvent
from pubcredit.governance.models import PolicyTask, ProgressReport
from pubcredit.governance.services import policy_task_update, policy_tasks_load, progress_report_submit, \
    scorecards_compute
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from tests.figures.test_figures import penalties, submit, when
from tests.factories import person_penalty, resident_id

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)
TOKEN = "wall-display-token-0123456789"


@pytest.fixture(autouse=True)
def pinned():
    with clock.pinned(TODAY):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def scored(department, system_actor):
    """November: 2 penalties on time, 1 late (decided 10-28, received 11-09 = 8th working day); a natural person's
    penalty too (name 张三 and an ID number), so that the big screen test has personal data to leak."""
    submit(department, system_actor, penalties(1, 2, "2026-11-16"), when("2026-11-17"))
    submit(department, system_actor, penalties(3, 1, "2026-10-28"), when("2026-11-09"))
    submit(department, system_actor, [person_penalty(4, decision_date="2026-11-16", valid_until="2027-12-31")],
           when("2026-11-18"))
    scorecards_compute(actor=system_actor)
    return department


def test_the_dashboard_shows_red_figures_linking_to_their_rows(client, operator, scored):
    client.force_login(operator)
    page = client.get(reverse("governance:dashboard")).content.decode()
    assert "督查与考核" in page and "淄博市市场监督管理局" in page
    link = reverse("governance:figure_rows", args=["2026-11", scored.code, "double_publicity_on_time"])
    assert link in page
    rows = client.get(link).content.decode()
    assert "淄市监罚〔2026〕3号" in rows and "第8个工作日" in rows and "淄市监罚〔2026〕1号" not in rows


def test_only_operators_see_governance(client, provider, scored):
    client.force_login(provider)
    assert client.get(reverse("governance:dashboard")).status_code == 403
    assert client.get(reverse("governance:screen")).status_code == 403


def test_a_display_token_opens_the_big_screen_only(client, operator, scored, settings):
    settings.PUBCREDIT_DISPLAY_TOKEN = TOKEN
    assert client.get(reverse("governance:screen"), {"token": TOKEN}).status_code == 200
    assert client.get(reverse("governance:screen_data"), {"token": TOKEN}).status_code == 200
    assert client.get(reverse("governance:screen"), {"token": "wrong"}).status_code == 403
    refused = client.get(reverse("governance:screen_data"), {"token": "wrong"})
    assert refused.status_code == 403 and refused.json()["code"] == "auth.display_token"
    assert client.get(reverse("governance:screen")).status_code == 403  # no token and no login
    elsewhere = client.get(reverse("governance:dashboard"), {"token": TOKEN})
    assert elsewhere.status_code == 403 and "展示令牌只能用于大屏页面" in elsewhere.content.decode()
    client.force_login(operator)  # even logged in, a token on another page is an error, not ignored
    assert client.get(reverse("governance:tasks"), HTTP_X_DISPLAY_TOKEN=TOKEN).status_code == 403


def test_the_big_screen_answers_carry_no_personal_data(client, scored, settings):
    settings.PUBCREDIT_DISPLAY_TOKEN = TOKEN
    data = client.get(reverse("governance:screen_data"), {"token": TOKEN})
    page = client.get(reverse("governance:screen"), {"token": TOKEN})
    for body in (data.content.decode(), page.content.decode()):
        assert not re.search(r"\d{6}(?:19|20)\d{2}\d{4}\d{3}[\dXx]", body)  # a resident ID number
        assert not re.search(r"\d{6}\*{4,}\d{3}[\dXx]|\d{4}\*{8,}\d{4}", body)  # nor its masked form
        assert resident_id(4) not in body and "张三" not in body  # the natural person's name
        assert "淄博测试化工有限公司" not in body  # no subject at all, organisations included
    answer = data.json()
    assert answer["records_by_department"][0] == {"department": "淄博市市场监督管理局", "month": 4, "today": 0}
    assert {f["key"]: f["status"] for f in answer["figures"]}["double_publicity_on_time"] == "red"


def test_the_task_ledger_loads_from_the_rulebook_once_and_keeps_edits(client, operator, system_actor):
    assert policy_tasks_load(actor=system_actor) == 17
    task = PolicyTask.objects.get(code="T02")
    policy_task_update(task=task, values={"lead_units": "市大数据局、市发展改革委"}, actor=system_actor)
    assert policy_tasks_load(actor=system_actor) == 0
    assert PolicyTask.objects.get(code="T02").lead_units == ["市大数据局", "市发展改革委"]
    assert AuditEvent.objects.filter(action="governance.task").count() == 18
    client.force_login(operator)
    page = client.get(reverse("governance:tasks")).content.decode()
    assert "依法依规归集公共信用信息" in page and "逾期" in page  # T02: deadline 2021-12-31 passed
    assert "实时共享（按时报送占比）" in page


def test_bad_task_input_gets_field_errors(system_actor):
    policy_tasks_load(actor=system_actor)
    task = PolicyTask.objects.get(code="T08")
    with pytest.raises(DomainError) as err:
        policy_task_update(task=task, values={"lead_units": "", "indicators": "list_push_on_time,sharing_typo"},
                           actor=system_actor)
    assert {p.field: p.code for p in err.value.problems} == {"lead_units": "governance.unit_required",
                                                             "indicators": "governance.unknown_figure"}
    assert PolicyTask.objects.get(code="T08").lead_units == ["市发展改革委"]
    policy_task_update(task=task, values={"status": "done"}, actor=system_actor)
    with pytest.raises(DomainError) as err:
        progress_report_submit(task=PolicyTask.objects.get(code="T08"), unit="市发展改革委", period=None,
                               text="进展", actor=system_actor)
    assert err.value.code == "governance.task_closed" and not ProgressReport.objects.exists()
    with pytest.raises(DomainError) as err:
        progress_report_submit(task=PolicyTask.objects.get(code="T09"), unit="市财政局", period=None, text="x",
                               actor=system_actor)
    assert err.value.field == "unit"


def test_progress_clears_the_monthly_overdue_flag_and_appears_in_the_dispatch_report(client, operator, system_actor,
                                                                                    scored):
    policy_tasks_load(actor=system_actor)
    client.force_login(operator)
    response = client.post(reverse("governance:task", args=["T13"]), {
        "action": "progress", "unit": "市发展改革委", "period": "2026-10-15", "text": "双公示按日调度，超期已通报。"})
    assert response.status_code == 302
    assert PolicyTask.objects.get(code="T13").status == "in_progress"
    xlsx = client.get(reverse("governance:dispatch_xlsx"), {"month": "2026-10"})
    book = load_workbook(BytesIO(xlsx.content))
    rows = {r[0]: r for r in book["任务调度"].iter_rows(min_row=4, values_only=True)}
    assert len(rows) == 17
    assert rows["T13"][7] == "否" and rows["T13"][9] == "市发展改革委：双公示按日调度，超期已通报。"
    assert rows["T14"][7] == "逾期" and "2026年10月" in rows["T14"][8]  # no October progress by 11-06
    assert rows["T02"][7] == "逾期"
    ranking = list(book["部门考核"].iter_rows(values_only=True))
    assert ranking[1][0] == "淄博市市场监督管理局"


def test_the_dispatch_report_as_pdf_has_the_same_content_with_the_cjk_font_embedded(client, operator, system_actor,
                                                                                     scored, tmp_path):
    import subprocess

    policy_tasks_load(actor=system_actor)
    client.force_login(operator)
    response = client.get(reverse("governance:dispatch_pdf"), {"month": "2026-11"})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    path = tmp_path / "dispatch.pdf"
    path.write_bytes(response.content)
    text = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())  # table cells wrap: compare without the line breaks
    assert "任务调度通报（2026年11月）" in text and "依法依规归集公共信用信息" in text and "淄博市市场监督管理局" in text


def test_the_monitoring_view_lists_measured_indicators_by_month_and_the_rest_as_not_measured(client, operator,
                                                                                           scored):
    client.force_login(operator)
    page = client.get(reverse("governance:monitoring")).content.decode()
    assert "双公示情况（7个工作日内上网公开）" in page and "2026-11" in page and "2025-12" in page
    assert "信易贷" in page and "守信激励实施情况未归集" in page  # sourced rows and the unmeasurable ones
    # 双公示: 3 of 4 on time against 100 %: 7 × 0.75 = 5.25 points, 1.75 short
    assert "5.25 / <span class=\"cell-red\">-1.75</span>" in page


def test_a_district_operator_sees_the_district_only(client, system_actor, scored, district_department):
    submit(district_department, system_actor, penalties(30, 1, "2026-11-16"), when("2026-11-17"))
    scorecards_compute(actor=system_actor)
    district_user = user_create(username="zd", password="District#2026", role=Role.DISTRICT_OPERATOR,
                                district=District.objects.get(code="zhangdian"), display_name="张店信用办", actor=system_actor)
    client.force_login(district_user)
    page = client.get(reverse("governance:dashboard")).content.decode()
    assert "张店区市场监督管理局" in page and "淄博市市场监督管理局" not in page
    assert client.get(reverse("governance:monitoring")).status_code == 403


def test_the_digest_lists_late_and_due_within_3_working_days_and_reaches_the_inbox(client, provider, department,
                                                                                   system_actor):
    """Today Friday 2026-11-20: 3 working days ahead is Wednesday 11-25. A commitment verification due 11-19 is
    late, one due 11-25 is due soon, one due 11-26 is not listed yet."""
    from pubcredit.commitments.services import commitment_accept
    from tests.commitments.helpers import commitment

    for n, day in ((1, "2026-11-19"), (2, "2026-11-25"), (3, "2026-11-26")):
        commitment_accept(department=department, actor=system_actor, values=commitment(
            n, decision_date="2026-11-02", verification_date=day))
    client.force_login(provider)
    page = client.get(reverse("governance:digest")).content.decode()
    assert "已逾期 <strong>1</strong> 项" in page and "2026-11-25（3个工作日）前到期 <strong>1</strong> 项" in page
    assert "淄市监承诺〔2026〕3号" not in page
    counters = {c.key: c for c in client.get(reverse("console:home")).context["inbox"].counters}
    assert (counters["governance_digest"].count, counters["governance_digest"].url) == (2, reverse("governance:digest"))
    from pubcredit.governance.selectors import digest_counts

    assert digest_counts() == [{"department": "淄博市市场监督管理局", "late": 1, "due_soon": 1}]


def test_the_big_screen_map_is_coloured_by_the_districts_scores_and_the_shipped_boundaries(
        client, scored, settings, district_department, system_actor):
    """Each district with a polygon gets its departments' summed score and this month's records (names and numbers
    only); the GeoJSON shipped in static names exactly the districts of the rulebook that have a division code."""
    import json

    from django.contrib.staticfiles import finders

    submit(district_department, system_actor, penalties(40, 2, "2026-11-16"), when("2026-11-17"))
    scorecards_compute(actor=system_actor)
    settings.PUBCREDIT_DISPLAY_TOKEN = TOKEN
    districts = {d["name"]: d for d in client.get(reverse("governance:screen_data"), {"token": TOKEN}).json()[
        "districts"]}
    assert districts["张店区"] == {"name": "张店区", "division_code": "370303", "score": 100.0, "records": 2}
    assert districts["淄川区"]["score"] is None and districts["淄川区"]["records"] == 0
    assert "高新区" not in districts  # a functional zone has no polygon of its own
    geo = json.loads(open(finders.find("governance/zibo-districts.geojson"), encoding="utf-8").read())
    assert {f["properties"]["name"]: f["id"] for f in geo["features"]} == {
        name: d["division_code"] for name, d in districts.items()}
    assert all(117.5 < x < 118.6 and 35.9 < y < 37.3 for f in geo["features"]
               for ring in f["geometry"]["coordinates"] for x, y in ring)
    page = client.get(reverse("governance:screen"), {"token": TOKEN}).content.decode()
    assert 'id="c-map"' in page and "zibo-districts.geojson" in page
