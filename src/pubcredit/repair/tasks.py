"""Worker jobs of the repair app: the daily digest of overdue steps (超期提醒) and the e-mail of step notices."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from pubcredit.repair.models import Notice
from pubcredit.repair.notices import notice_send
from pubcredit.repair.selectors import overdue_digest

log = logging.getLogger("pubcredit.repair")


@task()
def repair_overdue_digest() -> dict[str, Any]:
    """One warning line per identifying unit with overdue steps (the unit's and the credit centre's workbench show
    the same cases, overdue first); the returned digest is kept on the job's row (jobs page)."""
    digest = overdue_digest()
    for row in digest["units"]:
        log.warning("信用修复与异议超期：%s 修复申请%d件、异议%d件，最早期限%s", row["department"], row["applications"],
                    row["objections"], row["oldest_due"])
    return digest


@task()
def send_repair_notices(notice_ids: list[int]) -> dict[str, int]:
    """E-mail the notices of one step (queued when the step commits); each notice records sent or failed."""
    counts: dict[str, int] = {}
    for notice in Notice.objects.filter(pk__in=notice_ids, email_status="pending").order_by("pk"):
        status = notice_send(notice=notice).email_status
        counts[status] = counts.get(status, 0) + 1
    return counts


@task()
def scan_repair_evidence(evidence_id: int) -> str:
    """Run the virus-scan hook on one uploaded proof file; returns the recorded status."""
    from pubcredit.repair.evidence import evidence_scan
    from pubcredit.repair.models import Evidence

    evidence = Evidence.objects.filter(pk=evidence_id).first()
    return evidence_scan(evidence=evidence).scan_status if evidence is not None else "missing"
