"""信易贷 and 信易+ figures (issue 22 items 4 and 6): applications, approvals, amounts and the 首贷 share by bank,
product, industry, district and month; 信易+ checks and uses by scenario; the operators' page with its charts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pubcredit.accounts.choices import Role
from pubcredit.accounts.models import District
from pubcredit.accounts.services import user_create
from pubcredit.finance import selectors, services
from tests.factories import resident_id
from tests.finance.test_applications import _apply, product  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

NOVEMBER = {"first_day": dt.date(2026, 11, 1), "last_day": dt.date(2026, 11, 30)}


@pytest.fixture
def lending(account, product, bank, system_actor):  # noqa: F811 - the imported fixture
    """Three applications to 税易贷: one disbursed as a first loan (with an overdue instalment), one approved, one
    refused."""
    disbursed, approved, refused = (_apply(account, product, amount=a) for a in ("100", "50", "30"))
    services.application_decide(application=disbursed, institution=bank, approved=True, approved_amount="80",
                                actor=system_actor)
    services.application_disburse(application=disbursed, institution=bank, amount="80", disbursed_on="2026-11-20",
                                  first_loan=True, actor=system_actor)
    services.repayment_problem_record(application=disbursed, institution=bank, kind="overdue",
                                      occurred_on="2026-11-20", amount="2", actor=system_actor)
    services.application_decide(application=approved, institution=bank, approved=True, approved_amount="50",
                                actor=system_actor)
    services.application_decide(application=refused, institution=bank, approved=False, reason="负债率过高",
                                actor=system_actor)


def test_lending_figures_count_applications_approvals_amounts_and_the_first_loan_share(lending):
    figures = selectors.lending_figures(**NOVEMBER)
    total = figures.total
    assert (total.applications, total.approved, total.refused, total.disbursed) == (3, 2, 1, 1)
    assert total.approved_amount == Decimal("130") and total.disbursed_amount == Decimal("80")
    assert total.approval_rate == 66.7 and total.first_loan_share == 100.0 and total.repayment_problems == 1
    assert [t.name_zh for t in figures.by_institution] == ["淄博银行张店支行"]
    assert [t.name_zh for t in figures.by_product] == ["淄博银行张店支行 · 税易贷"]
    assert [(t.key, t.applications) for t in figures.by_industry] == [("C", 3)]
    assert [t.applications for t in figures.by_district] == [3]
    assert [(t.key, t.applications) for t in figures.by_month] == [("2026-11", 3)]
    assert figures.authorisations == 3  # each application granted its authorisation
    october = selectors.lending_figures(first_day=dt.date(2026, 10, 1), last_day=dt.date(2026, 10, 31))
    assert october.total.applications == 0 and october.total.first_loan_share is None


def test_a_district_office_counts_its_districts_enterprises_only(lending):
    """The enterprise (USCC division 370303) is in 张店区."""
    zhangdian, boshan = District.objects.get(code="zhangdian"), District.objects.get(code="boshan")
    assert [t.name_zh for t in selectors.lending_figures(**NOVEMBER).by_district] == ["张店区"]
    assert selectors.lending_figures(**NOVEMBER, district=zhangdian).total.applications == 3
    assert selectors.lending_figures(**NOVEMBER, district=boshan).total.applications == 0


def test_incentive_figures_count_checks_eligible_answers_and_benefits_given(department, system_actor, today):
    first = services.incentive_eligibility_check(department=department, subject={"id_number": resident_id(3)},
                                                 scenario="xinyiyue_library_deposit", actor=system_actor)
    services.incentive_eligibility_check(department=department, subject={"id_number": resident_id(4)},
                                         scenario="xinyiyue_library_deposit", actor=system_actor)
    services.incentive_use_record(answer=first, department=department, used=True, actor=system_actor)
    [library] = [t for t in selectors.lending_figures(**NOVEMBER).incentives if t.code == "xinyiyue_library_deposit"]
    assert (library.checks, library.eligible, library.used) == (2, 2, 1)
    # a later report that the benefit was not given after all replaces the earlier one
    services.incentive_use_record(answer=first, department=department, used=False, note="读者未办理借阅证",
                                  actor=system_actor)
    [library] = [t for t in selectors.lending_figures(**NOVEMBER).incentives if t.code == "xinyiyue_library_deposit"]
    assert library.used == 0


def test_the_figures_page_for_operators_with_its_charts(client, operator, provider, lending):
    client.force_login(provider)
    assert client.get("/finance/figures/").status_code == 403
    client.force_login(operator)
    page = client.get("/finance/figures/", {"from": "2026-11-01", "to": "2026-11-30"})
    body = page.content.decode()
    assert page.status_code == 200 and 'data-figure="applications">3<' in body and "66.7%" in body
    assert 'id="chart-data"' in body and "vendor/echarts.min.js" in body and "console/finance-figures.js" in body
    assert "制造业" in body and "<script>" not in body
    reversed_window = client.get("/finance/figures/", {"from": "2026-11-30", "to": "2026-11-01"}).content.decode()
    assert "起日晚于止日" in reversed_window


def test_a_district_operator_sees_the_figures_of_the_district(client, system_actor, lending):
    boshan = District.objects.get(code="boshan")
    user = user_create(username="bs-op", password="District#2026", role=Role.DISTRICT_OPERATOR, district=boshan,
                       actor=system_actor)
    client.force_login(user)
    body = client.get("/finance/figures/", {"from": "2026-11-01", "to": "2026-11-30"}).content.decode()
    assert "博山区 · 2026年11月1日" in body and 'data-figure="applications">0<' in body
