"""Notices of each step of a repair application or objection (办理进度通知), to the applicant or objector and to the
identifying unit (认定单位). NDRC Order 36 art. 16–18 make the unit tell the applicant of non-acceptance, of
everything missing, of the decision with its reasons, and of a longer verification in advance; the platform tells
both sides of every step.

A notice is a row (``Notice``) written in the step's transaction; the unit reads its notices on its workbench home
and the notices page. E-mail goes out on the worker after the commit (``tasks.send_repair_notices``) when the site
has a mail server (:func:`mail_configured`) and the person gave an address (the unit: its handlers' account
e-mails); otherwise the notice records why nothing was sent (未配置邮件服务 / 无电子邮箱).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction

from pubcredit.rules import clock
from pubcredit.subjects.crypto import decrypt, encrypt

__all__ = ["mail_configured", "notify_step", "notice_send", "notices_mark_read"]

DEFAULT_SMTP = "django.core.mail.backends.smtp.EmailBackend"
ARTICLE_18 = "国家发展改革委令第36号第十八条"


def mail_configured() -> bool:
    """E-mail is sent when the site named a mail server (``EMAIL_HOST``) or another mail backend (a file, the
    console; tests: locmem). Django's default, SMTP to localhost, counts as no mail service."""
    return not (settings.EMAIL_BACKEND == DEFAULT_SMTP and settings.EMAIL_HOST in ("", "localhost"))


