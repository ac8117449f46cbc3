"""Sealing the audit trail (审计链封存): ``pubcredit worker`` calls it every few seconds, and enqueues a full sweep
once a day (docs/architecture.md, "Audit trail")."""

from __future__ import annotations

from django_tasks import task

from pubcredit.audit.services import audit_chain_seal


@task()
def seal_audit_chain(*, full: bool = False) -> int:
    """Chain the committed events that have no seal yet; ``full`` looks beyond the lookback window."""
    sealed = total = audit_chain_seal(full=full)
    while full and sealed:  # a full sweep drains everything, round by round
        sealed = audit_chain_seal(full=True)
        total += sealed
    return total
