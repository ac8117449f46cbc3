"""Issuing and verifying credit reports (出具与核验公共信用信息报告); every issue is audited with its purpose."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.disclosure.selectors import subject_public_get
from pubcredit.reports import render, selectors, signing
from pubcredit.reports.models import PersonAuthorisation, Report, ReportKind, SigningCertificate
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.subjects.models import Subject

MAX_PERIOD_YEARS = 5  # 发改财金〔2025〕565号: the requester picks the period, at most five years
ISSUER = "淄博市公共信用信息平台"
TITLES = {ReportKind.PUBLIC: "公共信用信息报告", ReportKind.QUERY: "公共信用信息报告",
          ReportKind.SPECIAL: "专项信用报告"}


def valid_days() -> int:
    """How long a report is to be relied on (有效期); not fixed by the rules found, so a setting (default 30)."""
    return int(os.environ.get("PUBCREDIT_REPORT_VALID_DAYS", "30"))


def verify_base_url() -> str:
    return (os.environ.get("PUBCREDIT_PUBLIC_BASE_URL", "").strip() or "http://127.0.0.1:8000").rstrip("/")


def verify_url(number: str) -> str:
    return f"{verify_base_url()}/public/reports/{number}/verify/"


def _date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _new_number(today: dt.date) -> str:
    """``ZBXY`` + issue date + 10 random digits: unique and not guessable from a neighbour's number."""
    while True:
        number = f"ZBXY{today:%Y%m%d}{secrets.randbelow(10**10):010d}"
        if not Report.objects.filter(number=number).exists():
            return number


def period_check(period_from: dt.date | None, period_to: dt.date | None, *, today: dt.date) -> tuple[dt.date, dt.date]:
    """The special report's period: both ends given, not in the future, start before end, at most five years."""
    if period_from is None or period_to is None:
        raise DomainError("report.period_required", "专项信用报告须选择查询期间（起止日期）。",
                          "the special report needs a period (from and to)", "period_from" if period_from is None
                          else "period_to")
    if period_to > today:
        raise DomainError("report.period_future", f"查询期间止日（{_date_text(period_to)}）晚于今天。",
                          "the period ends in the future", "period_to")
    if period_from > period_to:
        raise DomainError("report.period_order", "查询期间起日晚于止日。", "period_from is after period_to",
                          "period_from")
    try:
        earliest = period_to.replace(year=period_to.year - MAX_PERIOD_YEARS)
    except ValueError:  # 29 February
        earliest = period_to.replace(year=period_to.year - MAX_PERIOD_YEARS, day=28)
    if period_from < earliest:
        raise DomainError("report.period_too_long",
                          f"查询期间最长5年：起日不得早于{_date_text(earliest)}。",
                          f"the period may cover at most {MAX_PERIOD_YEARS} years (from {earliest} at the earliest)",
                          "period_from")
    return period_from, period_to


def authorisation_for(subject: Subject, department, *, today: dt.date) -> PersonAuthorisation | None:
    if department is None:
        return None
    return (PersonAuthorisation.objects.filter(subject=subject, department=department, valid_from__lte=today,
                                               valid_until__gte=today).order_by("-valid_until").first())


@transaction.atomic
def authorisation_record(*, subject: Subject, department, scope: str, valid_from: dt.date, valid_until: dt.date,
                         document_ref: str, document: bytes, actor: Any) -> PersonAuthorisation:
    """Register a natural person's signed authorisation (scope and term) for one department."""
    if not subject.is_natural_person:
        raise DomainError("authorisation.not_person", "授权登记仅适用于自然人。", "only natural persons authorise",
                          "subject")
    if not scope.strip():
        raise DomainError("authorisation.scope_required", "请填写授权范围（用途）。", "scope is required", "scope")
    if valid_until < valid_from:
        raise DomainError("authorisation.term_order", "授权截止日早于起始日。", "valid_until before valid_from",
                          "valid_until")
    if not document:
        raise DomainError("authorisation.document_required", "请上传签名的授权书。", "the signed document is required",
                          "document")
    row = PersonAuthorisation.objects.create(
        subject=subject, department=department, scope=scope.strip()[:200], valid_from=valid_from,
        valid_until=valid_until, document_ref=document_ref.strip()[:100],
        document_sha256=hashlib.sha256(document).hexdigest(), recorded_at=clock.now())
    audit.record(Event.REPORT_AUTHORISED, actor=actor, object_type="person_authorisation", object_id=row.pk,
                 reason=scope, data={"subject_id": subject.pk, "department": department.code,
                                     "valid_until": valid_until.isoformat()})
    return row


