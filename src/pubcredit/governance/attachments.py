"""Files attached to progress reports (调度进展附件): the repair app's approach to proof files (repair/evidence.py)
for the task ledger. The repair service is written for a repair case (its rows, its limits, its audit), so the
governance app keeps its own small copy of the approach rather than borrowing its private helpers:

- accepted by content, not by name: PDF, JPG, PNG, Word (DOCX) and Excel (XLSX) — the first bytes, then the whole
  file (Pillow verifies images, a PDF must end with ``%%EOF``, DOCX/XLSX must be Office Open XML packages), and the
  extension must say the same; at most ``PUBCREDIT_GOVERNANCE_ATTACHMENT_MAX_BYTES`` (default 10 MB) counted while
  the upload is written, and ``MAX_FILES_PER_REPORT`` a report;
- kept under ``PUBCREDIT_GOVERNANCE_ATTACHMENT_DIR`` (default ``var/governance-attachments``, never served by the web
  server) by their SHA-256;
- virus-scanned on the worker by the platform's scan command (``PUBCREDIT_REPAIR_SCAN_COMMAND``: one scanner for
  the platform): exit 0 clean, 1 infected (the file is deleted), anything else an error; no command, or one not
  installed: 未扫描 (``not_scanned``), never clean."""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError

__all__ = ["StoredFile", "attachment_store", "attachment_discard", "attachment_path", "attachment_scan",
           "MAX_FILES_PER_REPORT", "KINDS"]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_REPORT = 10
SCAN_TIMEOUT_SECONDS = 120
ZIP_MAGIC = b"PK\x03\x04"
# kind → (Chinese name, accepted extensions, leading bytes, the part an Office package must hold)
KINDS: dict[str, tuple[str, tuple[str, ...], bytes, str]] = {
    "pdf": ("PDF", (".pdf",), b"%PDF-", ""),
    "jpeg": ("JPG", (".jpg", ".jpeg"), b"\xff\xd8\xff", ""),
    "png": ("PNG", (".png",), b"\x89PNG\r\n\x1a\n", ""),
    "docx": ("Word", (".docx",), ZIP_MAGIC, "word/document.xml"),
    "xlsx": ("Excel", (".xlsx",), ZIP_MAGIC, "xl/workbook.xml"),
}
_PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG"}
SCAN_LABELS = {"pending": "待扫描", "clean": "未发现病毒", "infected": "发现病毒（已删除）", "error": "扫描出错",
               "not_scanned": "未扫描"}