def _d(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "（未定）"


# step → (what happened, in Chinese; the details) for applications (信用修复申请) and objections (异议申诉)
_APPLICATION_STEPS: dict[str, tuple[str, Callable[[Any, str], str]]] = {
    "submit": ("已接收", lambda a, r: (f"认定单位应于{_d(a.accept_due)}前临时屏蔽该信息（破产重整，{_d(a.answer_due)}前反馈结果）。"
                                     if a.kind == "reorganisation" else
                                     f"认定单位应于{_d(a.accept_due)}前作出是否受理的决定；平台应于{_d(a.answer_due)}前反馈修复结果。")),
    "accept": ("已受理", lambda a, r: f"认定单位应于{_d(a.decide_due)}前作出信用修复决定。"),
    "notice": ("需一次性补正材料", lambda a, r: f"需要补正的全部材料：{a.notice_text}。补正后受理期限重新计算。"),
    "supplement": ("已补正材料", lambda a, r: f"认定单位应于{_d(a.accept_due)}前作出是否受理的决定。"),
    "not_accept": ("不予受理", lambda a, r: f"理由：{a.decision_reason}。对不予受理决定有异议的，可以提出异议申诉（{ARTICLE_18}）。"),
    "extend": ("办理期限延长", lambda a, r: f"因案情复杂，办理期限延长至{_d(a.decide_due)}。理由：{a.complex_reason}"),
    "grant": ("准予信用修复", lambda a, r: f"理由：{a.decision_reason}。该信息已停止公示，停止共享和使用。"),
    "refuse": ("不予信用修复", lambda a, r: f"理由：{a.decision_reason}。对不予修复决定有异议的，可以提出异议申诉（{ARTICLE_18}）。"),
    "withdraw": ("申请已撤回", lambda a, r: "该申请已撤回，不再办理。"),
    # 破产重整 (Order 36 art. 20): the shielding, the completion ruling filed, the plan failed or completed
    "shield": ("已临时屏蔽", lambda a, r: "重整计划或和解协议执行期间，该信息已临时屏蔽，停止公示和共享，相关限制措施临时解除；"
                                      "计划执行完毕后请提交人民法院确认执行完毕的裁定书，未执行成功的将恢复公示。"),
    "file_completion": ("已提交执行完毕裁定书", lambda a, r: f"裁定书文号{a.outcome_ruling_no}，请认定单位办理信用修复。"),
    "restore": ("重整计划未执行成功，已恢复公示", lambda a, r: f"理由：{a.decision_reason}（裁定书{a.outcome_ruling_no}）。"
                                               f"该信息恢复原有公示状态（国家发展改革委令第36号第二十条第二款）。"),
    "complete": ("重整计划执行完毕，准予信用修复", lambda a, r: f"理由：{a.decision_reason}（裁定书{a.outcome_ruling_no}）。"
                                              "该信息停止公示，停止共享和使用。"),
    "revoke": ("撤销信用修复决定", lambda a, r: f"理由：{r}。该信息恢复公示，{_d(a.fraud_block_until)}前不得申请信用修复。"),
}
_OBJECTION_STEPS: dict[str, tuple[str, Callable[[Any, str], str]]] = {
    "submit": ("已接收", lambda o, r: (f"认定单位应于{_d(o.accept_due)}前决定是否受理（{o.limits_article}）。"
                                     if o.accept_due else f"将于{_d(o.forward_due)}前推送认定单位。")),
    "extend": ("核查期限延长", lambda o, r: f"因情况复杂，核查期限延长至{_d(o.verify_due)}。理由：{o.extension_reason}"),
    "accept": ("已受理核查", lambda o, r: f"认定单位应于{_d(o.verify_due)}前完成核查。核查期间该信息继续公示，并标注“异议处理中”。"),
    "correct": ("异议成立，信息已更正", lambda o, r: f"更正后为第{o.corrected_version}版。理由：{o.decision_reason}"),
    "withdraw_record": ("异议成立，信息已撤销", lambda o, r: f"该信息已撤销，停止公示。理由：{o.decision_reason}"),
    "dismiss": ("异议不成立，维持原信息", lambda o, r: f"理由：{o.decision_reason}"),
}


def _handler_emails(department_id: int) -> list[str]:
    """The unit's handlers (reviewers and data providers act as the identifying unit) with an e-mail address."""
    from pubcredit.accounts.choices import Role

    return sorted(set(get_user_model().objects.filter(
        department_id=department_id, is_active=True, role__in=[Role.PROVIDER, Role.REVIEWER])
        .exclude(email="").values_list("email", flat=True)))


def _email_status(addresses: list[str]) -> str:
    if not addresses:
        return "no_address"
    return "pending" if mail_configured() else "not_configured"


def notify_step(case, event: str, reason: str = "") -> list[Any]:
    """Write the notices of one step — to the applicant or objector and to the identifying unit — inside the step's
    transaction; their e-mails are queued for the worker once it commits."""
    from pubcredit.repair.models import Notice, RepairApplication

    is_application = isinstance(case, RepairApplication)
    steps = _APPLICATION_STEPS if is_application else _OBJECTION_STEPS
    if event not in steps:
        return []
    happened, details = steps[event]
    kind = ("破产重整信用修复申请" if case.kind == "reorganisation" else "信用修复申请") if is_application else "异议申诉"
    title = f"【{kind}{case.pk}】{happened}"
    about = f"决定文书号{case.record.decision_no}的信用信息"
    text = f"{kind}{case.pk}（{about}）{happened}。{details(case, reason)}"
    applicant_email = case.contact_email_encrypted if is_application else case.objector_email_encrypted
    applicant_to = [decrypt(applicant_email)] if applicant_email else []
    unit_to = _handler_emails(case.department_id)
    now = clock.now()
    link = {"application": case} if is_application else {"objection": case}
    notices = [Notice(recipient=recipient, department_id=case.department_id, step=event, subject_line=title,
                      message=text, email_to_encrypted=encrypt(",".join(to)) if to else "",
                      email_status=_email_status(to), created_at=now, **link)
               for recipient, to in (("applicant", applicant_to), ("unit", unit_to))]
    Notice.objects.bulk_create(notices)
    pending = [n.pk for n in notices if n.email_status == "pending"]
    if pending:
        from pubcredit.repair.tasks import send_repair_notices

        transaction.on_commit(lambda: send_repair_notices.enqueue(notice_ids=pending))
    return notices


def notice_send(*, notice) -> Any:
    """Send one notice's e-mail (worker). A notice already sent is not sent again; a failure is recorded with its
    error (the notice stays in the inbox either way)."""
    if notice.email_status != "pending":
        return notice
    to = [a for a in decrypt(notice.email_to_encrypted).split(",") if a] if notice.email_to_encrypted else []
    try:
        send_mail(notice.subject_line, notice.message, None, to, fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - any transport error is recorded on the notice, never lost
        notice.email_status, notice.email_error = "failed", f"{type(exc).__name__}: {exc}"[:300]
    else:
        notice.email_status, notice.sent_at = "sent", clock.now()
    notice.save(update_fields=["email_status", "email_error", "sent_at"])
    return notice


def notices_mark_read(*, department, up_to: int) -> int:
    """The unit has read its notices up to id ``up_to`` (the notices page's 全部标为已读)."""
    from pubcredit.repair.models import Notice

    return Notice.objects.filter(department=department, recipient="unit", read_at__isnull=True,
                                 pk__lte=up_to).update(read_at=clock.now())
