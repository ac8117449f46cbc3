"""Step notices (办理进度通知): the applicant or objector and the identifying unit hear of every step; e-mail through
Django's mail settings on the worker when configured (tests: locmem), otherwise recorded as not sent and why."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from pubcredit.accounts.choices import Role
from pubcredit.accounts.services import token_create, user_create
from pubcredit.records.models import CreditRecord
from pubcredit.repair import services
from pubcredit.repair.models import Notice
from pubcredit.repair.notices import mail_configured
from pubcredit.repair.selectors import unread_notice_count
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.subjects.crypto import decrypt
from tests.factories import uscc
from tests.jobs.conftest import run_worker  # noqa: F401 - the worker in the test process
from tests.publicity.factories import eco_department, ndrc_penalty, submit

D = dt.date
ON = D(2026, 11, 2)
NO_MAIL = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "localhost"}


@pytest.fixture
def eco(db, system_actor):
    return eco_department(system_actor)


@pytest.fixture
def eco_reviewer(eco, system_actor):
    user = user_create(username="eco-rev", password="Reviewer#2026x", role=Role.REVIEWER, display_name="审核人",
                       department=eco, actor=system_actor)
    get_user_model().objects.filter(pk=user.pk).update(email="reviewer@eco.zibo.example")
    return user


@pytest.fixture
def record(eco, system_actor):
    result = submit([ndrc_penalty(1, decision_date="2026-04-15", valid_until="2026-04-15")], department=eco,
                    actor=system_actor, when="2026-04-20")
    return CreditRecord.objects.get(pk=result.record_ids[0])


def apply(record, actor, email="wang@xinyuan.example"):
    return services.repair_application_submit(
        record=record, applicant_uscc=uscc(1), contact_name="王经理", contact_phone="13800000000",
        proof_description="罚款已缴纳", commitment_signed=True, contact_email=email, actor=actor)


def test_each_application_step_notifies_the_applicant_and_the_unit_and_mails_on_the_worker(
        record, eco, eco_reviewer, system_actor, run_worker, django_capture_on_commit_callbacks):  # noqa: F811
    with clock.pinned(ON), django_capture_on_commit_callbacks(execute=True):
        app = apply(record, system_actor)
        services.repair_application_accept(application=app, department=eco, actor=eco_reviewer)
        services.repair_application_refuse(application=app, reason="罚款尚未缴清", department=eco, actor=eco_reviewer)
    notices = list(Notice.objects.filter(application=app).order_by("id"))
    assert [(n.step, n.recipient) for n in notices] == [
        ("submit", "applicant"), ("submit", "unit"), ("accept", "applicant"), ("accept", "unit"),
        ("refuse", "applicant"), ("refuse", "unit")]
    assert "2026年11月5日前作出是否受理的决定" in notices[0].message  # 3 WD (Order 36 art. 16)
    refusal = notices[4]
    assert "罚款尚未缴清" in refusal.message and "第十八条" in refusal.message  # reasons and the right to object
    assert {n.email_status for n in notices} == {"pending"}
    assert decrypt(notices[0].email_to_encrypted) == "wang@xinyuan.example"
    assert "wang@xinyuan.example" not in notices[0].email_to_encrypted  # encrypted at rest
    run_worker()
    assert {n.email_status for n in Notice.objects.filter(application=app)} == {"sent"}
    sent = [(m.to, m.subject) for m in mail.outbox]
    assert (["wang@xinyuan.example"], f"【信用修复申请{app.pk}】不予信用修复") in sent
    assert (["reviewer@eco.zibo.example"], f"【信用修复申请{app.pk}】已接收") in sent
    assert len(mail.outbox) == 6


def test_objection_steps_notify_the_objector_with_the_mark_and_the_outcome(record, eco, system_actor):
    with clock.pinned(D(2026, 11, 20)):
        obj = services.objection_submit(record=record, objector_name="李律师", objector_contact="13900000000",
                                        grounds="处罚日期有误", objector_email="li@law.example", actor=system_actor)
        services.objection_accept(objection=obj, department=eco, actor=system_actor)
        services.objection_decide(objection=obj, outcome="dismiss", reason="经核查日期无误", department=eco,
                                  actor=system_actor)
    to_objector = [n.message for n in Notice.objects.filter(objection=obj, recipient="applicant").order_by("id")]
    assert len(to_objector) == 3
    assert "异议处理中" in to_objector[1] and "2026年12月1日前完成核查" in to_objector[1]
    assert "异议不成立" in to_objector[2] and "经核查日期无误" in to_objector[2]


def test_without_a_mail_service_notices_stay_in_the_inbox_marked_not_configured(
        record, eco, eco_reviewer, system_actor, django_capture_on_commit_callbacks):
    with override_settings(**NO_MAIL):
        assert mail_configured() is False
        with clock.pinned(ON), django_capture_on_commit_callbacks(execute=True) as callbacks:
            apply(record, system_actor)
    assert callbacks == []  # nothing queued
    assert set(Notice.objects.values_list("email_status", flat=True)) == {"not_configured"}
    assert mail.outbox == []
    assert unread_notice_count(department=eco) == 1


def test_no_address_is_recorded_and_a_failed_send_is_kept_with_its_error(record, eco, system_actor, monkeypatch):
    from pubcredit.repair import notices

    with clock.pinned(ON):
        apply(record, system_actor, email="")
    assert set(Notice.objects.values_list("recipient", "email_status")) == {("applicant", "no_address"),
                                                                           ("unit", "no_address")}
    with clock.pinned(ON):
        services.objection_submit(record=record, objector_name="李律师", objector_contact="139",
                                  grounds="金额有误", objector_email="li@law.example", actor=system_actor)
    pending = Notice.objects.get(email_status="pending")

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notices, "send_mail", refuse)
    notices.notice_send(notice=pending)
    pending.refresh_from_db()
    assert pending.email_status == "failed" and "mail server down" in pending.email_error and pending.sent_at is None


def test_a_bad_email_address_is_a_field_error_and_nothing_is_kept(record, system_actor):
    with clock.pinned(ON), pytest.raises(DomainError) as exc:
        apply(record, system_actor, email="not-an-address")
    assert (exc.value.code, exc.value.field) == ("repair.email_invalid", "contact_email")
    assert not Notice.objects.exists()


def test_the_units_home_counts_unread_notices_and_the_page_marks_them_read(
        client, record, eco, eco_reviewer, system_actor):
    with clock.pinned(ON):
        apply(record, system_actor)
    client.force_login(eco_reviewer)
    home = client.get(reverse("console:home")).content.decode()
    assert "未读的信用修复与异议通知" in home and reverse("repair:notices") in home
    page = client.get(reverse("repair:notices")).content.decode()
    assert "【信用修复申请" in page and "待发送" in page
    newest = Notice.objects.order_by("-id").first().pk
    client.post(reverse("repair:notices_read"), {"up_to": newest})
    assert unread_notice_count(department=eco) == 0


def test_api_lists_the_departments_notices(client, record, eco, system_actor):
    token = token_create(department=eco, actor=system_actor)
    with clock.pinned(ON):
        apply(record, system_actor)
    body = client.get("/api/v1/repair-notices", {"unread": "true"},
                      HTTP_AUTHORIZATION=f"Bearer {token.plaintext}").json()
    assert [(n["recipient"], n["step"]) for n in body] == [("unit", "submit")]
    assert body[0]["email_status_zh"] == "无电子邮箱"
