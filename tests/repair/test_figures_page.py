"""Monthly repair figures (issue 13 item 8): the ECharts page's series and the XLSX export over ``repair_figures``,
scoped like the queue (a unit its own cases, the credit centre every unit and the city)."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from pubcredit.accounts.choices import Role
from pubcredit.accounts.services import department_create, user_create
from pubcredit.rules import clock
from pubcredit.repair.exports import HEADERS
from tests.repair.test_figures import apply, eco, november, records  # noqa: F401 - fixtures

D = dt.date


def test_monthly_chart_series_carry_the_months_figures(client, november, operator):  # noqa: F811
    client.force_login(operator)
    with clock.pinned(D(2026, 11, 20)):
        page = client.get("/repair/figures/")
    assert page.status_code == 200
    chart = page.context["chart"]
    assert chart["months"][-1] == "2026-11" and len(chart["months"]) == 12
    assert chart["counts"]["修复申请收到"][-1] == 3 and chart["counts"]["准予修复"][-1] == 1
    assert chart["counts"]["不予修复"][-1] == 1 and chart["counts"]["修复申请收到"][0] == 0
    assert chart["on_time"]["修复申请按期办结率"][-1] == 50.0  # one of two decided by its limit
    assert 'id="chart-data"' in page.content.decode() and "淄博市生态环境局" in page.content.decode()


def test_xlsx_export_has_a_row_per_month_and_unit_plus_the_city(client, november, operator):  # noqa: F811
    client.force_login(operator)
    with clock.pinned(D(2026, 11, 20)):
        response = client.get("/repair/figures/export.xlsx?to=2026-11")
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    november_rows = {r[1]: r for r in rows[1:] if r[0] == "2026-11"}
    assert set(november_rows) == {"淄博市生态环境局", "全市"}
    city = november_rows["全市"]
    assert city[HEADERS.index("修复申请收到")] == 3 and city[HEADERS.index("准予修复")] == 1
    assert city[HEADERS.index("按期办结率")] == "50.0%" and city[HEADERS.index("当前超期")] == 1
    assert len([r for r in rows[1:] if r[1] == "全市"]) == 12


def test_a_unit_sees_only_its_own_figures(client, november, system_actor):  # noqa: F811
    other = department_create(code="JTJ", name="淄博市交通运输局", uscc="11370300MB2851237L", actor=system_actor)
    user = user_create(username="jt-rev", password="Reviewer#2026x", role=Role.REVIEWER, department=other,
                       actor=system_actor)
    client.force_login(user)
    with clock.pinned(D(2026, 11, 20)):
        page = client.get("/repair/figures/")
    assert page.context["chart"]["counts"]["修复申请收到"][-1] == 0
    assert "淄博市生态环境局" not in page.content.decode()
