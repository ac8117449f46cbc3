"""Collection endpoints for department systems (信息归集接口). Token auth: the token's department submits.

- ``POST /api/v1/records/{class_code}``: records as JSON → the batch summary;
- ``POST /api/v1/batches``: a file (multipart) → the batch;
- ``GET /api/v1/batches/{id}``: a batch of the department;
- ``GET /api/v1/batches/{id}/rejections?format=csv|xlsx``: its rejected rows, to fix and send again;
- ``GET /api/v1/rejections?status=open``: the department's rejected rows across batches.
"""

import datetime as dt
from typing import Literal

from django.http import JsonResponse
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from pubcredit.api import DepartmentToken, parse_json_body
from pubcredit.api_common import ErrorOut
from pubcredit.catalog.registry import get_class
from pubcredit.ingest import selectors
from pubcredit.ingest.choices import BatchStatus, RejectionStatus
from pubcredit.ingest.exports import CSV_TYPE, XLSX_TYPE, rejections_response
from pubcredit.ingest.forms import spool_upload
from pubcredit.ingest.models import Batch
from pubcredit.ingest.services import batch_import_file, batch_submit_records
from pubcredit.records.choices import SubmissionChannel
from pubcredit.rules.errors import DomainError

router = Router(tags=["collection"], auth=DepartmentToken())

MAX_BODY_BYTES = 10 * 1024 * 1024  # a JSON submission; larger sets go as files (POST /batches)
MAX_RECORDS = 5000  # records per JSON submission (one chunk of the pipeline)
MAX_PAGE = 1_000_000  # pages of rejected rows (100 a page): far past any department's backlog


class ProblemOut(Schema):
    field: str | None = None
    code: str
    message: str


class ProblemRowOut(Schema):
    row: int | None  # as the provider counts (first data row under the header is 1); None: the whole file
    errors: list[ProblemOut]


class BatchSummaryOut(Schema):
    batch_id: int
    class_code: str
    status: str
    received: int
    accepted: int
    created: int
    updated: int
    unchanged: int
    rejected: list[ProblemRowOut]
    rejected_count: int
    warnings: list[ProblemRowOut]
    warning_count: int
    on_time: int
    late: int
    refused: ErrorOut | None = None


class BatchLinksOut(Schema):
    self: str
    rejections_csv: str
    rejections_xlsx: str


class BatchOut(Schema):
    id: int
    class_code: str
    department: str
    channel: str
    filename: str
    status: str
    refused_code: str
    refused_message: str
    total_rows: int | None
    rows_done: int
    received_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    summary: BatchSummaryOut
    links: BatchLinksOut


class RejectionOut(Schema):
    id: int
    batch_id: int
    class_code: str
    row: int
    status: str
    cells: dict  # the submitted cells, identity numbers masked (the batch's rejection download has them in clear)
    errors: list[ProblemOut]
    resolved_at: dt.datetime | None
    resolved_by_batch_id: int | None

    @staticmethod
    def resolve_row(obj) -> int:
        return obj.row_no


def _error(status: int, code: str, message_zh: str, message_en: str, field: str | None = None) -> JsonResponse:
    return JsonResponse(DomainError(code, message_zh, message_en, field).as_dict(), status=status)


def _class_or_404(class_code: str):
    """The class in force, or the 404 response (``catalog.unknown_class`` / ``catalog.not_in_force``)."""
    try:
        return get_class(class_code), None
    except DomainError as exc:
        return None, JsonResponse(exc.as_dict(), status=404)


def _summary(batch: Batch) -> dict:
    summary = dict(batch.summary)
    summary["batch_id"] = batch.pk
    summary.setdefault("status", batch.status)
    return summary


def _batch_out(batch: Batch) -> dict:
    path = reverse("api:batch_detail", kwargs={"batch_id": batch.pk})
    rejections = reverse("api:batch_rejections", kwargs={"batch_id": batch.pk})
    return {
        "id": batch.pk, "class_code": batch.class_code, "department": batch.department.code,
        "channel": batch.channel, "filename": batch.filename, "status": batch.status,
        "refused_code": batch.refused_code, "refused_message": batch.refused_message,
        "total_rows": batch.total_rows, "rows_done": batch.rows_done, "received_at": batch.received_at,
        "started_at": batch.started_at, "finished_at": batch.finished_at, "summary": _summary(batch),
        "links": {"self": path, "rejections_csv": f"{rejections}?format=csv",
                  "rejections_xlsx": f"{rejections}?format=xlsx"},
    }


