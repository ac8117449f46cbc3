"""Arrears ledger pages: the public complaint form (no login), the ledger and one complaint per role, the figures."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pubcredit.integrity import services
from pubcredit.integrity.models import ArrearsComplaint
from tests.factories import uscc
from tests.integrity.helpers import PDF, complaint_input

pytestmark = pytest.mark.django_db


def _post_form(client, **overrides):
    data = {k: v for k, v in complaint_input(**overrides).items() if k != "evidence"}
    files = overrides.get("files", [SimpleUploadedFile("合同.pdf", PDF, content_type="application/pdf")])
    data.pop("files", None)
    return client.post("/public/integrity/arrears/", {**data, "evidence": files})


def test_public_form_files_a_complaint_without_login(client, today):
    assert client.get("/public/integrity/arrears/").status_code == 200
    response = _post_form(client)
    assert response.status_code == 200 and "QQ2026-00001" in response.content.decode()
    assert ArrearsComplaint.objects.get().evidence.count() == 1


def test_public_form_routes_a_private_debtor_with_a_clear_message(client, today):
    response = _post_form(client, debtor_uscc=uscc(777))
    body = response.content.decode()
    assert response.status_code == 400 and "国家拖欠中小企业款项投诉平台" in body
    assert not ArrearsComplaint.objects.exists()


def test_public_form_without_evidence_is_refused(client, today):
    response = _post_form(client, files=[])
    assert response.status_code == 400 and "请上传证明材料" in response.content.decode()


def test_public_form_refuses_a_file_over_the_upload_limit_before_reading_it(client, today, settings):
    settings.PUBCREDIT_UPLOAD_MAX_BYTES = 10
    response = _post_form(client)
    assert response.status_code == 400 and "文件超过" in response.content.decode()
    assert not ArrearsComplaint.objects.exists()


def test_ledger_pages_per_role(client, today, public_actor, operator, handler, provider, leader):
    complaint = services.arrears_complaint_file(**complaint_input(), actor=public_actor)
    client.force_login(operator)
    page = client.get(f"/integrity/arrears/{complaint.pk}/").content.decode()
    assert 'id="assign-form"' in page and 'id="verify-form"' not in page  # the operator transfers, never verifies
    assert client.post(f"/integrity/arrears/{complaint.pk}/assign/",
                       {"department": handler.department_id}).status_code == 302
    client.force_login(handler)
    page = client.get(f"/integrity/arrears/{complaint.pk}/").content.decode()
    assert 'id="verify-form"' in page
    response = client.post(f"/integrity/arrears/{complaint.pk}/verify/",
                           {"outcome": "confirmed", "amount_owed": "80000", "verified_on": "2026-11-20", "note": ""})
    assert response.status_code == 302
    evidence = complaint.evidence.get()
    download = client.get(f"/integrity/arrears/{complaint.pk}/evidence/{evidence.pk}/")
    assert download.content == PDF and download["Content-Disposition"].startswith("attachment")
    response = client.post(f"/integrity/arrears/{complaint.pk}/pay/",
                           {"amount": "90000", "paid_on": "2026-11-20", "note": ""})
    assert response.status_code == 400 and "超过尚欠金额" in response.content.decode()
    client.force_login(provider)  # another department's clerk
    assert client.get(f"/integrity/arrears/{complaint.pk}/").status_code == 404
    client.force_login(leader)
    figures = client.get("/integrity/arrears/figures/").content.decode()
    assert "淄博市某某局" in figures and "80,000.00元" in figures
    assert client.post(f"/integrity/arrears/{complaint.pk}/pay/",
                       {"amount": "1", "paid_on": "2026-11-20"}).status_code == 400  # leaders read, never act


def test_anonymous_users_never_see_the_ledger(client, today):
    assert client.get("/integrity/arrears/").status_code == 302  # to the login page


def test_operators_keep_the_state_enterprise_register(client, today, operator, provider):
    client.force_login(provider)
    assert client.get("/integrity/state-enterprises/").status_code == 403
    client.force_login(operator)
    response = client.post("/integrity/state-enterprises/", {"uscc": uscc(888, registrar="92"), "name": "某个体户",
                                                             "basis": "名单"})
    assert response.status_code == 400 and "前两位应为91" in response.content.decode()
    response = client.post("/integrity/state-enterprises/", {"uscc": uscc(888), "name": "淄博某国有控股公司",
                                                             "basis": "市国资委出资企业名单（2026）"})
    assert response.status_code == 302
    assert "淄博某国有控股公司" in client.get("/integrity/state-enterprises/").content.decode()
    response = client.post("/integrity/state-enterprises/", {"kind": "fiscal_group", "uscc": uscc(889, registrar="51"),
                                                             "name": "淄博市某某协会", "basis": "市级财政预算单位名单"})
    assert response.status_code == 302  # 条例第三十六条: a 团体组织 using fiscal funds
    page = client.get("/integrity/state-enterprises/").content.decode()
    assert "淄博市某某协会" in page and "使用财政资金的团体组织" in page


def test_an_enterprise_account_follows_its_own_complaints_and_nobody_elses(client, public_actor, operator, handler,
                                                                          system_actor):
    """Issue 22's enterprise accounts: a firm logged in on the public site sees the progress of what it filed."""
    import datetime as dt

    from pubcredit.accounts.services import enterprise_account_create
    from pubcredit.integrity import services
    from pubcredit.rules import clock
    from tests.factories import uscc
    from tests.integrity.helpers import FIRM, complaint_input

    with clock.pinned(dt.date(2026, 11, 2)):
        own = services.arrears_complaint_file(**complaint_input(), actor=public_actor)
        services.arrears_complaint_assign(complaint=own, department=handler.department, actor=operator)
        other = services.arrears_complaint_file(**complaint_input(complainant_uscc=uscc(509),
                                                                  complainant_name="另一家企业"), actor=public_actor)
    assert client.get("/public/integrity/arrears/mine/").status_code == 302  # anonymous: to the enterprise login
    account = enterprise_account_create(username="firm", password="Firm#2026-ok", uscc=FIRM,
                                        enterprise_name="淄博小微建筑有限公司", actor=system_actor)
    client.force_login(account.user)
    with clock.pinned(dt.date(2026, 11, 3)):
        page = client.get("/public/integrity/arrears/mine/").content.decode()
    assert own.number in page and "已转交待核实" in page and handler.department.name in page
    assert other.number not in page and "0533-1234567" not in page
