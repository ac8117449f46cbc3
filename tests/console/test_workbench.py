"""The workbench's frame (issue 21): the public site at /, homes as inboxes per role, the platform's own error pages,
Chinese whatever the browser asks, and the filters that turn codes into the words a clerk reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import path, reverse

from pubcredit.accounts.choices import Role
from pubcredit.accounts.services import user_create
from pubcredit.catalog.registry import get_class
from pubcredit.console.templatetags import workbench
from pubcredit.records.services import records_submit
from pubcredit.urls import urlpatterns as project_urls
from tests.factories import at, frame, penalty

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("the database went away")


def _forbidden_english(request):
    raise PermissionDenied("city figures are for operators")


urlpatterns = [path("boom/", _boom), path("forbidden-english/", _forbidden_english), *project_urls]
handler403 = "pubcredit.console.views.error_403"
handler404 = "pubcredit.console.views.error_404"
handler500 = "pubcredit.console.views.error_500"


@pytest.fixture
def business_user(department, system_actor):
    return user_create(username="buyer", password="Buyer#2026x", role=Role.BUSINESS_USER, display_name="招投标科 张三",
                       department=department, actor=system_actor)


@pytest.fixture
def late_penalty(department, system_actor, today):
    """A penalty decided 2026-10-01 and received 2026-11-18: far beyond 7 working days (超期报送)."""
    records_submit(info_class=get_class("admin_penalty"), frame=frame([penalty(1, decision_date="2026-10-01")]),
                   department=department, actor=system_actor, received_at=at("2026-11-18"))


# --- the public site at /, the workbench at /workbench/ ------------------------------------------------------------


def test_root_is_the_public_site_with_its_configured_name(client):
    page = client.get("/").content.decode()
    assert "信用中国（山东淄博）" in page and 'name="q"' in page and "工作人员登录" in page
    assert 'rel="icon"' in page


@override_settings(PUBCREDIT_SITE_NAME="信用中国（山东济南）")
def test_site_name_is_a_setting(client):
    assert "信用中国（山东济南）" in client.get("/").content.decode()


def test_old_public_urls_and_workbench_login_still_work(client, provider):
    assert client.get("/public/").status_code == 200
    response = client.post("/login/", {"username": "provider", "password": "Provider#2026"})
    assert response.status_code == 302 and response["Location"] == "/workbench/"


# --- Chinese first ------------------------------------------------------------------------------------------------


def test_english_browser_gets_chinese_dates_and_words(client, provider, late_penalty):
    client.force_login(provider)
    page = client.get(reverse("console:late_records"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page and "超期报送的记录" in page
    response = client.get(reverse("lists:entry_list"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.headers.get("Content-Language", "zh-hans") == "zh-hans"


def test_header_names_person_role_and_department_in_chinese(client, provider, department):
    client.force_login(provider)
    page = client.get(reverse("console:home")).content.decode()
    assert "数据报送员" in page and "数据提供单位" in page and department.name in page
    assert "(data provider)" not in page


def test_actor_labels_read_as_department_and_person(provider, department):
    assert workbench.actor_name("user:provider") == f"{department.name} 数据报送员"
    assert workbench.actor_name("cli:seed_demo") == "系统（演示数据导入）"
    assert workbench.actor_name(f"token:{department.code}:ab12") == f"{department.name}（接口报送）"
    assert workbench.actor_name("public:10.0.0.1") == "公众（公示网站）"


def test_codes_read_as_rulebook_and_choice_labels():
    assert workbench.list_name("integrity_honor") != "integrity_honor"
    assert "失信被执行人" in workbench.list_name("court_dishonest_debtor")
    assert workbench.scenario_name("government_procurement") == "政府采购"
    assert workbench.removal_reason_name("repaired") == "信用修复移出"
    assert workbench.rejection_name("uscc.checksum") == "统一社会信用代码校验位错误"
    assert workbench.rejection_name("rule.something_new") == "字段间规则不符"  # never the code itself
    assert workbench.rejection_name("commitment.duplicate_approval") == "信用承诺规则不符"
    assert workbench.measure_refs("仅作重要考量因素（samr.procurement_factor）。") == \
        "仅作重要考量因素（“委托承担政府采购项目、工程招投标时作为重要考量因素”）。"


def test_date_inputs_render_iso(client, operator):
    client.force_login(operator)
    page = client.get(reverse("workdays:calendar")).content.decode()
    assert 'type="date"' in page
    from pubcredit.lists.forms import RemoveForm

    rendered = str(RemoveForm(initial={"on": dt.date(2026, 9, 30)})["on"])
    assert 'value="2026-09-30"' in rendered  # not 2026/09/30, which <input type=date> rejects


# --- homes as inboxes -------------------------------------------------------------------------------------------


def _counters(response) -> dict[str, tuple[int, str]]:
    return {c.key: (c.count, c.url) for c in response.context["inbox"].counters}


def test_provider_home_counts_late_and_rejected_rows_with_links(client, provider, late_penalty):
    client.force_login(provider)
    counters = _counters(client.get(reverse("console:home")))
    assert counters["late_records"] == (1, reverse("console:late_records"))
    assert counters["open_rejections"] == (0, reverse("ingest:rejection_list"))
    assert "batches_running" in counters
    page = client.get(counters["late_records"][1]).content.decode()
    assert "淄市监罚〔2026〕1号" in page  # the count leads to the row


def test_business_user_home_counts_checks_awaiting_feedback_and_alerts(client, business_user):
    client.force_login(business_user)
    response = client.get(reverse("console:home"))
    counters = _counters(response)
    assert counters["checks_awaiting"] == (0, reverse("sanctions:check_list") + "?awaiting=1")
    assert counters["watch_unread"][1] == reverse("sanctions:inbox")
    assert "最近归集" not in response.content.decode()


def test_reviewer_home_counts_cases_and_overdue_repairs(client, department, system_actor):
    reviewer = user_create(username="rev", password="Reviewer#2026x", role=Role.REVIEWER, display_name="审核人",
                           department=department, actor=system_actor)
    client.force_login(reviewer)
    response = client.get(reverse("console:home"))
    page = response.content.decode()
    assert "信用修复" in page  # issue 13 built repair and objections: the home links its overdue cases
    assert {"cases_basis", "cases_notify", "cases_decide", "cases_push", "repair_overdue"} <= set(_counters(response))


def test_city_operator_home_lists_what_the_centre_watches(client, operator, department, today):
    client.force_login(operator)
    counters = _counters(client.get(reverse("console:home")))
    assert counters["not_sharing"][1] == reverse("figures:city_figures")
    assert counters["late_pushes"][1] == reverse("lists:entry_list") + "?late=1"
    assert counters["consumers_lagging"][1] == reverse("publicity:consumers")
    assert "batches_refused" in counters


def test_late_records_are_scoped_to_the_department(client, late_penalty, district_department, system_actor):
    other = user_create(username="other", password="Provider#2026x", role=Role.PROVIDER, display_name="区报送员",
                        department=district_department, actor=system_actor)
    client.force_login(other)
    assert "淄市监罚〔2026〕1号" not in client.get(reverse("console:late_records")).content.decode()


# --- the platform's own error pages -------------------------------------------------------------------------------


def test_403_says_why_with_the_site_header_and_a_way_back(client, business_user):
    client.force_login(business_user)
    response = client.get(reverse("ingest:upload"), HTTP_REFERER="http://testserver/workbench/")
    page = response.content.decode()
    assert response.status_code == 403
    assert 'id="site-header"' in page and "无权访问此页面" in page
    assert "仅数据提供单位和信用中心操作员可使用信息归集" in page  # the permission check's reason
    assert 'href="/workbench/"' in page and "返回上一页" in page


@override_settings(ROOT_URLCONF="tests.console.test_workbench")
def test_403_with_an_english_reason_shows_a_chinese_one(client, business_user):
    client.force_login(business_user)
    page = client.get("/forbidden-english/").content.decode()
    assert "city figures" not in page and "您的角色或所属部门无权办理此事项" in page


def test_404_is_the_platforms_own_page(client, business_user):
    client.force_login(business_user)
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404 and 'id="site-header"' in page and "页面不存在" in page


def test_404_under_api_keeps_the_json_error_shape(client):
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


@override_settings(ROOT_URLCONF="tests.console.test_workbench", DEBUG=False)
def test_500_is_the_platforms_own_page(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500 and "系统暂时出错" in page and 'class="site-header"' in page


def test_menu_offers_only_pages_the_role_may_open(client, business_user):
    client.force_login(business_user)
    page = client.get(reverse("console:home")).content.decode()
    menu = page[page.index('id="site-menu"'):page.index("</nav>")]
    assert reverse("lists:case_list") not in menu and reverse("ingest:batch_list") not in menu
    assert reverse("sanctions:check_new") in menu


def test_system_actor_labels_cover_every_command_actor():
    import re
    from pathlib import Path

    root = Path(workbench.__file__).resolve().parents[2]
    labels = set()
    for source in root.rglob("management/commands/*.py"):
        labels |= set(re.findall(r'SystemActor\("(cli:[a-z_]+)"', source.read_text(encoding="utf-8")))
    assert labels and labels <= set(workbench.SYSTEM_ACTORS), labels - set(workbench.SYSTEM_ACTORS)
