"""The daily digest by e-mail (逾期与临期提醒邮件), a step of the daily governance job: to each department with
something late or due within 3 working days, one message in Chinese to its staff who see the digest in their inbox
(data providers and reviewers with an e-mail address on their account). Sent through Django's mail settings
(``PUBCREDIT_EMAIL_*`` in settings.py) only when a mail service is configured (``repair.notices.mail_configured``:
the platform's one test of it); otherwise nothing is sent and the job's result says so."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

from pubcredit.accounts.choices import Role
from pubcredit.accounts.models import Department
from pubcredit.governance.selectors import Digest, department_digest
from pubcredit.repair.notices import mail_configured
from pubcredit.rules import clock

__all__ = ["digest_recipients", "digest_message", "digest_emails_send"]

log = logging.getLogger("pubcredit.governance")
DIGEST_ROLES = (Role.PROVIDER, Role.REVIEWER)  # the roles whose home shows the digest counter


def _d(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def digest_recipients(department: Department) -> list[str]:
    users = get_user_model().objects.filter(department=department, role__in=DIGEST_ROLES, is_active=True) \
        .exclude(email="").order_by("email")
    return list(dict.fromkeys(u.email for u in users))


def digest_message(digest: Digest) -> tuple[str, str]:
    """(subject, body) in Chinese: the late items first, then those due soon, each with its due day."""
    late, soon = digest.late, digest.due_soon
    subject = (f"【公共信用信息平台】{digest.department.name}：已逾期{len(late)}项，"
               f"3个工作日内到期{len(soon)}项（{_d(digest.today)}）")
    lines = [f"{digest.department.name}：", "",
             f"截至{_d(digest.today)}，本单位有以下事项已逾期或将在{_d(digest.horizon)}（3个工作日）前到期：", ""]
    for title, items in (("一、已逾期", late), ("二、3个工作日内到期", soon)):
        if not items:
            continue
        lines.append(f"{title}（{len(items)}项）")
        lines += [f"  {n}. {i.kind_zh}　{i.reference or '—'}　期限{_d(i.due)}" for n, i in enumerate(items, start=1)]
        lines.append("")
    lines += [f"请登录工作台办理，详见“逾期与临期提醒”页面（{reverse('governance:digest')}）。",
              "本邮件由平台每日自动发送，请勿直接回复。"]
    return subject, "\n".join(lines)


def digest_emails_send(*, today: dt.date | None = None) -> dict[str, Any]:
    """One message per department with late or due-soon items and at least one recipient. Returns what happened
    (for the jobs page): sent, failed (with the error), departments without a recipient, or "not configured"."""
    today = today or clock.today()
    if not mail_configured():
        return {"configured": False, "sent": 0, "failed": [], "no_recipient": []}
    result: dict[str, Any] = {"configured": True, "sent": 0, "failed": [], "no_recipient": []}
    connection = get_connection()
    for department in Department.objects.order_by("code"):
        digest = department_digest(department=department, today=today)
        if not digest.items:
            continue
        to = digest_recipients(department)
        if not to:
            result["no_recipient"].append(department.name)
            continue
        subject, body = digest_message(digest)
        try:
            EmailMessage(subject, body, None, to, connection=connection).send(fail_silently=False)
        except Exception as exc:  # noqa: BLE001 - a transport error is reported on the job, the next department goes on
            log.warning("逾期与临期提醒邮件发送失败：%s %s", department.name, exc)
            result["failed"].append({"department": department.name, "error": f"{type(exc).__name__}: {exc}"[:200]})
        else:
            result["sent"] += 1
    return result
