"""An enterprise downloads its own report on the public site (issue 16 item 4: self-service, free, immediate, with its
enterprise account); never another enterprise's, never a "clean" report for an enterprise the platform does not
hold."""

import subprocess

import pytest

from pubcredit.accounts.services import enterprise_account_create, user_create
from pubcredit.audit.models import AuditEvent
from pubcredit.reports import services
from pubcredit.reports.models import Report
from pubcredit.rules.errors import DomainError
from pubcredit.subjects.models import Subject
from tests.factories import uscc

PASSWORD = "Qiye-pass-2026"


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


@pytest.fixture
def account(site, system_actor):
    """The account of 淄博鑫源化工有限公司 (site[1]: a licence, a published penalty and an expired one)."""
    return enterprise_account_create(username="xinyuan", password=PASSWORD, uscc=uscc(1), enterprise_name=site[1],
                                     display_name="刘会计", actor=system_actor)


@pytest.fixture
def other_account(site, system_actor):
    return enterprise_account_create(username="hongda", password=PASSWORD, uscc=uscc(2), enterprise_name=site[2],
                                     actor=system_actor)


@pytest.mark.django_db
def test_enterprise_issues_and_downloads_its_own_query_report(client, account, site):
    client.force_login(account.user)
    home = client.get("/public/account/")
    assert 'href="/public/reports/mine/"' in home.content.decode()  # the link on the enterprise's home
    assert client.get("/public/reports/mine/").status_code == 200
    answer = client.post("/public/reports/mine/", {"kind": "query", "purpose": "参加招投标",
                                                   "procedure": "ZB-2026-009 道路养护"})
    assert answer.status_code == 302
    report = Report.objects.get()
    assert answer["Location"] == f"/public/reports/mine/{report.number}/"
    assert (report.kind, report.subject.name, report.enterprise_account_id) == ("query", site[1], account.pk)
    assert report.department is None and report.requester_label == f"{site[1]}（企业用户自助查询：刘会计）"
    event = AuditEvent.objects.get(action="report.issue", object_id=report.number)
    assert event.reason == "参加招投标" and event.data["enterprise_account_id"] == account.pk
    assert event.actor_label == "user:xinyuan"
    page = client.get(answer["Location"]).content.decode()
    assert "四、详细信息" in page and f"/public/reports/mine/{report.number}/pdf/" in page
    pdf = client.get(f"/public/reports/mine/{report.number}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert services.report_file_verify(pdf.content, number=report.number).genuine
    text = pdf_text(pdf.content)
    # the query version: also the penalty whose publication ended in 2025, with its publicity state
    assert "查询版" in text and "淄市监罚〔2026〕5号" in text and "企业用户自助查询" in text
    # evaluation results stay internal to government (docs/evaluation.md): not in the enterprise's own report
    assert "公共信用综合评价结果" not in text
    listing = client.get("/public/reports/mine/").content.decode()
    assert report.number in listing and "参加招投标" in listing


@pytest.mark.django_db
def test_enterprise_special_report_refuses_a_bad_period_under_its_field(client, account, today):
    client.force_login(account.user)
    too_long = client.post("/public/reports/mine/", {
        "kind": "special", "period_from": today.replace(year=today.year - 6).isoformat(),
        "period_to": today.isoformat()})
    assert too_long.status_code == 400
    assert "查询期间最长5年" in too_long.content.decode() and Report.objects.count() == 0
    field_errors = too_long.context["form"].errors
    assert "period_from" in field_errors
    made = client.post("/public/reports/mine/", {"kind": "special", "purpose": "",
                                                 "period_from": today.replace(year=today.year - 3).isoformat(),
                                                 "period_to": today.isoformat()})
    assert made.status_code == 302
    report = Report.objects.get()
    assert report.kind == "special" and report.purpose == "企业自主查询"
    assert "行政强制信息" in pdf_text(bytes(report.pdf))


@pytest.mark.django_db
def test_enterprise_never_gets_another_enterprises_report(client, account, other_account):
    client.force_login(account.user)
    client.post("/public/reports/mine/", {"kind": "query"})
    mine = Report.objects.get()
    client.force_login(other_account.user)
    assert client.get(f"/public/reports/mine/{mine.number}/").status_code == 404
    assert client.get(f"/public/reports/mine/{mine.number}/pdf/").status_code == 404
    assert mine.number not in client.get("/public/reports/mine/").content.decode()
    # the service itself refuses a subject that is not the account's
    with pytest.raises(DomainError) as refused:
        services.report_issue(kind="query", subject=mine.subject, actor=other_account.user, requester="x",
                              enterprise_account=other_account)
    assert refused.value.code == "report.other_enterprise"


@pytest.mark.django_db
def test_two_people_of_one_enterprise_share_its_reports(client, account, system_actor):
    colleague = enterprise_account_create(username="xinyuan2", password=PASSWORD, uscc=account.uscc,
                                          enterprise_name=account.enterprise_name, actor=system_actor)
    client.force_login(account.user)
    client.post("/public/reports/mine/", {"kind": "query"})
    number = Report.objects.get().number
    client.force_login(colleague.user)
    assert client.get(f"/public/reports/mine/{number}/pdf/").status_code == 200


@pytest.mark.django_db
def test_enterprise_the_platform_does_not_hold_gets_no_clean_report(client, site, system_actor):
    stranger = enterprise_account_create(username="newco", password=PASSWORD, uscc=uscc(77),
                                         enterprise_name="淄博新设有限公司", actor=system_actor)
    assert not Subject.objects.filter(uscc=uscc(77)).exists()
    client.force_login(stranger.user)
    page = client.get("/public/reports/mine/").content.decode()
    assert 'id="no-subject"' in page and "这不等于“无不良记录”" in page
    refused = client.post("/public/reports/mine/", {"kind": "query"})
    assert refused.status_code == 400 and "不出具报告" in refused.content.decode()
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_my_reports_need_an_enterprise_login(client, account, department, system_actor):
    anonymous = client.get("/public/reports/mine/")
    assert anonymous.status_code == 302 and "/public/account/login/" in anonymous["Location"]
    staff = user_create(username="clerk", password="Clerk#2026-pass", role="business_user", display_name="窗口",
                        department=department, actor=system_actor)
    client.force_login(staff)
    assert client.get("/public/reports/mine/").status_code == 302
    client.force_login(account.user)
    client.post("/public/reports/mine/", {"kind": "query"})
    number = Report.objects.get().number
    client.logout()
    # a query version is not public: its public page and PDF answer 404 to anyone
    assert client.get(f"/public/reports/{number}/").status_code == 404
    assert client.get(f"/public/reports/{number}/pdf/").status_code == 404
    assert client.get(f"/public/reports/{number}/verify/").status_code == 200  # but anyone can verify it