def evaluation_visible(kind: str, department) -> bool:
    """May the report carry the subject's evaluation class (综合评价类别)? Only the query version handed to a
    government department: evaluation results are internal to government, shown to staff and department tokens and
    never on the public site (docs/evaluation.md, "Internal to government"), so never the public version; the
    special report holds exactly the four sources of 发改财金〔2025〕565号 (rules.md §6), which do not include it.
    The enterprise's own report (self-service, no department) does not carry it: docs/evaluation.md leaves the
    enterprise's own view of its evaluation open."""
    return kind == ReportKind.QUERY and department is not None


def build_snapshot(*, number: str, kind: str, subject: Subject, issued_at: dt.datetime, requester: str,
                   purpose: str, procedure: str, period: tuple[dt.date, dt.date] | None,
                   with_evaluation: bool = False) -> dict[str, Any]:
    if kind == ReportKind.PUBLIC:
        content = selectors.public_content(subject)
    elif kind == ReportKind.QUERY:
        content = selectors.query_content(subject)
    else:
        content = selectors.special_content(subject, period_from=period[0], period_to=period[1])
    if with_evaluation:
        content["sections"].append(selectors.evaluation_section(subject))
        content["summary"] = selectors.summary_of(content["sections"])
    local = issued_at.astimezone(clock.PLATFORM_TZ)
    valid_until = local.date() + dt.timedelta(days=valid_days())
    return {
        "number": number, "kind": kind, "kind_label": ReportKind(kind).label, "title": TITLES[ReportKind(kind)],
        "issuer": ISSUER, "issued_at": local.isoformat(), "issued_at_text": f"{_date_text(local.date())} {local:%H:%M}",
        "valid_until": valid_until.isoformat(),
        "validity_text": f"自出具之日起{valid_days()}日内（至{_date_text(valid_until)}）",
        "purpose": purpose, "procedure": procedure, "requester": requester,
        "period_text": f"{_date_text(period[0])}至{_date_text(period[1])}" if period else "",
        "subject": selectors.subject_facts(subject), "verify_url": verify_url(number),
        "rulebook_version": selectors.current_rulebook_version(),
        "notes": ["证件号码一律脱敏显示。"] if subject.is_natural_person else [],
        **content,
    }


def enterprise_subject(account) -> Subject | None:
    """The credit subject of an enterprise account (企业用户): accounts name their enterprise by USCC only."""
    return Subject.objects.filter(uscc=account.uscc).first()


def enterprise_requester(account) -> str:
    person = account.user.display_name or account.user.username
    return f"{account.enterprise_name}（企业用户自助查询：{person}）"


