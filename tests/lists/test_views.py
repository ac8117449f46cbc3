"""Console pages of the lists: scoping, late pushes, removal by the identifying unit, and the identification
workflow driven through its forms."""

import datetime as dt

import pytest

from pubcredit.lists.models import IdentificationCase, ListEntry
from pubcredit.rules import clock
from tests.factories import uscc
from tests.lists.helpers import court_row, samr_row, submit_list

pytestmark = pytest.mark.django_db


def test_entries_are_scoped_by_role(client, operator, provider, reviewer, department, district_department,
                                    system_actor, today):
    submit_list("court_dishonest_debtor", [court_row(1)], department, system_actor)
    submit_list("samr_serious_violation", [samr_row(2)], district_department, system_actor)
    client.force_login(operator)
    page = client.get("/lists/").content.decode()
    assert "（2026）鲁0303执1号之一" in page and "淄市监严〔2026〕2号" in page
    client.force_login(provider)
    page = client.get("/lists/").content.decode()
    assert "（2026）鲁0303执1号之一" in page and "淄市监严〔2026〕2号" not in page
    other = ListEntry.objects.get(list_code="samr_serious_violation")
    assert client.get(f"/lists/{other.pk}/").status_code == 404


def test_late_pushes_page_lists_the_departments_late_entries(client, provider, department, system_actor, today):
    submit_list("samr_serious_violation", [samr_row(1, decision_date="2026-09-28")], department, system_actor,
                when="2026-10-14")
    submit_list("samr_serious_violation", [samr_row(2, decision_date="2026-11-16")], department, system_actor)
    client.force_login(provider)
    page = client.get("/lists/?late=1").content.decode()
    assert "淄市监严〔2026〕1号" in page and "淄市监严〔2026〕2号" not in page and "8个工作日（超期）" in page


def test_the_identifying_units_reviewer_removes_an_entry(client, reviewer, provider, department, system_actor, today):
    submit_list("court_dishonest_debtor", [court_row(1)], department, system_actor)
    entry = ListEntry.objects.get()
    client.force_login(provider)
    assert client.post(f"/lists/{entry.pk}/", {"reason": "repaired", "note": "x"}).status_code == 403
    client.force_login(reviewer)
    response = client.post(f"/lists/{entry.pk}/", {"reason": "court_deleted", "note": "法院删除通知（2026）鲁0303执1号之二"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.removal_reason) == ("removed", "court_deleted")
    assert "法院删除" in client.get(f"/lists/{entry.pk}/").content.decode()


def test_identification_workflow_through_the_console(client, reviewer, department, today):
    client.force_login(reviewer)
    assert "重大税收违法失信主体" in client.get("/lists/cases/new/").content.decode()
    form = client.get("/lists/cases/new/?list=major_tax_violator").content.decode()
    assert "extra__violation_facts" in form
    response = client.post("/lists/cases/new/", {
        "list_code": "major_tax_violator", "subject_category": "legal_person", "subject_name": "淄博偷税测试有限公司",
        "uscc": uscc(41), "id_number": "", "grounds": "偷税120万元", "finding_document": "淄税稽罚〔2026〕12号",
        "cited_basis": "《重大税收违法失信主体信息公布管理办法》第六条",
        "extra__violation_category": "tax_evasion", "extra__violation_facts": "少缴税款120万元",
        "extra__tax_decision": "追缴并处罚款"})
    case = IdentificationCase.objects.get()
    assert response.status_code == 302 and response.url == f"/lists/cases/{case.pk}/"
    client.post(f"/lists/cases/{case.pk}/check_basis/")
    client.post(f"/lists/cases/{case.pk}/notify/", {"notify-notice_no": "告1", "notify-served_on": "2026-11-10"})
    case.refresh_from_db()
    assert case.state == "notified" and case.defence_deadline == dt.date(2026, 11, 17)
    page = client.get(f"/lists/cases/{case.pk}/").content.decode()
    assert "2026-11-17" in page and "作出认定决定" in page
    decide = {"decide-decision_no": "淄税稽确〔2026〕2号", "decide-decision_date": "2026-11-20",
              "decide-removal_conditions": "公布满3年停止公布", "decide-remedies": "可申请行政复议或提起行政诉讼"}
    assert client.post(f"/lists/cases/{case.pk}/decide/", decide).status_code == 302
    assert client.post(f"/lists/cases/{case.pk}/push/").status_code == 302
    case.refresh_from_db()
    assert case.state == "pushed" and ListEntry.objects.get().record_id == case.record_id
    assert "名单条目" in client.get(f"/lists/cases/{case.pk}/").content.decode()


def test_a_failed_basis_check_is_shown_and_kept(client, reviewer, department, today):
    client.force_login(reviewer)
    client.post("/lists/cases/new/", {
        "list_code": "samr_serious_violation", "subject_category": "legal_person", "subject_name": "淄博测试",
        "uscc": uscc(42), "grounds": "提交虚假材料", "finding_document": "淄市监罚〔2026〕9号",
        "cited_basis": "《中华人民共和国广告法》第五十五条", "extra__listing_reason": "提交虚假材料取得许可"})
    case = IdentificationCase.objects.get()
    page = client.post(f"/lists/cases/{case.pk}/check_basis/").content.decode()
    assert "所引依据不是该名单的设定依据" in page
    case.refresh_from_db()
    assert case.state == "draft" and case.basis_check["ok"] is False


def test_business_users_cannot_run_cases(client, operator, department, system_actor, today):
    from pubcredit.accounts.choices import Role
    from pubcredit.accounts.services import user_create

    user = user_create(username="biz", password="Biz#20261x", role=Role.BUSINESS_USER, department=department,
                       actor=system_actor)
    client.force_login(user)
    assert client.get("/lists/cases/").status_code == 403
    with clock.pinned(dt.date(2026, 11, 20)):
        assert client.get("/lists/").status_code == 200
