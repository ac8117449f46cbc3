"""The case-office page (政府失信办理单位, /integrity/case-offices/): credit-centre operators grant a department's
system the government dishonesty cases API and withdraw it with a reason, both audited; the grant takes effect on
the department's token at once; nobody else opens the page; a bank is never offered nor accepted."""

import json

import pytest

from pubcredit.accounts.services import financial_institution_create, token_create, user_create
from pubcredit.accounts.choices import Role
from pubcredit.audit.models import AuditEvent
from pubcredit.integrity import cases
from pubcredit.integrity.models import CaseOffice
from pubcredit.rules.errors import DomainError
from tests.factories import uscc

pytestmark = pytest.mark.django_db

PAGE = "/integrity/case-offices/"
API = "/api/v1/integrity/cases"


def test_an_operator_grants_and_revokes_a_case_office_and_the_token_follows(client, operator, department,
                                                                           district_department, system_actor):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_create(department=department, actor=system_actor).plaintext}"}
    assert client.get(API, **auth).status_code == 403  # not a case office yet
    client.force_login(operator)
    assert "case-offices-link" in client.get("/integrity/cases/").content.decode()
    page = client.get(PAGE).content.decode()
    assert "尚未授予办理单位" in page and "淄博市市场监督管理局（市级）" in page and "张店区市场监督管理局（张店区）" in page

    granted = client.post(PAGE, {"department": department.pk}, follow=True)
    assert "已授予淄博市市场监督管理局为政府失信办理单位" in granted.content.decode()
    office = CaseOffice.objects.get(department=department)
    assert office.granted_by == operator
    listed = granted.content.decode().split('id="case-offices"', 1)[1].split("</table>", 1)[0]
    assert "淄博市市场监督管理局" in listed and "全市" in listed
    assert "淄博市市场监督管理局（市级）" not in granted.content.decode()  # no longer offered
    assert client.get(API, **auth).status_code == 200  # the department's system handles cases now

    revoke = f"{PAGE}{office.pk}/revoke/"
    missing = client.post(revoke, {f"office-{office.pk}-reason": ""})
    assert missing.status_code == 200 and "这个字段是必填项" in missing.content.decode()
    assert CaseOffice.objects.filter(pk=office.pk).exists()  # nothing withdrawn without a reason
    done = client.post(revoke, {f"office-{office.pk}-reason": "该局业务系统停用，改由信用中心办理"}, follow=True)
    assert "已撤销淄博市市场监督管理局的政府失信办理单位授权" in done.content.decode()
    assert not CaseOffice.objects.exists()
    assert client.get(API, **auth).status_code == 403  # refused again at once
    event = AuditEvent.objects.get(action="gov_case.office_revoked")
    assert event.actor_id == operator.pk and event.reason == "该局业务系统停用，改由信用中心办理"
    assert event.data == {"department": "SCJGJ", "reach": "city"} and event.before_hash  # what was withdrawn


def test_only_credit_centre_operators_open_the_page(client, operator, district_department, system_actor):
    district = user_create(username="zd", password="District#2026", role=Role.DISTRICT_OPERATOR,
                           display_name="张店区信用办", district=district_department.district, actor=system_actor)
    client.force_login(district)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"department": district_department.pk}).status_code == 403
    assert "case-offices-link" not in client.get("/integrity/cases/").content.decode()
    assert not CaseOffice.objects.exists()
    client.logout()
    assert client.get(PAGE).status_code == 302  # to the login


def test_a_financial_institution_is_never_a_case_office(client, operator, system_actor):
    bank = financial_institution_create(code="ZBBANK", name="淄博银行", uscc=uscc(901, registrar="91"),
                                        actor=system_actor)
    client.force_login(operator)
    assert "淄博银行" not in client.get(PAGE).content.decode()
    refused = client.post(PAGE, {"department": bank.pk})
    assert refused.status_code == 200 and not CaseOffice.objects.exists()
    with pytest.raises(DomainError) as caught:
        cases.case_office_grant(department=bank, actor=operator)
    assert caught.value.code == "integrity.case_office_kind"


def test_revoking_needs_an_operator_and_a_reason(operator, department, system_actor):
    office = cases.case_office_grant(department=department, actor=operator)
    with pytest.raises(DomainError) as refused:
        cases.case_office_revoke(office=office, reason="停用", actor=system_actor)
    assert refused.value.code == "integrity.operator_only"
    with pytest.raises(DomainError) as blank:
        cases.case_office_revoke(office=office, reason="  ", actor=operator)
    assert blank.value.code == "integrity.reason_required" and CaseOffice.objects.filter(pk=office.pk).exists()
