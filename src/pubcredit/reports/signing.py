"""The platform's report signing key and certificate (报告签章), PAdES signing and validation with pyHanko.

Production: set ``PUBCREDIT_REPORT_SIGNING_KEY`` and ``PUBCREDIT_REPORT_SIGNING_CERT`` to PEM files issued by the
city's certificate authority (the key readable by the web and worker users only; it is never in the repository).
Without them the platform uses a self-issued demo pair under ``var/report-signing/`` made at first use (or by
``pubcredit report_signing_demo``); a PDF reader then shows the signature as made by an unknown signer.

Rotation (更换签章证书, ``pubcredit report_signing_rotate``): every certificate the platform has signed with is kept
(public part only) with the time it was in use (``SigningCertificate``); a report verifies when it was signed by one
of them while that certificate was in use, so reports signed before a rotation stay genuine.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from django.core.exceptions import ImproperlyConfigured

from pubcredit.rules import clock

DEMO_SUBJECT = "淄博市公共信用信息平台（演示签章）"


def _configured() -> tuple[Path, Path, bool]:
    key = os.environ.get("PUBCREDIT_REPORT_SIGNING_KEY", "").strip()
    cert = os.environ.get("PUBCREDIT_REPORT_SIGNING_CERT", "").strip()
    if bool(key) != bool(cert):
        raise ImproperlyConfigured("Set both PUBCREDIT_REPORT_SIGNING_KEY and PUBCREDIT_REPORT_SIGNING_CERT, or neither.")
    if key:
        return Path(key), Path(cert), False
    demo = Path(settings.VAR_DIR) / "report-signing"
    return demo / "key.pem", demo / "cert.pem", True


def demo_pair_create(directory: Path, *, force: bool = False) -> tuple[Path, Path]:
    """A self-issued ECDSA P-256 certificate for demos and tests (valid 10 years); the key file is mode 0600."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key_path, cert_path = directory / "key.pem", directory / "cert.pem"
    if key_path.exists() and cert_path.exists() and not force:
        return key_path, cert_path
    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_SUBJECT),
                      x509.NameAttribute(NameOID.COMMON_NAME, "pubcredit report signing (demo)")])
    now = clock.wall_now()  # certificate validity is real time, never the pinned business day
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


@cache
def _paths() -> tuple[Path, Path]:
    key, cert, demo = _configured()
    if demo:
        return demo_pair_create(key.parent)
    if not key.is_file() or not cert.is_file():
        raise ImproperlyConfigured(f"report signing key or certificate missing: {key}, {cert}")
    return key, cert


@cache
def signer():
    from pyhanko.sign import signers

    key, cert = _paths()
    return signers.SimpleSigner.load(str(key), str(cert))


@cache
def trusted_certificate():
    """The configured certificate (the one signing now)."""
    from pyhanko.keys import load_cert_from_pemder

    return load_cert_from_pemder(str(_paths()[1]))


def certificate_sha256(cert) -> str:
    """The fingerprint that names a certificate: SHA-256 of its DER bytes."""
    import hashlib

    return hashlib.sha256(cert.dump()).hexdigest()


def load_certificate_pem(pem: str):
    from asn1crypto import pem as pem_codec
    from asn1crypto import x509 as asn1_x509

    _, _, der = pem_codec.unarmor(pem.encode())
    return asn1_x509.Certificate.load(der)


def platform_certificates() -> dict[str, object]:
    """Every certificate a genuine report can be signed with, by fingerprint: the registered ones (current and
    retired) and the configured one (before its first report registers it)."""
    from pubcredit.reports.models import SigningCertificate

    known = {row.sha256: load_certificate_pem(row.pem) for row in SigningCertificate.objects.all()}
    current = trusted_certificate()
    known.setdefault(certificate_sha256(current), current)
    return known


def reset() -> None:
    """Forget the loaded pair (tests that switch keys)."""
    _paths.cache_clear()
    signer.cache_clear()
    trusted_certificate.cache_clear()


def sign_pdf(pdf: bytes, *, reason: str, signing_signer=None) -> bytes:
    """Add a PAdES (CAdES-detached) signature covering the whole file."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name="Signature1", reason=reason, location="淄博",
                                        subfilter=fields.SigSeedSubFilter.PADES)
    out = signers.sign_pdf(writer, meta, signer=signing_signer or signer())
    return out.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    signed: bool  # has an embedded signature at all
    intact: bool  # the signed bytes are unchanged
    trusted: bool  # made by the platform's certificate
    whole_file: bool  # nothing was added after signing
    signer: str
    problem_zh: str  # empty when all is well
    problem_en: str
    certificate_sha256: str = ""  # the signing certificate's fingerprint (which platform key, after rotations)

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.trusted and self.whole_file


def check_signature(pdf: bytes) -> SignatureCheck:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - any unreadable file is "not a signed PDF", never a crash
        return SignatureCheck(False, False, False, False, "", "文件不是可读取的PDF。", "not a readable PDF")
    if not signatures:
        return SignatureCheck(False, False, False, False, "", "文件没有数字签名。", "the PDF carries no signature")
    platform = platform_certificates()
    try:
        claimed = certificate_sha256(signatures[0].signer_cert)
    except Exception:  # noqa: BLE001 - no readable certificate: validation below says the signature is damaged
        claimed = ""
    # one trust root: the platform certificate the file names (several demo certificates share one subject name, so a
    # context holding them all could try the wrong one); a stranger's certificate meets the current one and fails
    root = platform.get(claimed) or trusted_certificate()
    context = ValidationContext(trust_roots=[root], allow_fetching=False)
    try:
        status = validate_pdf_signature(signatures[0], context)
    except Exception:  # noqa: BLE001
        return SignatureCheck(True, False, False, False, "", "签名数据损坏，无法校验。", "the signature is damaged")
    signer_name = status.signing_cert.subject.human_friendly if status.signing_cert else ""
    intact = bool(status.intact and status.valid)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE and len(signatures) == 1
    fingerprint = certificate_sha256(status.signing_cert) if status.signing_cert is not None else ""
    # compared byte for byte with the platform's own certificates, not only "chains to a trusted root"
    trusted = bool(status.trusted) and fingerprint in platform
    if not intact:
        zh, en = "签名后文件内容被改动（签名校验失败）。", "the signed bytes were changed after signing"
    elif not trusted:
        zh, en = f"签名不是本平台的签章证书所签（签名人：{signer_name}）。", "signed by a key other than the platform's"
    elif not whole:
        zh, en = "签名后文件被追加了内容（增量修改）。", "content was added to the file after signing"
    else:
        zh, en = "", ""
    return SignatureCheck(True, intact, trusted, whole, signer_name, zh, en, fingerprint)