def report_issue(*, kind: str, subject: Subject | None, actor: Any, requester: str, purpose: str = "",
                 procedure: str = "", department=None, period_from: dt.date | None = None,
                 period_to: dt.date | None = None, enterprise_account=None) -> Report:
    """Issue one report: check who may have it, take the snapshot, render, sign, register, audit.

    ``enterprise_account``: the enterprise asks for its own report on the public site (self-service, free,
    immediate); only about the subject with the account's USCC, never another enterprise."""
    if kind not in ReportKind.values:
        raise DomainError("report.kind", f"未知的报告类型：{kind}（可选：public、query、special）",
                          f"unknown report kind {kind!r}", "kind")
    if subject is None:
        raise DomainError("report_subject.not_found", "未找到该信用主体，不出具报告（不是“无记录”）。",
                          "no such subject: no report is issued (this is not a clean report)", "subject")
    purpose, procedure = (purpose or "").strip()[:200], (procedure or "").strip()[:200]
    today = clock.today()
    authorisation = None
    if kind == ReportKind.PUBLIC:
        if subject.is_natural_person and subject_public_get(pk=subject.pk) is None:
            raise DomainError("report_subject.not_found", "未找到该信用主体的公示信息，不出具公开版报告。",
                              "the subject is not shown on the public site", "subject")
        purpose = purpose or "信用信息查询"
    elif enterprise_account is not None:
        if subject.uscc != enterprise_account.uscc:
            raise DomainError("report.other_enterprise", "企业用户只能查询本企业的信用报告。",
                              "an enterprise account obtains its own enterprise's report only", "subject")
        purpose = purpose or "企业自主查询"
    else:
        if department is None:
            raise DomainError("report.department_required", "查询版和专项报告须由有权部门在具体办理事项中申请。",
                              "query and special reports are issued to an authorised department", "department")
        if not purpose:
            raise DomainError("report.purpose_required", "请填写查询用途。", "purpose is required", "purpose")
        if not procedure:
            raise DomainError("report.procedure_required", "请填写办理事项（如：某某项目招标资格审查）。",
                              "the named procedure is required", "procedure")
        if subject.is_natural_person:
            authorisation = authorisation_for(subject, department, today=today)
            if authorisation is None:
                raise DomainError("report.authorisation_required",
                                  "自然人的查询版或专项报告须有本人有效期内的书面授权；未找到本部门的有效授权。",
                                  "a natural person's report needs that person's valid authorisation", "subject")
    period = (period_check(period_from, period_to, today=today) if kind == ReportKind.SPECIAL else None)
    with transaction.atomic():
        certificate = signing_certificate_in_use()
        issued_at = clock.now()
        number = _new_number(today)
        snapshot = build_snapshot(number=number, kind=kind, subject=subject, issued_at=issued_at,
                                  requester=requester, purpose=purpose, procedure=procedure, period=period,
                                  with_evaluation=evaluation_visible(kind, department))
        pdf = signing.sign_pdf(render.report_pdf(snapshot), reason=f"{ISSUER}出具报告 {number}")
        report = Report.objects.create(
            number=number, kind=kind, subject=subject, requester_label=requester[:200], department=department,
            purpose=purpose, procedure=procedure, period_from=period[0] if period else None,
            period_to=period[1] if period else None, authorisation=authorisation,
            enterprise_account=enterprise_account if kind != ReportKind.PUBLIC else None, issued_at=issued_at,
            valid_until=dt.date.fromisoformat(snapshot["valid_until"]), snapshot=snapshot,
            content_hash=audit.content_hash(snapshot), data_fingerprint=selectors.data_fingerprint(subject),
            pdf=pdf, pdf_sha256=hashlib.sha256(pdf).hexdigest(), signing_certificate_sha256=certificate.sha256, rulebook_version=snapshot["rulebook_version"])
        audit.record(Event.REPORT_ISSUED, actor=actor, object_type="report", object_id=number, reason=purpose,
                     data={"kind": kind, "subject_id": subject.pk, "procedure": procedure,
                           "department": department.code if department else "",
                           "enterprise_account_id": enterprise_account.pk if enterprise_account else None,
                           "authorisation_id": authorisation.pk if authorisation else None,
                           "content_hash": report.content_hash})
    return report


def _certificate_row(cert, *, now: dt.datetime) -> SigningCertificate:
    return SigningCertificate(sha256=signing.certificate_sha256(cert), subject=cert.subject.human_friendly[:300],
                              pem=_pem(cert), not_valid_after=cert["tbs_certificate"]["validity"]["not_after"].native,
                              in_use_from=now, current=True)