def max_bytes() -> int:  # declared in settings.py (environment); the default here for a settings module without it
    return int(getattr(settings, "PUBCREDIT_GOVERNANCE_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def storage_dir() -> Path:
    return Path(getattr(settings, "PUBCREDIT_GOVERNANCE_ATTACHMENT_DIR", "")
                or Path(settings.VAR_DIR) / "governance-attachments")


def attachment_path(attachment) -> Path:
    return storage_dir() / attachment.stored_path


def _error(code: str, zh: str, en: str) -> DomainError:
    return DomainError(code, zh, en, "files")


def _office_kind(path: Path) -> str | None:
    """A DOCX or XLSX package, told apart by the part it holds; None for any other ZIP (or a damaged one)."""
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            if package.testzip() is not None:
                return None
    except (zipfile.BadZipFile, OSError):
        return None
    return next((kind for kind, (*_, part) in KINDS.items() if part and part in names), None)


def _sniff(path: Path) -> str | None:
    with path.open("rb") as fh:
        head = fh.read(16)
    if head.startswith(ZIP_MAGIC):
        return _office_kind(path) or "zip"
    return next((kind for kind, (_n, _e, magic, part) in KINDS.items() if not part and head.startswith(magic)), None)


def _content_whole(kind: str, path: Path) -> bool:
    if kind in ("docx", "xlsx"):
        return True  # _office_kind already read every member's checksum
    if kind == "pdf":
        with path.open("rb") as fh:
            fh.seek(max(0, path.stat().st_size - 1024))
            return b"%%EOF" in fh.read()
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.verify()
            return image.format == _PIL_FORMATS[kind]
    except Exception:  # noqa: BLE001 - any decoder complaint means the image is not whole
        return False


@dataclass(frozen=True)
class StoredFile:
    original_name: str
    kind: str
    size: int
    sha256: str
    stored_path: str
    created: bool  # written by this upload (an identical file kept before is shared, never removed for it)


def attachment_store(*, filename: str, chunks: Iterable[bytes]) -> StoredFile:
    """Check one upload and keep it by its SHA-256; refused (field ``files``), with nothing kept: empty, too large,
    not PDF/JPG/PNG/DOCX/XLSX by content, an extension that says otherwise, a damaged file."""
    name = Path(filename or "").name[:200]
    suffix = Path(name).suffix.lower()
    limit = max_bytes()
    folder = storage_dir()
    folder.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    handle, temp_name = tempfile.mkstemp(dir=folder, prefix=".upload-")
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise _error("governance.attachment_too_large",
                                 f"附件“{name}”超过{limit // (1024 * 1024)}MB", f"file over {limit} bytes")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise _error("governance.attachment_empty", f"附件“{name}”为空", "empty file")
        kind = _sniff(temp)
        if kind not in KINDS:
            raise _error("governance.attachment_type",
                         f"附件“{name}”的类型不被接受：只接受PDF、JPG、PNG、Word（docx）、Excel（xlsx）文件（按文件内容识别）",
                         "only PDF, JPG, PNG, DOCX or XLSX files (by content)")
        label, extensions, _magic, _part = KINDS[kind]
        if suffix not in extensions:
            raise _error("governance.attachment_extension_mismatch",
                         f"附件“{name}”的内容是{label}，与扩展名“{suffix or '无'}”不符",
                         f"content is {kind}, extension {suffix!r}")
        if not _content_whole(kind, temp):
            raise _error("governance.attachment_damaged", f"附件“{name}”（{label}）已损坏或不完整", f"damaged {kind}")
        sha = digest.hexdigest()
        relative = f"{sha[:2]}/{sha}{extensions[0]}"
        final = folder / relative
        created = not final.exists()
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp, final)
    finally:
        temp.unlink(missing_ok=True)
    return StoredFile(name or f"附件{extensions[0]}", kind, size, sha, relative, created)


def attachment_discard(stored: Iterable[StoredFile]) -> None:
    """Remove files this upload wrote when the report they came with was refused (nothing accepted is lost: a file
    another report holds was not written by this upload and stays)."""
    from pubcredit.governance.models import ProgressAttachment

    for file in stored:
        if file.created and not ProgressAttachment.objects.filter(stored_path=file.stored_path).exists():
            (storage_dir() / file.stored_path).unlink(missing_ok=True)


def scan_command() -> list[str]:
    raw = str(getattr(settings, "PUBCREDIT_REPAIR_SCAN_COMMAND", "") or "").strip()
    return shlex.split(raw) if raw else []


def attachment_scan(*, attachment):
    """Run the scan command on one file (worker); the same outcomes as the repair app's proof files."""
    if attachment.scan_status != "pending":
        return attachment
    command = scan_command()
    path = attachment_path(attachment)
    if not command or shutil.which(command[0]) is None:
        status, detail = "not_scanned", f"未找到病毒扫描程序{command[0] if command else ''}"
    elif not path.exists():
        status, detail = "error", "文件不存在"
    else:
        try:
            done = subprocess.run([*command, str(path)], capture_output=True, text=True,  # noqa: S603 - operator's
                                  timeout=SCAN_TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            status, detail = "error", f"扫描超时（{SCAN_TIMEOUT_SECONDS}秒）"
        else:
            output = (done.stdout or done.stderr or "").strip()[:250]
            if done.returncode == 0:
                status, detail = "clean", output
            elif done.returncode == 1:
                status, detail = "infected", output
                if not type(attachment).objects.filter(stored_path=attachment.stored_path).exclude(
                        pk=attachment.pk).exists():
                    path.unlink(missing_ok=True)
            else:
                status, detail = "error", f"退出码{done.returncode}：{output}"
    attachment.scan_status, attachment.scan_detail, attachment.scanned_at = status, detail[:300], clock.now()
    attachment.save(update_fields=["scan_status", "scan_detail", "scanned_at"])
    return attachment
