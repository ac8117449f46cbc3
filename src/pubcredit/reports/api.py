"""Report API (信用报告接口).

- ``GET /api/v1/reports/{number}/verify`` (no token): was a report with this number issued, to whom, when, for
  what, its content hash, and whether a newer report exists; unknown number → 404 ``report.not_found``;
- ``POST /api/v1/reports/verify-file`` (no token; the PDF as the request body): is this file a genuine report;
- ``POST /api/v1/reports`` (department token): issue one report now (query or special; a natural person needs an
  authorisation); ``GET /api/v1/reports/{number}/pdf``: the signed PDF, to the department that asked for it;
- ``POST /api/v1/reports/batches`` (department token): a bidder list rendered on the worker into one ZIP;
  ``GET /api/v1/reports/batches/{id}`` its state, ``…/{id}/zip`` the archive;
- ``POST /api/v1/reports/authorisations`` (department token): register a natural person's signed authorisation.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.http import HttpResponse
from ninja import Router, Schema

from pubcredit.api import DepartmentToken
from pubcredit.api_common import ErrorOut
from pubcredit.ratelimit import rate_limited
from pubcredit.reports import services
from pubcredit.reports.models import Report, ReportBatch
from pubcredit.rules.errors import DomainError

router = Router(tags=["reports (信用报告)"])
TOKEN = DepartmentToken()


class ReportVerifyOut(Schema):
    number: str
    issued: bool
    kind: str
    kind_label: str
    subject_name: str
    subject_code: str  # USCC, or the masked identity number
    issued_at: dt.datetime
    purpose: str
    procedure: str
    requester: str
    valid_until: dt.date
    content_hash: str  # SHA-256 of the report's data snapshot (canonical JSON)
    pdf_sha256: str  # SHA-256 of the signed PDF handed out
    newer_exists: bool  # the subject's record changed since, or a later report of this kind exists
    message: str
    message_en: str


class ReportFileVerifyOut(Schema):
    genuine: bool
    number: str | None
    message: str
    message_en: str
    signature_intact: bool
    signature_trusted: bool
    signature_covers_whole_file: bool
    signer: str
    signer_certificate_sha256: str


class ReportIn(Schema):
    kind: str  # query / special (public: on the public site)
    code: str  # USCC, or a natural person's identity number
    purpose: str
    procedure: str  # the named procedure (e.g. a tender's number and name)
    period_from: dt.date | None = None  # special reports
    period_to: dt.date | None = None


class ReportOut(Schema):
    number: str
    kind: str
    content_hash: str
    pdf_sha256: str
    pdf_url: str
    verify_url: str


class ReportBatchIn(Schema):
    kind: str
    codes: list[str]
    purpose: str
    procedure: str
    period_from: dt.date | None = None
    period_to: dt.date | None = None


class ReportBatchOut(Schema):
    id: int
    done: bool
    total: int
    manifest: list[dict[str, Any]]
    zip_url: str | None


class ReportAuthorisationIn(Schema):
    id_number: str
    scope: str
    valid_from: dt.date
    valid_until: dt.date
    document_ref: str
    document_base64: str  # the signed authorisation (scan or signed PDF)


class ReportAuthorisationOut(Schema):
    id: int
    valid_until: dt.date
    document_sha256: str


@router.get("/{number}/verify", response={200: ReportVerifyOut, 404: ErrorOut}, summary="核验报告编号")
@rate_limited("page", as_json=True)
def verify(request, number: str):
    reg = services.registration(number)
    if not reg.issued:
        raise DomainError("report.not_found", f"本平台未出具编号为 {number} 的报告。",
                          "no report with this number was issued", "number")
    return reg.as_dict()


@router.post("/verify-file", response=ReportFileVerifyOut, summary="核验报告文件",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
@rate_limited("page", as_json=True)
def verify_file(request, number: str = ""):
    return services.report_file_verify(request.body, number=number).as_dict()


def _report_out(report: Report) -> dict:
    return {"number": report.number, "kind": report.kind, "content_hash": report.content_hash,
            "pdf_sha256": report.pdf_sha256, "pdf_url": f"/api/v1/reports/{report.number}/pdf",
            "verify_url": report.snapshot["verify_url"]}


@router.post("", response={201: ReportOut, 404: ErrorOut}, auth=TOKEN, summary="出具报告（部门）")
def issue(request, body: ReportIn):
    report = services.report_issue(kind=body.kind, subject=services.subject_by_code(body.code), actor=request.actor,
                                   requester=request.department.name, purpose=body.purpose, procedure=body.procedure,
                                   department=request.department, period_from=body.period_from,
                                   period_to=body.period_to)
    return 201, _report_out(report)


@router.get("/{number}/pdf", response={200: None, 404: ErrorOut}, auth=TOKEN, summary="下载已签名PDF",
            openapi_extra={"responses": {200: {"description": "the signed PDF", "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}})
def pdf(request, number: str):
    report = Report.objects.filter(number=number.upper(), department=request.department).first()
    if report is None:
        raise DomainError("report.not_found", "本部门没有此编号的报告。", "no such report for this department", "number")
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.number}.pdf"'
    return response


def _batch_out(batch: ReportBatch) -> dict:
    done = batch.finished_at is not None
    return {"id": batch.pk, "done": done, "total": len(batch.codes), "manifest": batch.manifest,
            "zip_url": f"/api/v1/reports/batches/{batch.pk}/zip" if done else None}


@router.post("/batches", response={202: ReportBatchOut, 404: ErrorOut}, auth=TOKEN, summary="批量出具报告（后台任务）")
def batch_submit(request, body: ReportBatchIn):
    batch = services.report_batch_submit(codes=body.codes, kind=body.kind, department=request.department,
                                         requester=request.department.name, purpose=body.purpose,
                                         procedure=body.procedure, period_from=body.period_from,
                                         period_to=body.period_to, actor=request.actor)
    return 202, _batch_out(batch)


def _own_batch(request, batch_id: int) -> ReportBatch:
    batch = ReportBatch.objects.filter(pk=batch_id, department=request.department).first()
    if batch is None:
        raise DomainError("report_batch.not_found", "本部门没有此批次。", "no such batch for this department", "id")
    return batch


@router.get("/batches/{batch_id}", response={200: ReportBatchOut, 404: ErrorOut}, auth=TOKEN, summary="批量报告状态")
def batch_get(request, batch_id: int):
    return _batch_out(_own_batch(request, batch_id))


@router.get("/batches/{batch_id}/zip", response={200: None, 404: ErrorOut}, auth=TOKEN, summary="下载批量报告ZIP",
            openapi_extra={"responses": {200: {"description": "ZIP of the PDFs and manifest.csv", "content": {
                "application/zip": {"schema": {"type": "string", "format": "binary"}}}}}})
def batch_zip(request, batch_id: int):
    batch = _own_batch(request, batch_id)
    if batch.finished_at is None:
        raise DomainError("report_batch.not_ready", "批次尚未完成。", "the batch is still rendering", "id")
    response = HttpResponse(bytes(batch.archive), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="reports-{batch.pk}.zip"'
    return response


@router.post("/authorisations", response={201: ReportAuthorisationOut, 404: ErrorOut}, auth=TOKEN, summary="登记个人查询授权")
def authorisation(request, body: ReportAuthorisationIn):
    try:
        document = base64.b64decode(body.document_base64, validate=True)
    except (binascii.Error, ValueError):
        raise DomainError("authorisation.document_base64", "授权书文件不是有效的Base64。",
                          "document_base64 is not valid base64", "document_base64") from None
    subject = services.subject_by_code(body.id_number)
    if subject is None:
        raise DomainError("authorisation_subject.not_found", "未找到该自然人。", "no such person", "id_number")
    row = services.authorisation_record(subject=subject, department=request.department, scope=body.scope,
                                        valid_from=body.valid_from, valid_until=body.valid_until,
                                        document_ref=body.document_ref, document=document, actor=request.actor)
    return 201, {"id": row.pk, "valid_until": row.valid_until, "document_sha256": row.document_sha256}