def _public_key_der(key_path: str) -> bytes:
    from cryptography.hazmat.primitives import serialization

    with open(key_path, "rb") as fh:
        key = serialization.load_pem_private_key(fh.read(), password=None)
    return key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _pem(cert) -> str:
    from asn1crypto import pem as pem_codec

    return pem_codec.armor("CERTIFICATE", cert.dump()).decode()


@transaction.atomic
def _put_in_use(cert, *, actor: Any, reason: str) -> SigningCertificate:
    """Make ``cert`` the certificate in use: the one in use until now is retired (its reports keep verifying)."""
    now = clock.now()
    previous = SigningCertificate.objects.select_for_update().filter(current=True).first()
    if previous is not None:
        previous.current, previous.in_use_until = False, now
        previous.save(update_fields=["current", "in_use_until"])
    row = _certificate_row(cert, now=now)
    row.save()
    audit.record(Event.REPORT_SIGNING_ROTATED, actor=actor, object_type="signing_certificate", object_id=row.sha256,
                 reason=reason, data={"subject": row.subject, "previous": previous.sha256 if previous else ""})
    return row


def signing_certificate_in_use() -> SigningCertificate:
    """The registered certificate the configured key signs with. A configured certificate seen for the first time is
    registered (and the previous one retired); one that was retired is refused: a process still holding an old key
    after a rotation must be restarted, never sign under a retired certificate."""
    cert = signing.trusted_certificate()
    row = SigningCertificate.objects.filter(sha256=signing.certificate_sha256(cert)).first()
    if row is None:
        try:
            return _put_in_use(cert, actor=audit.SystemActor("report-signing"), reason="首次使用所配置的签章证书")
        except IntegrityError:  # another process registered it at the same moment
            row = SigningCertificate.objects.get(sha256=signing.certificate_sha256(cert))
    if not row.current:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"report signing certificate {row.sha256[:16]} was retired at {row.in_use_until}; "
                                   "restart the web and worker processes after a rotation")
    return row


def signing_rotate(*, cert_path: str, key_path: str, actor: Any) -> SigningCertificate:
    """Register a new signing pair as the one in use (更换签章证书); the key must match the certificate and the
    certificate must be valid now. The old certificate is kept, retired, so the reports it signed still verify."""
    from pyhanko.sign import signers

    try:
        pair = signers.SimpleSigner.load(key_path, cert_path)
    except Exception as exc:  # noqa: BLE001 - unreadable files or a wrong pass phrase: one clear refusal
        raise DomainError("report_signing.unreadable", f"无法读取签章密钥或证书：{exc}",
                          "the key or certificate cannot be read", "cert") from exc
    if pair is None:
        raise DomainError("report_signing.unreadable", "无法读取签章密钥或证书。", "the key or certificate cannot be read",
                          "cert")
    cert = pair.signing_cert
    if _public_key_der(key_path) != cert.public_key.dump():
        raise DomainError("report_signing.mismatch", "密钥与证书不匹配。", "the key does not belong to the certificate",
                          "key")
    validity = cert["tbs_certificate"]["validity"]
    now = clock.wall_now()  # certificate validity is real time
    if not validity["not_before"].native <= now <= validity["not_after"].native:
        raise DomainError("report_signing.expired", "证书不在有效期内。", "the certificate is not valid now", "cert")
    if SigningCertificate.objects.filter(sha256=signing.certificate_sha256(cert)).exists():
        raise DomainError("report_signing.known", "此证书已登记过（在用或已停用），请使用新的证书。",
                          "this certificate was registered before", "cert")
    return _put_in_use(cert, actor=actor, reason="更换报告签章证书")