_RECORDS_BODY = {
    "required": True,
    "content": {"application/json": {
        "schema": {"type": "object", "required": ["records"], "properties": {"records": {
            "type": "array", "maxItems": MAX_RECORDS,
            "items": {"type": "object", "additionalProperties": True,
                      "description": "one record: field key (or any accepted header: Chinese label, pinyin code) "
                                     "→ value"}}}},
        "example": {"records": [{"CF_XDR_MC": "淄博某某化工有限公司", "行政相对人类别": "法人及非法人组织",
                                 "subject_uscc": "91370303MA0000010X", "decision_no": "淄市监罚〔2026〕1号"}]},
    }},
}


@router.post("/records/{class_code}", url_name="records_submit",
             response={200: BatchSummaryOut, 400: ErrorOut, 404: ErrorOut, 413: ErrorOut},
             summary="报送记录 (submit records as JSON)", openapi_extra={"requestBody": _RECORDS_BODY})
def records_submit(request, class_code: str):
    """Submit records of one information class (报送信用信息) as ``{"records": [{field: value, ...}, ...]}``.

    Fields may be named by English key or by any header the catalogue accepts for them (standard Chinese label,
    pinyin column code such as ``CF_WSH``, common variants; see ``GET /api/v1/catalog/{class_code}``). Unknown keys
    are ignored with a warning. Every record is validated like a row of a file; rejected records are kept as
    rejected rows with field-level reasons until a corrected record with the same business key is accepted.
    Sending the same records again changes nothing (``unchanged``); a record with the same business key and new
    content becomes a new version (``updated``).

    Answers 200 with the batch summary (rows are numbered from 1 in the order of ``records``). Refusals:
    ``request.too_large`` (413, body over 10 MB), ``request.json`` (400, not JSON), ``request.json_depth`` (400,
    nested deeper than 32 levels), ``request.nul`` (400, a ``\\u0000`` in the body), ``records.not_a_list`` (400,
    not an object with a list of objects ``records``), ``records.too_many`` (413, more than 5000 records: send a
    file to ``POST /api/v1/batches`` instead), ``catalog.unknown_class`` (404).
    """
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES:
        return _too_large()
    info_class, missing = _class_or_404(class_code)
    if missing is not None:
        return missing
    raw = request.read(MAX_BODY_BYTES + 1)  # not request.body: that would apply DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)
    if len(raw) > MAX_BODY_BYTES:
        return _too_large()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _error(400, "request.json", f"请求体不是合法的 JSON（UTF-8）：{exc}", f"request body is not JSON: {exc}")
    body = parse_json_body(text)  # request.json / request.json_depth (400)
    records = body.get("records") if isinstance(body, dict) else None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        return _error(400, "records.not_a_list", "请求体应为 {\"records\": [对象, …]}，records 应为对象数组",
                      'the body must be {"records": [objects]}', "records")
    if len(records) > MAX_RECORDS:
        return _error(413, "records.too_many", f"一次最多报送{MAX_RECORDS}条记录（本次{len(records)}条），更多数据请以文件报送",
                      f"at most {MAX_RECORDS} records per request (got {len(records)}); send a file instead", "records")
    batch = batch_submit_records(class_code=info_class.code, records=records, department=request.department,
                                 actor=request.actor, channel=SubmissionChannel.API)
    return Status(200, _summary(batch))


def _too_large() -> JsonResponse:
    return _error(413, "request.too_large", f"请求体超过{MAX_BODY_BYTES // (1024 * 1024)}MB，请分批报送或以文件报送",
                  f"request body over {MAX_BODY_BYTES // (1024 * 1024)} MB: split it or send a file")


@router.post("/batches", url_name="batch_upload", response={201: BatchOut, 404: ErrorOut, 422: BatchOut},
             summary="上传文件 (submit a file)")
