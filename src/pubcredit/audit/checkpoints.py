"""Signed checkpoints of the audit chain (审计链签名检查点): the chain head, signed, kept outside the database.

A hash chain alone does not survive a database administrator: deleting the newest links, or editing a row and
recomputing every later hash, leaves a chain that verifies. A checkpoint is the statement "link ``position`` of the
chain whose first link is ``first_hash`` has hash ``head_hash``", signed with ECDSA P-256 / SHA-256 (the approach of
the credit reports' signing, docs/reports.md) by a key kept in a file outside the database, and appended to a
file outside the database (``PUBCREDIT_AUDIT_CHECKPOINT_FILE``, one JSON object per line). ``verify_audit`` then
finds a truncated chain (a checkpoint beyond its end) and a re-chained one (a checkpoint whose position now has
another hash).

Why a signature rather than an HMAC: whoever can verify an HMAC can also forge one, and the HMAC key would sit in
the settings of the server the administrator works on; with a key pair, an auditor verifies with the public key
alone (``verify_audit --public-key``), and only the holder of the private key file can make checkpoints.

The key: ``PUBCREDIT_AUDIT_SIGNING_KEY`` (a PEM private key file), else the report signing key
``PUBCREDIT_REPORT_SIGNING_KEY`` when a site configured one, else a demo key made at first use under
``var/audit-signing/`` (mode 0600; development and tests only).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from pubcredit import jsoncodec


def signing_key_path() -> Path:
    configured = (os.environ.get("PUBCREDIT_AUDIT_SIGNING_KEY", "").strip()
                  or os.environ.get("PUBCREDIT_REPORT_SIGNING_KEY", "").strip())
    if configured:
        return Path(configured)
    return Path(settings.VAR_DIR) / "audit-signing" / "key.pem"


def _demo_key_create(path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    path.parent.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)


@cache
def _private_key(path: Path):
    from cryptography.hazmat.primitives import serialization

    if not path.is_file():
        if path == Path(settings.VAR_DIR) / "audit-signing" / "key.pem":
            try:
                _demo_key_create(path)
            except FileExistsError:  # another process made it first
                pass
        else:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(f"audit signing key missing: {path}")
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def private_key():
    return _private_key(signing_key_path())


def public_key_load(path: Path | None = None):
    """The key that verifies checkpoints: a PEM public key (or certificate) file, or the signing key's own."""
    if path is None:
        return private_key().public_key()
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    data = path.read_bytes()
    if b"CERTIFICATE" in data:
        return x509.load_pem_x509_certificate(data).public_key()
    if b"PRIVATE KEY" in data:
        return serialization.load_pem_private_key(data, password=None).public_key()
    return serialization.load_pem_public_key(data)


def key_id(public_key) -> str:
    """SHA-256 of the public key (SubjectPublicKeyInfo DER), first 16 hex digits: which key signed."""
    from cryptography.hazmat.primitives import serialization

    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()[:16]


@dataclass(frozen=True)
class Checkpoint:
    position: int
    head_hash: str
    first_hash: str
    made_at: str  # UTC ISO text, as signed
    key_id: str
    signature: str  # base64 DER ECDSA signature over :meth:`statement`

    def statement(self) -> bytes:
        return jsoncodec.canonical({"purpose": "pubcredit audit checkpoint", "position": self.position,
                                    "head_hash": self.head_hash, "first_hash": self.first_hash,
                                    "made_at": self.made_at, "key_id": self.key_id}).encode()

    def as_json(self) -> dict[str, Any]:
        return {"position": self.position, "head_hash": self.head_hash, "first_hash": self.first_hash,
                "made_at": self.made_at, "key_id": self.key_id, "signature": self.signature}

    def signature_valid(self, public_key) -> bool:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec

        try:
            public_key.verify(base64.b64decode(self.signature, validate=True), self.statement(),
                              ec.ECDSA(hashes.SHA256()))
        except (InvalidSignature, ValueError):
            return False
        return True


def checkpoint_sign(*, position: int, head_hash: str, first_hash: str, made_at: dt.datetime) -> Checkpoint:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    key = private_key()
    unsigned = Checkpoint(position, head_hash, first_hash, made_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
                          key_id(key.public_key()), "")
    signature = key.sign(unsigned.statement(), ec.ECDSA(hashes.SHA256()))
    return Checkpoint(**{**unsigned.as_json(), "signature": base64.b64encode(signature).decode()})


def export_path() -> Path | None:
    """Where checkpoints are appended; None when a site (or the test suite) turned the export off."""
    configured = settings.PUBCREDIT_AUDIT_CHECKPOINT_FILE
    return Path(configured) if configured else None


def export_append(checkpoint: Checkpoint, path: Path) -> None:
    """Append one line and flush it to disk before the database row commits (a crash leaves the file ahead)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(checkpoint.as_json(), ensure_ascii=False, sort_keys=True) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def export_read(path: Path) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints in an export file, and a problem per line that is not one (a damaged file is a finding)."""
    checkpoints, problems = [], []
    if not path.is_file():
        return checkpoints, problems
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            checkpoints.append(Checkpoint(position=int(data["position"]), head_hash=str(data["head_hash"]),
                                          first_hash=str(data["first_hash"]), made_at=str(data["made_at"]),
                                          key_id=str(data["key_id"]), signature=str(data["signature"])))
        except (ValueError, KeyError, TypeError):
            problems.append(f"line {number} of {path} is not a checkpoint")
    return checkpoints, problems