@dataclass(frozen=True)
class Registration:
    """What the registry says about a number (the verify page and API)."""

    number: str
    issued: bool
    report: Report | None
    newer_exists: bool  # the subject's record changed since, or a later report was issued

    def as_dict(self) -> dict[str, Any]:
        r = self.report
        if r is None:
            return {"number": self.number, "issued": False,
                    "message": f"本平台未出具编号为 {self.number} 的报告。",
                    "message_en": "no report with this number was issued"}
        snap = r.snapshot
        return {"number": r.number, "issued": True, "kind": r.kind, "kind_label": r.get_kind_display(),
                "subject_name": snap["subject"]["name"], "subject_code": snap["subject"]["code"],
                "issued_at": r.issued_at.astimezone(clock.PLATFORM_TZ).isoformat(), "purpose": r.purpose,
                "procedure": r.procedure, "requester": r.requester_label, "valid_until": r.valid_until.isoformat(),
                "content_hash": r.content_hash, "pdf_sha256": r.pdf_sha256, "newer_exists": self.newer_exists,
                "message": (f"本平台于{snap['issued_at_text']}出具了此报告。" +
                            ("该主体的信用信息此后已有变化，可申请新的报告。" if self.newer_exists else "")),
                "message_en": "issued by the platform" + ("; the subject's record changed since" if
                                                           self.newer_exists else "")}


def registration(number: str) -> Registration:
    report = Report.objects.select_related("subject").filter(number=(number or "").strip().upper()[:32]).first()
    if report is None:
        return Registration(number, False, None, False)
    newer = (selectors.data_fingerprint(report.subject) != report.data_fingerprint
             or Report.objects.filter(subject=report.subject, kind=report.kind, issued_at__gt=report.issued_at)
             .exists())
    return Registration(report.number, True, report, newer)


@dataclass(frozen=True)
class FileVerdict:
    genuine: bool
    report: Report | None
    message_zh: str
    message_en: str
    signature: signing.SignatureCheck

    def as_dict(self) -> dict[str, Any]:
        return {"genuine": self.genuine, "number": self.report.number if self.report else None,
                "message": self.message_zh, "message_en": self.message_en,
                "signature_intact": self.signature.intact, "signature_trusted": self.signature.trusted,
                "signature_covers_whole_file": self.signature.whole_file, "signer": self.signature.signer,
                "signer_certificate_sha256": self.signature.certificate_sha256}


def report_file_verify(pdf: bytes, *, number: str = "") -> FileVerdict:
    """Is this file a report the platform issued, unchanged? Genuine only when the signature is intact, made by the
    platform's certificate, covers the whole file, and the file's bytes are those registered (for ``number`` when
    given). Anything else says what is wrong."""
    check = signing.check_signature(pdf)
    digest = hashlib.sha256(pdf).hexdigest()
    report = Report.objects.filter(pdf_sha256=digest).first()
    claimed = Report.objects.filter(number=number.strip().upper()).first() if number else None
    if not check.ok:
        return FileVerdict(False, claimed, f"不是真实有效的报告：{check.problem_zh}", f"not genuine: {check.problem_en}",
                           check)
    if report is None:
        return FileVerdict(False, claimed, "签名有效，但本平台没有出具过内容与此文件一致的报告。",
                           "validly signed but not a file the platform registered", check)
    if report.signing_certificate_sha256 and report.signing_certificate_sha256 != check.certificate_sha256:
        return FileVerdict(False, report, "签名证书与本平台登记的该报告签章证书不一致。",
                           "signed by another platform certificate than the one registered for this report", check)
    if number and report.number != number.strip().upper():
        return FileVerdict(False, claimed, f"此文件是报告 {report.number}，不是 {number}。",
                           f"this file is report {report.number}, not {number}", check)
    return FileVerdict(True, report, f"真实有效：本平台出具的报告 {report.number}，文件未被改动。",
                       f"genuine: report {report.number}, unchanged", check)


