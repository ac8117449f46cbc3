"""Commitment figures (承诺统计, issue 17 item 5): by type, department and matter; verifications due, done and overdue
(across a weekend); breaches; the share of approvals (行政许可) made by commitment; the page with its charts, seen by
role and department as the other figure pages; the selector other apps (governance) read."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from pubcredit.accounts.choices import Role
from pubcredit.accounts.models import District
from pubcredit.accounts.services import user_create
from pubcredit.catalog.registry import get_class
from pubcredit.commitments import selectors
from pubcredit.commitments.services import commitment_accept, commitment_breach_record, commitment_verify
from pubcredit.records.services import record_submit_one
from pubcredit.rules import clock
from tests.commitments.helpers import commitment
from tests.console.pagecheck import english_words, rulebook_codes
from tests.factories import uscc

pytestmark = pytest.mark.django_db


class _Superuser:
    is_authenticated = is_superuser = True
    role = ""


_SUPERUSER = _Superuser()


def licence(n: int, decision_no: str, department, actor, day: str = "2026-11-05"):
    """A 行政许可 decided by ``department`` (the approval a 审批替代型 commitment names by its number)."""
    values = {"subject_name": f"淄博承诺测试有限公司{n}", "subject_category": "法人及非法人组织", "subject_uscc": uscc(n),
              "legal_rep": "张三", "license_doc_name": "食品经营许可证", "decision_no": decision_no,
              "license_category": "普通", "license_content": "食品销售", "decision_date": day, "valid_from": day,
              "valid_to": "2031-11-04", "authority_name": department.name, "authority_uscc": department.uscc,
              "status": "有效", "source_name": department.name, "source_uscc": department.uscc}
    record_submit_one(info_class=get_class("admin_license"), values=values, department=department, actor=actor)


@pytest.fixture
def made(department, district_department, system_actor, today):
    """At the city's market regulator: five commitments, two licences; at Zhangdian's, one commitment."""
    accept = lambda n, d=department, **o: commitment_accept(department=d, values=commitment(n, **o), actor=system_actor)  # noqa: E731
    accept(1)  # verification due 2026-11-30: after today, not yet due
    accept(2, verification_date="2026-11-14")  # a Saturday: due Monday 16th, not verified → overdue
    third = accept(3, verification_date="2026-11-10")
    commitment_verify(record=third, department=department, verified_on="2026-11-10", fulfilled=True,
                      actor=system_actor)  # due and done on time
    accept(4, commitment_type="主动型", matter="守法诚信经营", approval_no=None, verification_date=None)
    fifth = accept(5, verification_date="2026-11-12")
    commitment_breach_record(record=fifth, department=department, evidence="核查发现无冷藏设施", decided_on="2026-11-13",
                             severity="general", actor=system_actor)  # due, not verified, breached: not overdue
    accept(6, d=district_department, matter="建筑工程施工许可", verification_date="2026-11-17")
    licence(1, "SP-2026-0001", department, system_actor)  # the approval commitment 1 names
    licence(7, "XK-2026-0007", department, system_actor)  # an approval made with the documents
    licence(8, "XK-2026-0008", department, system_actor, day="2025-06-01")  # before the window


def test_figures_count_by_type_matter_department_verification_breach_and_the_share_of_approvals(
        made, department, district_department, operator):
    figures = selectors.city_figures(viewer=operator)
    assert (figures.first_day, figures.last_day) == (dt.date(2025, 12, 1), dt.date(2026, 11, 20))
    data = figures.as_dict()
    assert data["made"] == 6 and data["approval_commitments"] == 5
    assert data["by_type"] == {"审批替代型": 5, "主动型": 1, "行业自律型": 0, "信用修复型": 0}
    assert data["by_matter"] == {"食品经营许可": 4, "建筑工程施工许可": 1, "守法诚信经营": 1}
    assert data["by_status"] == {"履约中": 4, "已履约": 1, "已违诺": 1}
    # due in the window: 2 (Saturday → Monday 16th), 3, 5 and Zhangdian's 6 (Tuesday 17th); 1 is due on the 30th
    assert (data["verifications_due"], data["verifications_done"], data["verifications_on_time"]) == (4, 1, 1)
    assert data["verifications_overdue"] == 2  # 2 and 6; the breached 5 is not overdue
    assert data["breaches"] == 1 and data["serious_untrue"] == 0
    # licences decided in the window: 2, one of them made by commitment (SP-2026-0001)
    assert (data["licences"], data["licences_by_commitment"], data["approval_share"]) == (2, 1, 0.5)
    assert data["approval_commitments_unmatched"] == 4  # SP-0002, 0003, 0005 and Zhangdian's 0006
    rows = {d["name"]: d for d in data["departments"]}
    assert rows[department.name]["made"] == 5 and rows[department.name]["breaches"] == 1
    assert rows[district_department.name]["made"] == 1 and rows[district_department.name]["approval_share"] is None
    assert data["by_month"]["作出承诺"][-1] == 6 and data["by_month"]["违诺"][-1] == 1
    assert data["by_month"]["完成核查"][-1] == 1 and len(data["months"]) == 12
    json.dumps(data)  # plain, for governance and exports


def test_a_verification_dated_on_a_saturday_is_overdue_only_after_the_next_working_day(department, system_actor):
    with clock.pinned(dt.date(2026, 11, 14)):
        commitment_accept(department=department, values=commitment(2, verification_date="2026-11-14"),
                          actor=system_actor)
    for day, overdue in ((dt.date(2026, 11, 16), 0), (dt.date(2026, 11, 17), 1)):
        with clock.pinned(day):
            figures = selectors.department_figures(viewer=_SUPERUSER, department=department)
            assert (figures.total.verifications_due, figures.total.verifications_overdue) == (1, overdue)


def test_other_apps_read_the_figures_of_any_departments_without_a_viewer(made, department):
    """The selector governance can read: no permission check, a window of its choosing."""
    figures = selectors.commitment_figures(departments=[department], scope_name=department.name,
                                           first_day=dt.date(2026, 11, 1), last_day=dt.date(2026, 11, 20))
    assert figures.total.made == 5 and figures.total.breaches == 1 and figures.months == ["2026-11"]


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_city_page_shows_the_figures_and_their_charts_in_chinese(client, made, operator, department):
    client.force_login(operator)
    response = client.get(reverse("commitments:city_figures"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "vendor/echarts.min.js" in html and "commitments/figures.js" in html and "<style" not in html
    chart = json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S)[1])
    assert chart["departments"] == ["淄博市市场监督管理局", "张店区市场监督管理局"]
    assert {"name": "审批替代型", "value": 5} in chart["by_type"]
    text = _text(response)
    assert "告知承诺办理占比" in text and "50.0%" in text and "逾期未核查" in text
    leaked = [c for c in rulebook_codes() | {"approval_substitute", "food_business_license"} if c in text]
    assert leaked == [] and english_words(text) == []
    assert reverse("commitments:department_figures", args=[department.code]) in html


def test_department_staff_see_their_own_department_and_district_operators_their_district(
        client, made, provider, department, district_department, system_actor):
    client.force_login(provider)
    response = client.get(reverse("commitments:city_figures"))
    assert response.status_code == 302
    assert response["Location"] == reverse("commitments:department_figures", args=[department.code])
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("commitments:department_figures", args=[district_department.code])).status_code == 403
    assert "信用承诺统计" in client.get(reverse("commitments:list")).content.decode()

    zhangdian = user_create(username="zd", password="District#2026", role=Role.DISTRICT_OPERATOR,
                            district=District.objects.get(code="zhangdian"), display_name="张店信用办",
                            actor=system_actor)
    client.force_login(zhangdian)
    page = client.get(reverse("commitments:city_figures")).content.decode()
    assert "张店区市场监督管理局" in page and "淄博市市场监督管理局" not in page
    assert client.get(reverse("commitments:department_figures", args=[department.code])).status_code == 403
    assert client.get(reverse("commitments:department_figures", args=["NO-SUCH"])).status_code == 404
