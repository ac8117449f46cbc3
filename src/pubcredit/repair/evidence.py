"""Proof files of repair applications and objections (证明材料、佐证材料: NDRC Order 36 art. 15(1), art. 18).

Writes of ``Evidence`` rows (a service module, like ``services.py``). An upload is accepted only as PDF, JPG or PNG,
recognised by its content — the first bytes, then Pillow for images and the end-of-file marker for PDF — and its
extension must say the same thing; at most ``PUBCREDIT_REPAIR_EVIDENCE_MAX_BYTES`` (default 10 MB) and 20 files a case.
Files are kept under ``PUBCREDIT_REPAIR_EVIDENCE_DIR`` (default ``var/repair-evidence``, never served by the web
server) by their SHA-256.

Virus scan (病毒扫描): ``PUBCREDIT_REPAIR_SCAN_COMMAND`` (e.g. ``clamdscan --no-summary``; the file's path is appended)
runs on the worker after the upload commits; exit 0 is clean, 1 infected (the file is deleted), anything else an
error. With no command, or a command not installed, the file is recorded as 未扫描 (``not_scanned``) — never as clean.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError

__all__ = ["evidence_add", "evidence_scan", "evidence_path", "MAX_FILES_PER_CASE"]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_CASE = 20
SCAN_TIMEOUT_SECONDS = 120
# kind → (Chinese name, accepted extensions, leading bytes)
KINDS: dict[str, tuple[str, tuple[str, ...], bytes]] = {
    "pdf": ("PDF", (".pdf",), b"%PDF-"),
    "jpeg": ("JPG", (".jpg", ".jpeg"), b"\xff\xd8\xff"),
    "png": ("PNG", (".png",), b"\x89PNG\r\n\x1a\n"),
}
_PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG"}


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


def _sniff(head: bytes) -> str | None:
    for kind, (_name, _exts, magic) in KINDS.items():
        if head.startswith(magic):
            return kind
    return None


def _content_whole(kind: str, path: Path) -> bool:
    """The file is what its first bytes say, through to its end: an image Pillow can verify, a PDF that ends."""
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
                    raise _error("repair.evidence_too_large", f"文件超过{limit // (1024 * 1024)}MB",
                                 f"file over {limit} bytes")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise _error("repair.evidence_empty", "文件为空", "empty file")
        with temp.open("rb") as fh:
            kind = _sniff(fh.read(16))
        if kind is None:
            raise _error("repair.evidence_type", "只接受PDF、JPG、PNG文件（按文件内容识别）",
                         "only PDF, JPG or PNG files (by content)")
        label, extensions, _magic = KINDS[kind]
        if suffix not in extensions:
            raise _error("repair.evidence_extension_mismatch",
                         f"文件内容是{label}，与扩展名“{suffix or '无'}”不符", f"content is {kind}, extension {suffix!r}")
        if not _content_whole(kind, temp):
            raise _error("repair.evidence_damaged", f"{label}文件已损坏或不完整", f"damaged {kind} file")
        sha = digest.hexdigest()
        relative = f"{sha[:2]}/{sha}{extensions[0]}"
        final = folder / relative
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp, final)
    finally:
        temp.unlink(missing_ok=True)
    command = _scan_command()
    status, detail = ("pending", "") if command else ("not_scanned", "未配置病毒扫描命令")
    with transaction.atomic():
        if not _case_open(type(case).objects.select_for_update().get(pk=case.pk)):  # closed while uploading
            if not Evidence.objects.filter(stored_path=relative).exists():
                final.unlink(missing_ok=True)
            raise _closed()
        evidence = Evidence(original_name=name or f"upload{extensions[0]}", kind=kind, size=size, sha256=sha,
                            stored_path=relative, scan_status=status, scan_detail=detail, created_at=clock.now(),
                            **link)
        evidence.full_clean()
        evidence.save()
        event = Event.REPAIR_APPLICATION_MOVED if "application" in link else Event.OBJECTION_MOVED
        audit.record(event, actor=actor, object_type="repair_application" if "application" in link else "objection",
                     object_id=case.pk, before=None, after={"evidence": evidence.pk, "sha256": sha, "size": size},
                     reason=f"提交证明材料：{evidence.original_name}", rule_version=case.rule_version,
                     data={"event": "evidence", "record_id": case.record_id, "evidence_id": evidence.pk})
        if status == "pending":
            from pubcredit.repair.tasks import scan_repair_evidence

            evidence_id = evidence.pk
            transaction.on_commit(lambda: scan_repair_evidence.enqueue(evidence_id=evidence_id))
    return evidence


def _scan_command() -> list[str]:
    raw = str(getattr(settings, "PUBCREDIT_REPAIR_SCAN_COMMAND", "") or "").strip()
    return shlex.split(raw) if raw else []


def evidence_scan(*, evidence):
    """Run the scan hook on one file (worker). Clean: exit 0; infected: exit 1, the file is deleted; anything else,
    a timeout or a missing file: ``error``; no command or a command not installed: ``not_scanned``."""
    if evidence.scan_status != "pending":
        return evidence
    command = _scan_command()
    path = evidence_path(evidence)
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
                path.unlink(missing_ok=True)
            else:
                status, detail = "error", f"退出码{done.returncode}：{output}"
    evidence.scan_status, evidence.scan_detail, evidence.scanned_at = status, detail[:300], clock.now()
    evidence.save(update_fields=["scan_status", "scan_detail", "scanned_at"])
    return evidence