def batch_upload(request, class_code: Form[str], file: File[UploadedFile]):
    """Submit a file (multipart form: ``file``, ``class_code``): CSV in UTF-8 (with or without BOM) or
    GB18030/GBK, XLSX, or JSON lines. Title rows above the header are skipped; headers may be any accepted header.

    Answers 201 with the batch (its summary, and links to download its rejected rows). A file that cannot be read
    at all or lacks required columns is refused as a whole: 422 with the batch, ``status`` ``refused`` and a
    message naming every missing column and the headers accepted for it. Sending a file that was interrupted
    again resumes it; sending a finished file again reports every row as ``unchanged``. Unknown class → 404.
    """
    info_class, missing = _class_or_404(class_code)
    if missing is not None:
        return missing
    path = spool_upload(file)
    try:
        batch = batch_import_file(path=path, class_code=info_class.code, department=request.department,
                                  actor=request.actor, filename=file.name, channel=SubmissionChannel.FILE)
    finally:
        path.unlink(missing_ok=True)
    return Status(422 if batch.status == BatchStatus.REFUSED else 201, _batch_out(batch))


@router.get("/batches/{batch_id}", url_name="batch_detail", response={200: BatchOut, 404: ErrorOut},
            summary="批次 (a batch)")
def batch_detail(request, batch_id: int):
    """A batch of the token's department: status, progress (``rows_done`` of about ``total_rows``), the summary
    and links to its rejected rows. Another department's batch answers 404."""
    batch = selectors.batch_get(department=request.department, pk=batch_id)
    if batch is None:
        return _error(404, "batch.not_found", "批次不存在", "batch not found", "batch_id")
    return Status(200, _batch_out(batch))


@router.get("/batches/{batch_id}/rejections", url_name="batch_rejections", response={200: None, 404: ErrorOut},
            summary="退回数据下载 (rejected rows as CSV or XLSX)",
            openapi_extra={"responses": {200: {"description": "CSV (UTF-8 with BOM) or XLSX file", "content": {
                CSV_TYPE.split(";")[0]: {"schema": {"type": "string"}},
                XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}}}}})
def batch_rejections(request, batch_id: int, format: Literal["csv", "xlsx"] = "csv"):  # noqa: A002 -- ?format=
    """The rejected rows of a batch, to correct and send again: each row's original cells under the submitted
    headers (identity numbers in clear: the department's own data; the read is audited), then ``原行号`` (the row
    number in the submitted file) and ``错误原因`` (``字段：原因；…``). CSV is UTF-8 with a BOM so that Excel opens
    it correctly. Any cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, or with one of
    ``= + - @ ＝ ＋ － ＠`` after leading blanks (spaces, full-width spaces, line breaks), is prefixed with ``'`` so
    that a spreadsheet never runs it as a formula. Another department's batch answers 404."""
    batch = selectors.batch_get(department=request.department, pk=batch_id)
    if batch is None:
        return _error(404, "batch.not_found", "批次不存在", "batch not found", "batch_id")
    return rejections_response(batch=batch, rows=selectors.batch_rejections(batch=batch), file_format=format,
                               actor=request.actor)


class RejectionFilter(Schema):
    status: Literal["open", "resolved", "superseded", "all"] = "open"
    class_code: str | None = None


class BoundedPageNumberPagination(PageNumberPagination):
    """Ninja's page numbers, bounded: a page beyond any the data could fill is a 422, not an offset overflow."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000)


@router.get("/rejections", url_name="rejection_list", response=list[RejectionOut],
            summary="退回数据 (rejected rows across batches)")
@paginate(BoundedPageNumberPagination, page_size=100, max_page_size=1000)
def rejection_list(request, filters: Query[RejectionFilter]):
    """The token's department's rejected rows across batches, oldest first, paged (``page``, ``page_size``):
    ``status=open`` (default: still to be corrected), ``resolved`` (a corrected row with the same business key was
    accepted), ``superseded`` (sent again and rejected again: the newer row counts) or ``all``; ``class_code``
    narrows to one class. Cells are shown with identity numbers masked; download the batch's rejections for the
    clear values."""
    status = None if filters.status == "all" else RejectionStatus(filters.status)
    return selectors.rejection_list(department=request.department, status=status, class_code=filters.class_code or "")
