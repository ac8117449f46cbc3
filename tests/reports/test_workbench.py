"""Workbench: a department clerk requests a report in a named procedure, reads it and downloads the signed PDF; a
refusal shows under its field; another department cannot open it."""

import pytest

from pubcredit.reports.models import Report


@pytest.fixture
def clerk(db, department, system_actor):
    from pubcredit.accounts.choices import Role
    from pubcredit.accounts.services import user_create

    return user_create(username="buyer", password="Buyer#2026x", role=Role.BUSINESS_USER, display_name="采购经办人",
                       department=department, actor=system_actor)


@pytest.mark.django_db
def test_clerk_requests_a_special_report_and_downloads_it(site, clerk, client, today):
    client.force_login(clerk)
    home = client.get("/workbench/")
    assert "信用报告" in home.content.decode()
    answer = client.post("/reports/", {"kind": "special", "code": "91370303MA0000010K", "purpose": "政府采购资格审查",
                                       "procedure": "ZB-2026-001", "period_from": "2022-11-20",
                                       "period_to": "2026-11-20"})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    report = Report.objects.get()
    page = client.get(answer["Location"]).content.decode()
    assert "专项信用报告" in page and "行政处罚信息" in page and "ZB-2026-001" in page
    pdf = client.get(f"/reports/{report.number}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and bytes(pdf.content) == bytes(report.pdf)
    listing = client.get("/reports/").content.decode()
    assert report.number in listing


@pytest.mark.django_db
def test_a_too_long_period_is_shown_under_its_field(site, clerk, client, today):
    client.force_login(clerk)
    answer = client.post("/reports/", {"kind": "special", "code": "91370303MA0000010K", "purpose": "招投标",
                                       "procedure": "ZB-1", "period_from": "2020-01-01", "period_to": "2026-11-20"})
    assert answer.status_code == 200 and "查询期间最长5年" in answer.content.decode()
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_another_department_cannot_open_the_report(site, clerk, client, today, district_department, system_actor):
    from pubcredit.accounts.choices import Role
    from pubcredit.accounts.services import user_create

    client.force_login(clerk)
    client.post("/reports/", {"kind": "query", "code": "91370303MA0000010K", "purpose": "招投标", "procedure": "ZB-1"})
    report = Report.objects.get()
    other = user_create(username="other", password="Other#2026xx", role=Role.BUSINESS_USER, display_name="他人",
                        department=district_department, actor=system_actor)
    client.force_login(other)
    assert client.get(f"/reports/{report.number}/").status_code == 404
    assert client.get(f"/reports/{report.number}/pdf/").status_code == 404
