"""企业用户注册 (issue 13 item 2): an enterprise registers on the public site with its USCC, legal representative and
contact; nothing logs in until the platform's confirmation code — issued by an operator who checked it, or sent by a
pluggable notifier — is entered with the chosen password."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pubcredit.accounts.models import EnterpriseAccount, EnterpriseRegistration, User
from pubcredit.accounts.services import (
    CODE_MAX_FAILURES, enterprise_registration_confirm, enterprise_registration_issue_code,
    enterprise_registration_reject, enterprise_registration_send_code, enterprise_registration_submit)
from pubcredit.audit.models import AuditEvent
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from tests.factories import uscc

pytestmark = pytest.mark.django_db

PASSWORD = "Qiye-register-2026"
SENT: list[tuple[int, str]] = []


def outbox_notifier(registration, code):
    """A notifier for tests: keeps what it would send."""
    SENT.append((registration.pk, code))
    return f"短信（{registration.contact_phone[-4:]}）"


def broken_notifier(registration, code):
    raise ConnectionError("短信平台不可用")


def register(system_actor, **overrides):
    values = {"uscc": uscc(7).lower(), "enterprise_name": "淄博示例科技有限公司", "legal_representative": "张三",
              "contact_name": "李四", "contact_phone": "13800000007", "username": "shili-keji", "password": PASSWORD}
    values.update(overrides)
    return enterprise_registration_submit(actor=system_actor, **values)


def test_a_registration_waits_for_the_operator_and_nothing_logs_in(system_actor):
    reg = register(system_actor)
    assert reg.state == "pending" and reg.uscc == uscc(7) and reg.code_hash == ""
    assert not User.objects.filter(username="shili-keji").exists()
    assert reg.password_hash != PASSWORD and reg.password_hash.startswith(("pbkdf2", "argon2", "md5", "bcrypt"))
    assert AuditEvent.objects.filter(action="enterprise_registration.step", data__event="submit").count() == 1


def test_every_field_at_fault_is_named_and_nothing_is_kept(system_actor):
    with pytest.raises(DomainError) as caught:
        register(system_actor, uscc="91370303MA0000010X", legal_representative=" ", contact_phone="12345",
                 username="ab", password="12345678")
    fields = {p.field for p in caught.value.problems}
    assert {"uscc", "legal_representative", "contact_phone", "username", "password"} <= fields
    assert not EnterpriseRegistration.objects.exists()


def test_a_username_already_taken_is_refused(system_actor, operator):
    with pytest.raises(DomainError) as caught:
        register(system_actor, username="OPERATOR")
    assert caught.value.code == "enterprise_registration.duplicate_username"
    register(system_actor)
    with pytest.raises(DomainError):
        register(system_actor, uscc=uscc(8))  # same username, open registration


def test_operator_code_opens_the_account_once(system_actor, operator):
    reg = register(system_actor)
    code = enterprise_registration_issue_code(registration=reg, actor=operator)
    assert len(code) == 6 and code.isdigit()
    reg.refresh_from_db()
    assert reg.state == "code_sent" and code not in reg.code_hash
    account = enterprise_registration_confirm(username="shili-keji", password=PASSWORD, code=code, actor=system_actor)
    assert account.uscc == uscc(7) and account.user.check_password(PASSWORD)
    assert account.user.role == "enterprise" and account.registration == EnterpriseRegistration.objects.get()
    reg.refresh_from_db()
    assert reg.state == "confirmed" and reg.code_hash == ""
    with pytest.raises(DomainError):  # the same code cannot open a second account
        enterprise_registration_confirm(username="shili-keji", password=PASSWORD, code=code, actor=system_actor)
    assert EnterpriseAccount.objects.count() == 1


def test_wrong_code_or_password_gives_one_message_and_the_code_dies_after_five(system_actor, operator):
    reg = register(system_actor)
    code = enterprise_registration_issue_code(registration=reg, actor=operator)
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(DomainError) as by_password:
        enterprise_registration_confirm(username="shili-keji", password="wrong-pass-1", code=code, actor=system_actor)
    with pytest.raises(DomainError) as by_code:
        enterprise_registration_confirm(username="shili-keji", password=PASSWORD, code=wrong, actor=system_actor)
    assert by_password.value.message_zh == by_code.value.message_zh == "用户名、密码或确认码不正确"
    for _ in range(CODE_MAX_FAILURES - 2):
        with pytest.raises(DomainError):
            enterprise_registration_confirm(username="shili-keji", password=PASSWORD, code=wrong, actor=system_actor)
    with pytest.raises(DomainError) as last:
        enterprise_registration_confirm(username="shili-keji", password=PASSWORD, code=wrong, actor=system_actor)
    assert last.value.code == "enterprise_registration.code_void"
    reg.refresh_from_db()
    assert reg.state == "pending" and reg.code_hash == "" and reg.code_failures == CODE_MAX_FAILURES
    with pytest.raises(DomainError) as caught:  # even the right code no longer works: a new one must be issued
        enterprise_registration_confirm(username="shili-keji", password=PASSWORD, code=code, actor=system_actor)
    assert caught.value.code == "enterprise_registration.no_code"
    assert not EnterpriseAccount.objects.exists()


def test_an_expired_code_is_refused(system_actor, operator):
    reg = register(system_actor)
    code = enterprise_registration_issue_code(registration=reg, actor=operator)
    with clock.pinned(clock.today() + dt.timedelta(days=4)):
        with pytest.raises(DomainError) as caught:
            enterprise_registration_confirm(username="shili-keji", password=PASSWORD, code=code, actor=system_actor)
    assert caught.value.code == "enterprise_registration.code_expired"


def test_a_rejected_registration_cannot_be_confirmed(system_actor, operator):
    reg = register(system_actor)
    with pytest.raises(DomainError):
        enterprise_registration_reject(registration=reg, reason="", actor=operator)
    enterprise_registration_reject(registration=reg, reason="法定代表人与登记信息不符", actor=operator)
    with pytest.raises(DomainError) as caught:
        enterprise_registration_issue_code(registration=reg, actor=operator)
    assert caught.value.code == "enterprise_registration.closed"


def test_the_pluggable_notifier_sends_the_code_at_registration(system_actor, settings):
    settings.PUBCREDIT_ENTERPRISE_CODE_NOTIFIER = "tests.accounts.test_enterprise_registration.outbox_notifier"
    SENT.clear()
    reg = register(system_actor)
    assert reg.state == "code_sent" and reg.code_channel == "短信（0007）"
    assert [pk for pk, _ in SENT] == [reg.pk]
    account = enterprise_registration_confirm(username="shili-keji", password=PASSWORD, code=SENT[0][1],
                                              actor=system_actor)
    assert account.enterprise_name == "淄博示例科技有限公司"


def test_a_failing_notifier_leaves_the_registration_to_the_operator(system_actor, settings):
    settings.PUBCREDIT_ENTERPRISE_CODE_NOTIFIER = "tests.accounts.test_enterprise_registration.broken_notifier"
    reg = register(system_actor)
    assert reg.state == "pending" and reg.code_hash == "" and "短信平台不可用" in reg.code_channel
    settings.PUBCREDIT_ENTERPRISE_CODE_NOTIFIER = ""
    with pytest.raises(DomainError) as caught:
        enterprise_registration_send_code(registration=reg, actor=system_actor)
    assert caught.value.code == "enterprise_registration.no_notifier"


def test_register_and_confirm_through_the_pages(client, operator):
    page = client.get(reverse("enterprise:register"))
    assert page.status_code == 200 and "法定代表人" in page.content.decode()
    bad = client.post(reverse("enterprise:register"), {"uscc": "123", "enterprise_name": "某公司"})
    assert bad.status_code == 400 and "role=\"alert\"" in bad.content.decode()
    form = {"uscc": uscc(7), "enterprise_name": "淄博示例科技有限公司", "legal_representative": "张三",
            "contact_name": "李四", "contact_phone": "0533-1234567", "username": "shili-keji",
            "password": PASSWORD, "password_again": PASSWORD}
    done = client.post(reverse("enterprise:register"), form, follow=True)
    assert "注册已提交" in done.content.decode() and "待核验" in done.content.decode()
    reg = EnterpriseRegistration.objects.get()
    staff = client.__class__()
    staff.force_login(operator)
    queue = staff.get(reverse("accounts:enterprise_registrations"))
    assert "淄博示例科技有限公司" in queue.content.decode()
    shown = staff.post(reverse("accounts:enterprise_registration_action", args=[reg.pk, "issue_code"]), follow=True)
    body = shown.content.decode()
    assert "仅显示一次" in body
    code = body.split('data-testid="confirmation-code">')[1][:6]
    assert "仅显示一次" not in staff.get(reverse("accounts:enterprise_registrations")).content.decode()
    confirmed = client.post(reverse("enterprise:confirm"), {"username": "shili-keji", "password": PASSWORD,
                                                            "code": code}, follow=True)
    assert "企业用户已开通" in confirmed.content.decode() and uscc(7) in confirmed.content.decode()


def test_only_operators_check_registrations(client, provider):
    client.force_login(provider)
    assert client.get(reverse("accounts:enterprise_registrations")).status_code == 403
