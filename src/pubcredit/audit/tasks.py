"""Sealing the audit trail (审计链封存): ``pubcredit worker`` calls it every few seconds, and enqueues a full sweep
once a day (docs/architecture.md, "Audit trail")."""

from __future__ import annotations

from django_tasks import task

from pubcredit.audit.services import SEAL_ROUND, audit_chain_seal


@task()
def seal_audit_chain(*, full: bool = False) -> int:
    """Chain the committed events that have no seal yet, round after round until caught up (a large import writes
    events faster than one round seals); ``full`` looks beyond the lookback window."""
    sealed = total = audit_chain_seal(full=full)
    while sealed >= SEAL_ROUND:
        sealed = audit_chain_seal(full=full)
        total += sealed
    return total