def subject_by_code(code: str) -> Subject | None:
    """A subject by its USCC, or a natural person by identity number (looked up by its keyed hash only)."""
    from pubcredit.rules import identifiers
    from pubcredit.subjects import crypto

    value = identifiers.normalise_code(code or "")
    if not value:
        return None
    if len(value) == 18 and value[:17].isdigit():  # 公民身份号码: 17 digits and a check character
        found = Subject.objects.filter(id_hash=crypto.lookup_hash(value)).first()
        if found is not None:
            return found
    return Subject.objects.filter(uscc=value).first()


MAX_BATCH = 1000


def report_batch_submit(*, codes: list[str], kind: str, department, requester: str, purpose: str, procedure: str,
                        period_from: dt.date | None, period_to: dt.date | None, actor: Any):
    """Check the request now (so a bad one is refused at once) and queue the rendering on the worker."""
    from pubcredit.reports.models import ReportBatch
    from pubcredit.reports.tasks import render_batch

    codes = [c.strip() for c in codes if c and c.strip()]
    if not codes:
        raise DomainError("report_batch.empty", "请提供至少一个主体代码。", "give at least one subject code", "codes")
    if len(codes) > MAX_BATCH:
        raise DomainError("report_batch.too_many", f"一批最多{MAX_BATCH}个主体。", f"at most {MAX_BATCH} subjects",
                          "codes")
    if kind == ReportKind.PUBLIC:
        raise DomainError("report_batch.kind", "批量报告为查询版或专项报告。", "batches are query or special reports",
                          "kind")
    if kind not in ReportKind.values:
        raise DomainError("report.kind", f"未知的报告类型：{kind}", f"unknown report kind {kind!r}", "kind")
    if not (purpose or "").strip() or not (procedure or "").strip():
        raise DomainError("report.procedure_required", "请填写用途和办理事项。", "purpose and procedure are required",
                          "procedure")
    if kind == ReportKind.SPECIAL:
        period_check(period_from, period_to, today=clock.today())
    batch = ReportBatch.objects.create(
        department=department, requester_label=requester[:200], kind=kind, purpose=purpose.strip()[:200],
        procedure=procedure.strip()[:200], period_from=period_from, period_to=period_to, codes=codes,
        created_at=clock.now())
    transaction.on_commit(lambda: render_batch.enqueue(batch_id=batch.pk, actor_label=audit.actor_label(actor)))
    return batch


def report_batch_render(batch_id: int, *, actor_label: str) -> None:
    """Issue one report per code (each on its own, so a refused subject does not stop the others), then the ZIP with
    ``manifest.csv``: code, outcome, report number, content hash."""
    import csv
    import io
    import zipfile

    from pubcredit.reports.models import ReportBatch

    batch = ReportBatch.objects.select_related("department").get(pk=batch_id)
    if batch.finished_at is not None:
        return  # a re-run of a finished job
    actor = audit.SystemActor(actor_label, batch.department.code)
    manifest, buffer = [], io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for code in batch.codes:
            try:
                report = report_issue(kind=batch.kind, subject=subject_by_code(code), actor=actor,
                                      requester=batch.requester_label, purpose=batch.purpose,
                                      procedure=batch.procedure, department=batch.department,
                                      period_from=batch.period_from, period_to=batch.period_to)
            except DomainError as exc:
                manifest.append({"code": code, "outcome": exc.message_zh, "number": "", "content_hash": ""})
                continue
            archive.writestr(f"{report.number}.pdf", bytes(report.pdf))
            manifest.append({"code": code, "outcome": "已出具", "number": report.number,
                             "content_hash": report.content_hash})
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=["code", "outcome", "number", "content_hash"])
        writer.writeheader()
        writer.writerows(manifest)
        archive.writestr("manifest.csv", "\ufeff" + text.getvalue())  # BOM: Excel opens it as UTF-8
    batch.manifest, batch.archive, batch.finished_at = manifest, buffer.getvalue(), clock.now()
    batch.save(update_fields=["manifest", "archive", "finished_at"])
