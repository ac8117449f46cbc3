"""Uploaded files kept outside the web root (证明材料、附件): recognised by their content, stored by their SHA-256,
virus-scanned on the worker by the platform's one scanner. Plumbing for the apps that keep files — repair's proof
files (repair/evidence.py) and governance's progress-report attachments (governance/attachments.py); each app keeps
its own rows, limits, error codes and audit.

- Accepted by content, not by name: the first bytes, then the whole file (Pillow verifies an image, a PDF must end
  with ``%%EOF``, a DOCX/XLSX must be an Office Open XML package whose members pass their checksums), and the
  extension must say the same. The size limit is counted while the upload is written, so nothing larger is kept.
- Scanned by ``PUBCREDIT_REPAIR_SCAN_COMMAND`` (the file's path is appended): exit 0 clean, 1 infected, anything
  else or a timeout an error; no command, or one not installed: 未扫描 (``not_scanned``), never clean.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from pubcredit.rules.errors import DomainError

SCAN_TIMEOUT_SECONDS = 120
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class FileKind:
    label_zh: str
    extensions: tuple[str, ...]
    magic: bytes
    package_part: str = ""  # the member an Office package must hold (tells DOCX from XLSX)

    @property
    def offered_zh(self) -> str:
        return f"{self.label_zh}（{self.extensions[0][1:]}）" if self.package_part else self.label_zh


FILE_KINDS: dict[str, FileKind] = {
    "pdf": FileKind("PDF", (".pdf",), b"%PDF-"),
    "jpeg": FileKind("JPG", (".jpg", ".jpeg"), b"\xff\xd8\xff"),
    "png": FileKind("PNG", (".png",), b"\x89PNG\r\n\x1a\n"),
    "docx": FileKind("Word", (".docx",), ZIP_MAGIC, "word/document.xml"),
    "xlsx": FileKind("Excel", (".xlsx",), ZIP_MAGIC, "xl/workbook.xml"),
}
_PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG"}


@dataclass(frozen=True)
class StoredFile:
    original_name: str
    kind: str
    size: int
    sha256: str
    stored_path: str  # relative to the app's storage folder
    created: bool  # written by this upload (an identical file kept before is shared, never removed for it)


def _office_kind(path: Path) -> str | None:
    """A DOCX or XLSX package, told apart by the member it holds; None for any other ZIP or a damaged one."""
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            if package.testzip() is not None:
                return None
    except (zipfile.BadZipFile, OSError):
        return None
    return next((code for code, kind in FILE_KINDS.items() if kind.package_part in names and kind.package_part), None)


def sniff(path: Path) -> str | None:
    """The kind the file's content says it is (any ZIP that is not an Office package: ``zip``), or None."""
    with path.open("rb") as fh:
        head = fh.read(16)
    if head.startswith(ZIP_MAGIC):
        return _office_kind(path) or "zip"
    return next((code for code, kind in FILE_KINDS.items() if not kind.package_part and head.startswith(kind.magic)),
                None)


def _content_whole(kind: str, path: Path) -> bool:
    if FILE_KINDS[kind].package_part:
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


def store_upload(*, filename: str, chunks: Iterable[bytes], folder: Path, limit: int, kinds: tuple[str, ...],
                 error: Callable[[str, str, str], DomainError], named_zh: Callable[[str], str]) -> StoredFile:
    """Check one upload and keep it in ``folder`` by its SHA-256. Refused, with nothing kept, through ``error(what,
    zh, en)`` where ``what`` is ``too_large``, ``empty``, ``type``, ``extension_mismatch`` or ``damaged`` (the app
    makes its own code of it); ``named_zh(name)`` is how the app's messages name the file (文件, 附件“…”)."""
    name = Path(filename or "").name[:200]
    suffix = Path(name).suffix.lower()
    label = named_zh(name)
    folder.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    handle, temp_name = tempfile.mkstemp(dir=folder, prefix=".upload-")
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise error("too_large", f"{label}超过{limit // (1024 * 1024)}MB", f"file over {limit} bytes")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise error("empty", f"{label}为空", "empty file")
        kind = sniff(temp)
        if kind not in kinds:
            offered = "、".join(FILE_KINDS[k].offered_zh for k in kinds)
            raise error("type", f"{label}的类型不被接受：只接受{offered}文件（按文件内容识别）",
                        f"only {', '.join(k.upper() for k in kinds)} files (by content)")
        accepted = FILE_KINDS[kind]
        if suffix not in accepted.extensions:
            raise error("extension_mismatch", f"{label}的内容是{accepted.label_zh}，与扩展名“{suffix or '无'}”不符",
                        f"content is {kind}, extension {suffix!r}")
        if not _content_whole(kind, temp):
            raise error("damaged", f"{label}（{accepted.label_zh}）已损坏或不完整", f"damaged {kind} file")
        sha = digest.hexdigest()
        relative = f"{sha[:2]}/{sha}{accepted.extensions[0]}"
        final = folder / relative
        created = not final.exists()
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp, final)
    finally:
        temp.unlink(missing_ok=True)
    return StoredFile(name or f"文件{accepted.extensions[0]}", kind, size, sha, relative, created)


def scan_command() -> list[str]:
    raw = str(getattr(settings, "PUBCREDIT_REPAIR_SCAN_COMMAND", "") or "").strip()
    return shlex.split(raw) if raw else []


def scan_file(path: Path) -> tuple[str, str]:
    """Run the scan command on one kept file (on the worker): (status, detail). An infected file is the caller's to
    delete (it may be shared by another row)."""
    command = scan_command()
    if not command or shutil.which(command[0]) is None:
        return "not_scanned", f"未找到病毒扫描程序{command[0] if command else ''}"
    if not path.exists():
        return "error", "文件不存在"
    try:
        done = subprocess.run([*command, str(path)], capture_output=True, text=True,  # noqa: S603 - operator's
                              timeout=SCAN_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        return "error", f"扫描超时（{SCAN_TIMEOUT_SECONDS}秒）"
    output = (done.stdout or done.stderr or "").strip()[:250]
    if done.returncode == 0:
        return "clean", output
    if done.returncode == 1:
        return "infected", output
    return "error", f"退出码{done.returncode}：{output}"
