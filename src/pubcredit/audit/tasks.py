"""Sealing the audit trail (审计链封存): ``pubcredit worker`` calls it every few seconds, and enqueues a full sweep
once a day (docs/architecture.md, "Audit trail")."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from pubcredit.audit.services import SEAL_ROUND, audit_chain_seal, audit_checkpoint_make


@task()
def seal_audit_chain(*, full: bool = False) -> int:
    """Chain the committed events that have no seal yet, round after round until caught up (a large import writes
    events faster than one round seals); ``full`` looks beyond the lookback window. Then sign a checkpoint of the
    chain head when the last one is older than ``PUBCREDIT_AUDIT_CHECKPOINT_EVERY``."""
    sealed = total = audit_chain_seal(full=full)
    while sealed >= SEAL_ROUND:
        sealed = audit_chain_seal(full=full)
        total += sealed
    audit_checkpoint_make(due_after=settings.PUBCREDIT_AUDIT_CHECKPOINT_EVERY)
    return total
