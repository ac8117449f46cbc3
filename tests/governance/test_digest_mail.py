"""The daily digest (逾期与临期提醒, issue 20 item 5): identification cases' deadlines join the digest, and the daily job
e-mails each department's digest through Django's mail settings when a mail service is configured (locmem here);
nothing is sent when none is."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from pubcredit.accounts.choices import Role
from pubcredit.accounts.services import user_create
from pubcredit.governance.mail import digest_emails_send
from pubcredit.governance.selectors import department_digest
from pubcredit.lists.models import IdentificationCase
from pubcredit.rules import clock
from tests.figures.test_figures import other_department

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def case(department, state: str, **dates) -> IdentificationCase:
    now = clock.now()
    return IdentificationCase.objects.create(
        list_code="samr_serious_violation", department=department, state=state, subject_name="淄博认定测试有限公司",
        subject_category="legal_person", grounds="事实", cited_basis="依据", finding_document="淄市监罚〔2026〕9号",
        rule_version="t", created_at=now, updated_at=now, **dates)


@pytest.fixture
def late_and_due(department, system_actor, today):
    """Today Friday 2026-11-20, horizon Wednesday 11-25: a commitment verification due 11-19 (late); a decided case
    whose 7-working-day push limit was 11-11 (late) and one due 11-23 (soon); a notified case whose 5-working-day
    defence period ends 11-24 (soon: an end, never late)."""
    from pubcredit.commitments.services import commitment_accept
    from tests.commitments.helpers import commitment

    commitment_accept(department=department, actor=system_actor, values=commitment(
        1, decision_date="2026-11-02", verification_date="2026-11-19"))
    case(department, "decided", decision_no="淄市监严失〔2026〕1号", decision_date=dt.date(2026, 11, 2))
    case(department, "decided", decision_no="淄市监严失〔2026〕2号", decision_date=dt.date(2026, 11, 12))
    case(department, "notified", notice_no="淄市监告〔2026〕3号", notified_on=dt.date(2026, 11, 17))
    case(department, "pushed", decision_no="淄市监严失〔2026〕4号", decision_date=dt.date(2026, 11, 2))  # done


def test_the_digest_lists_identification_cases_push_limits_and_defence_ends(department, late_and_due):
    digest = department_digest(department=department)
    assert [(i.kind_zh, i.reference, i.due.isoformat(), i.late) for i in digest.items] == [
        ("认定决定推送平台", "淄市监严失〔2026〕1号", "2026-11-11", True),
        ("信用承诺核查", "淄市监承诺〔2026〕1号", "2026-11-19", True),
        ("认定决定推送平台", "淄市监严失〔2026〕2号", "2026-11-23", False),
        ("陈述申辩期满（之后可作出认定决定）", "淄市监告〔2026〕3号", "2026-11-24", False),
    ]


def staff(username: str, role: str, department, email: str, active: bool = True):
    from pubcredit.audit.services import SystemActor

    user = user_create(username=username, password="Staff#2026-pass", role=role, display_name=username,
                       department=department, actor=SystemActor("test"))
    user.email, user.is_active = email, active
    user.save(update_fields=["email", "is_active"])
    return user


def test_the_daily_digest_is_mailed_per_department_to_its_staff_in_chinese(settings, department, late_and_due,
                                                                          system_actor):
    settings.EMAIL_BACKEND = LOCMEM
    staff("p1", Role.PROVIDER, department, "provider@scjgj.zibo.gov.cn")
    staff("r1", Role.REVIEWER, department, "reviewer@scjgj.zibo.gov.cn")
    staff("p2", Role.PROVIDER, department, "")  # no address
    staff("p3", Role.PROVIDER, department, "left@scjgj.zibo.gov.cn", active=False)
    staff("b1", Role.BUSINESS_USER, department, "business@scjgj.zibo.gov.cn")  # no digest in their inbox
    quiet = other_department(system_actor)
    staff("t1", Role.PROVIDER, quiet, "tax@zibo.gov.cn")  # nothing late or due: no mail
    result = digest_emails_send()
    assert result == {"configured": True, "sent": 1, "failed": [], "no_recipient": []}
    [message] = mail.outbox
    assert message.to == ["provider@scjgj.zibo.gov.cn", "reviewer@scjgj.zibo.gov.cn"]
    assert message.subject == "【公共信用信息平台】淄博市市场监督管理局：已逾期2项，3个工作日内到期2项（2026年11月20日）"
    body = message.body
    assert "一、已逾期（2项）" in body and "二、3个工作日内到期（2项）" in body
    assert "1. 认定决定推送平台　淄市监严失〔2026〕1号　期限2026年11月11日" in body
    assert "陈述申辩期满（之后可作出认定决定）　淄市监告〔2026〕3号　期限2026年11月24日" in body
    assert "/governance/digest/" in body and "淄市监严失〔2026〕4号" not in body


def test_a_department_without_a_recipient_is_reported_and_nothing_is_sent_without_a_mail_service(
        settings, late_and_due):
    settings.EMAIL_BACKEND = LOCMEM
    assert digest_emails_send()["no_recipient"] == ["淄博市市场监督管理局"] and mail.outbox == []
    settings.EMAIL_BACKEND, settings.EMAIL_HOST = "django.core.mail.backends.smtp.EmailBackend", "localhost"
    assert digest_emails_send() == {"configured": False, "sent": 0, "failed": [], "no_recipient": []}


def test_the_daily_job_runs_the_mail_step(settings, department, late_and_due, system_actor):
    from pubcredit.governance.tasks import governance_daily

    settings.EMAIL_BACKEND = LOCMEM
    staff("p1", Role.PROVIDER, department, "provider@scjgj.zibo.gov.cn")
    result = governance_daily.call()
    assert result["digest_email"]["sent"] == 1 and len(mail.outbox) == 1
    assert result["digest"] == [{"department": "淄博市市场监督管理局", "late": 2, "due_soon": 2}]
