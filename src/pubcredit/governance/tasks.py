"""The governance part of the daily jobs (部门考核日计算), enqueued by the worker once per business day
(``jobs.services.DAILY_JOBS``); idempotent: a re-run recomputes the open month and never touches a frozen one."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from pubcredit.audit.services import SystemActor
from pubcredit.governance.mail import digest_emails_send
from pubcredit.governance.selectors import digest_counts
from pubcredit.governance.services import scorecards_compute
from pubcredit.rules import clock

logger = logging.getLogger("pubcredit.governance")


@task()
def governance_daily() -> dict[str, Any]:
    """Scorecards, then the per-department digest of late and due-soon steps (shown on the jobs page; each
    department reads its own in its inbox, computed live), then the digest by e-mail when a mail service is
    configured (governance/mail.py)."""
    today = clock.today()
    result = scorecards_compute(today=today, actor=SystemActor("worker:governance_daily"))
    result.digest = digest_counts(today=today)
    if result.digest:
        logger.warning("逾期或临期事项: %s", result.digest)
    return {**result.as_dict(), "digest_email": digest_emails_send(today=today)}


@task()
def scan_progress_attachments(attachment_ids: list[int]) -> dict[str, int]:
    """Run the virus-scan command on the files of one progress report; returns the recorded statuses."""
    from pubcredit.governance.attachments import attachment_scan
    from pubcredit.governance.models import ProgressAttachment

    counts: dict[str, int] = {}
    for attachment in ProgressAttachment.objects.filter(pk__in=attachment_ids).order_by("pk"):
        status = attachment_scan(attachment=attachment).scan_status
        counts[status] = counts.get(status, 0) + 1
    return counts
