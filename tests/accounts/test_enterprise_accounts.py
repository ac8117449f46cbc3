"""Enterprise accounts (企业用户) and financial institutions (金融机构): who they are, where they may log in."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from pubcredit.accounts.access import enterprise_account, is_financial_institution
from pubcredit.accounts.choices import DepartmentKind, Role
from pubcredit.accounts.models import Department, EnterpriseAccount
from pubcredit.accounts.services import enterprise_account_create, financial_institution_create, user_create
from pubcredit.audit.models import AuditEvent
from pubcredit.rules.errors import DomainError
from tests.factories import uscc

pytestmark = pytest.mark.django_db

PASSWORD = "Qiye-pass-2026"


@pytest.fixture
def account(system_actor):
    return enterprise_account_create(username="qiye1", password=PASSWORD, uscc=uscc(1).lower(),
                                     enterprise_name="淄博测试化工有限公司1", display_name="王会计", actor=system_actor)


def test_an_enterprise_account_is_one_user_for_one_uscc(account):
    assert account.uscc == uscc(1)  # normalised
    assert account.user.role == Role.ENTERPRISE and account.user.department is None and not account.user.is_staff
    assert enterprise_account(account.user) == account
    event = AuditEvent.objects.get(action="enterprise_account.create")
    assert event.object_id == "qiye1" and event.after_hash


def test_enterprise_account_checks_its_uscc_and_password(system_actor):
    with pytest.raises(DomainError) as caught:
        enterprise_account_create(username="x", password=PASSWORD, uscc="91370303MA0000010X", enterprise_name="某公司",
                                  actor=system_actor)
    assert caught.value.code.startswith("uscc")
    with pytest.raises(DomainError) as caught:
        enterprise_account_create(username="x", password="short", uscc=uscc(1), enterprise_name="某公司",
                                  actor=system_actor)
    assert caught.value.code == "enterprise_account.password"
    assert not EnterpriseAccount.objects.exists()


def test_the_enterprise_role_is_given_only_with_a_uscc(system_actor):
    with pytest.raises(DomainError) as caught:
        user_create(username="y", password=PASSWORD, role=Role.ENTERPRISE, actor=system_actor)
    assert caught.value.code == "user.enterprise_role"


def test_a_financial_institution_is_a_department_of_its_own_kind(system_actor):
    bank = financial_institution_create(code="ZBBANK", name="淄博银行", uscc=uscc(901), actor=system_actor)
    assert bank.kind == DepartmentKind.FINANCIAL_INSTITUTION and is_financial_institution(bank)
    call_command("create_department", code="QLBANK", name="齐鲁银行", uscc=uscc(902), financial_institution=True)
    assert is_financial_institution(Department.objects.get(code="QLBANK"))


def test_enterprise_logs_in_on_the_public_site_not_the_workbench(client, account):
    refused = client.post("/login/", {"username": "qiye1", "password": PASSWORD})
    assert refused.status_code == 200 and refused.context["form"].errors  # the staff form refuses the right password
    assert "_auth_user_id" not in client.session
    answer = client.post("/public/account/login/", {"username": "qiye1", "password": PASSWORD})
    assert answer.status_code == 302 and answer["Location"] == "/public/account/"
    home = client.get("/public/account/")
    assert "淄博测试化工有限公司1" in home.content.decode() and uscc(1) in home.content.decode()


def test_an_enterprise_session_opens_no_staff_page(client, account):
    client.force_login(account.user)
    for path in ("/workbench/", "/subjects/", "/lists/", "/admin/", "/api/v1/departments/stats"):
        answer = client.get(path)
        assert answer.status_code == 302 and answer["Location"] == "/public/account/", path
    assert client.get("/public/").status_code == 200


def test_staff_cannot_use_the_enterprise_login(client, system_actor):
    user_create(username="op", password=PASSWORD, role=Role.OPERATOR, actor=system_actor)
    answer = client.post("/public/account/login/", {"username": "op", "password": PASSWORD})
    assert answer.status_code == 200 and "不是企业用户" in answer.content.decode()


def test_enterprise_pages_ask_for_the_enterprise_login(client):
    answer = client.get("/public/account/")
    assert answer.status_code == 302 and answer["Location"].startswith("/public/account/login/?next=")
