"""Files attached to progress reports (调度进展附件), kept the platform's one way (``pubcredit.uploads``: by content,
by SHA-256, outside the web root, scanned on the worker):

- PDF, JPG, PNG, Word (DOCX) and Excel (XLSX); at most ``PUBCREDIT_GOVERNANCE_ATTACHMENT_MAX_BYTES`` (default 10 MB)
  a file and ``MAX_FILES_PER_REPORT`` a report; refusals on the field ``files`` with ``governance.attachment_*``
  codes;
- kept under ``PUBCREDIT_GOVERNANCE_ATTACHMENT_DIR`` (default ``var/governance-attachments``, never served by the
  web server)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.uploads import scan_command, scan_file, store_upload, StoredFile

__all__ = ["StoredFile", "attachment_store", "attachment_discard", "attachment_path", "attachment_scan",
           "scan_command", "MAX_FILES_PER_REPORT", "ACCEPTED_KINDS"]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_REPORT = 10
ACCEPTED_KINDS = ("pdf", "jpeg", "png", "docx", "xlsx")


def max_bytes() -> int:  # declared in settings.py (environment); the default here for a settings module without it
    return int(getattr(settings, "PUBCREDIT_GOVERNANCE_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def storage_dir() -> Path:
    return Path(getattr(settings, "PUBCREDIT_GOVERNANCE_ATTACHMENT_DIR", "")
                or Path(settings.VAR_DIR) / "governance-attachments")


def attachment_path(attachment) -> Path:
    return storage_dir() / attachment.stored_path


def attachment_store(*, filename: str, chunks: Iterable[bytes]) -> StoredFile:
    """Check one upload and keep it by its SHA-256; refused (field ``files``), with nothing kept: empty, too large,
    not PDF/JPG/PNG/DOCX/XLSX by content, an extension that says otherwise, a damaged file."""
    return store_upload(filename=filename, chunks=chunks, folder=storage_dir(), limit=max_bytes(),
                        kinds=ACCEPTED_KINDS, named_zh=lambda name: f"附件“{name}”",
                        error=lambda what, zh, en: DomainError(f"governance.attachment_{what}", zh, en, "files"))


def attachment_discard(stored: Iterable[StoredFile]) -> None:
    """Remove files this upload wrote when the report they came with was refused (nothing accepted is lost: a file
    another report holds was not written by this upload and stays)."""
    from pubcredit.governance.models import ProgressAttachment

    for file in stored:
        if file.created and not ProgressAttachment.objects.filter(stored_path=file.stored_path).exists():
            (storage_dir() / file.stored_path).unlink(missing_ok=True)


def attachment_scan(*, attachment):
    """Scan one file on the worker; an infected file is deleted unless another report holds the same file."""
    if attachment.scan_status != "pending":
        return attachment
    path = attachment_path(attachment)
    status, detail = scan_file(path)
    if status == "infected" and not type(attachment).objects.filter(
            stored_path=attachment.stored_path).exclude(pk=attachment.pk).exists():
        path.unlink(missing_ok=True)
    attachment.scan_status, attachment.scan_detail, attachment.scanned_at = status, detail[:300], clock.now()
    attachment.save(update_fields=["scan_status", "scan_detail", "scanned_at"])
    return attachment
