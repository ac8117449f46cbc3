"""The daily digest of overdue repair and objection steps (超期提醒), run by the worker once per business day."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

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
