"""Proof files of repair applications and objections (证明材料、佐证材料: NDRC Order 36 art. 15(1), art. 18).

Writes of ``Evidence`` rows (a service module, like ``services.py``). Files are kept the platform's one way
(``pubcredit.uploads``: recognised by content, stored by SHA-256, scanned on the worker by ``PUBCREDIT_REPAIR_SCAN_
COMMAND`` after the upload commits, e.g. ``clamdscan --no-summary``): PDF, JPG or PNG, at most
``PUBCREDIT_REPAIR_EVIDENCE_MAX_BYTES`` (default 10 MB) and 20 files a case, under ``PUBCREDIT_REPAIR_EVIDENCE_DIR``
(default ``var/repair-evidence``, never served by the web server). An infected file is deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.uploads import scan_command, scan_file, store_upload

__all__ = ["evidence_add", "evidence_scan", "evidence_path", "MAX_FILES_PER_CASE"]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_CASE = 20
ACCEPTED_KINDS = ("pdf", "jpeg", "png")


def max_bytes() -> int:
    return int(getattr(settings, "PUBCREDIT_REPAIR_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def storage_dir() -> Path:
    return Path(getattr(settings, "PUBCREDIT_REPAIR_EVIDENCE_DIR", Path(settings.VAR_DIR) / "repair-evidence"))


def evidence_path(evidence) -> Path:
    return storage_dir() / evidence.stored_path


def _error(code: str, zh: str, en: str) -> DomainError:
    return DomainError(code, zh, en, "file")


def _closed() -> DomainError:
    return _error("repair.evidence_closed", "该案件已办结，不能再提交材料", "the case is closed")


def _case_open(case) -> bool:
    from pubcredit.repair.models import OPEN_APPLICATION, OPEN_OBJECTION, RepairApplication

    return case.state in (OPEN_APPLICATION if isinstance(case, RepairApplication) else OPEN_OBJECTION)


def evidence_add(*, case, filename: str, chunks: Iterable[bytes], actor: Any):
    """Keep one proof file for an open application or objection. Refused, with nothing kept: a closed case
    (``repair.evidence_closed``), too many files, an empty or too large file, content that is not PDF/JPG/PNG, an
    extension that says otherwise than the content, a damaged file (all on ``file``)."""
    from pubcredit.repair.models import Evidence, RepairApplication

    case = type(case).objects.get(pk=case.pk)  # the state as stored now, not as the caller last read it
    if not _case_open(case):
        raise _closed()
    link = {"application": case} if isinstance(case, RepairApplication) else {"objection": case}
    if Evidence.objects.filter(**link).count() >= MAX_FILES_PER_CASE:
        raise _error("repair.evidence_too_many", f"每件最多提交{MAX_FILES_PER_CASE}个文件",
                     f"at most {MAX_FILES_PER_CASE} files a case")
    stored = store_upload(filename=filename, chunks=chunks, folder=storage_dir(), limit=max_bytes(),
                          kinds=ACCEPTED_KINDS, named_zh=lambda name: "文件",
                          error=lambda what, zh, en: _error(f"repair.evidence_{what}", zh, en))
    relative, final = stored.stored_path, storage_dir() / stored.stored_path
    status, detail = ("pending", "") if scan_command() else ("not_scanned", "未配置病毒扫描命令")
    with transaction.atomic():
        if not _case_open(type(case).objects.select_for_update().get(pk=case.pk)):  # closed while uploading
            if not Evidence.objects.filter(stored_path=relative).exists():
                final.unlink(missing_ok=True)
            raise _closed()
        evidence = Evidence(original_name=stored.original_name, kind=stored.kind, size=stored.size,
                            sha256=stored.sha256, stored_path=relative, scan_status=status, scan_detail=detail, created_at=clock.now(),
                            **link)
        evidence.full_clean()
        evidence.save()
        event = Event.REPAIR_APPLICATION_MOVED if "application" in link else Event.OBJECTION_MOVED
        audit.record(event, actor=actor, object_type="repair_application" if "application" in link else "objection",
                     object_id=case.pk, before=None,
                     after={"evidence": evidence.pk, "sha256": stored.sha256, "size": stored.size},
                     reason=f"提交证明材料：{evidence.original_name}", rule_version=case.rule_version,
                     data={"event": "evidence", "record_id": case.record_id, "evidence_id": evidence.pk})
        if status == "pending":
            from pubcredit.repair.tasks import scan_repair_evidence

            evidence_id = evidence.pk
            transaction.on_commit(lambda: scan_repair_evidence.enqueue(evidence_id=evidence_id))
    return evidence


def evidence_scan(*, evidence):
    """Scan one file on the worker (``pubcredit.uploads.scan_file``); an infected file is deleted."""
    if evidence.scan_status != "pending":
        return evidence
    path = evidence_path(evidence)
    status, detail = scan_file(path)
    if status == "infected":
        path.unlink(missing_ok=True)
    evidence.scan_status, evidence.scan_detail, evidence.scanned_at = status, detail[:300], clock.now()
    evidence.save(update_fields=["scan_status", "scan_detail", "scanned_at"])
    return evidence
