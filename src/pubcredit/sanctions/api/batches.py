"""Batch screening (批量核查): ``POST /api/v1/checks/batch`` (JSON) and ``/batch/file`` (CSV/XLSX), the batch and its
result file. Registered on the checks router before the replay's ``/{check_id}`` (see ``__init__``)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from ninja import File, Form, Query, Schema
from ninja.files import UploadedFile

from pubcredit.request_limits import human_size
from pubcredit.rules.errors import DomainError
from pubcredit.sanctions import selectors, services
from pubcredit.sanctions.api.checks import GradeHitOut, HitOut, SubjectOut, router
from pubcredit.sanctions.exports import batch_result_response

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class BatchItemIn(Schema):
    subject: dict[str, Any] | None = None
    reference: str | None = ""


class BatchIn(Schema):
    scenario: str | None = None
    items: list[BatchItemIn]


class BatchErrorOut(Schema):
    code: str
    field: str | None
    message: str


class BatchRowOut(Schema):
    row: int
    reference: str
    check_id: str | None
    subject: SubjectOut | None
    hits: list[HitOut]
    error: BatchErrorOut | None
    grade_hit: GradeHitOut | None = None  # as in the check answer


class CheckBatchLinksOut(Schema):
    self: str
    result_csv: str
    result_xlsx: str


class CheckBatchOut(Schema):
    batch_id: int
    scenario: str
    total: int
    checked: int
    hit_subjects: int
    created_at: dt.datetime
    rows: list[BatchRowOut]
    links: CheckBatchLinksOut


class ResultQuery(Schema):
    format: Literal["csv", "xlsx"] = "csv"


def _batch_out(batch) -> dict:
    base = reverse("api:check_batch", kwargs={"batch_id": batch.pk})
    return {"batch_id": batch.pk, "scenario": batch.scenario, "total": batch.total, "checked": batch.checked,
            "hit_subjects": batch.hit_subjects, "created_at": batch.created_at, "rows": selectors.batch_rows(batch),
            "links": {"self": base, "result_csv": f"{base}/result?format=csv", "result_xlsx": f"{base}/result?format=xlsx"}}


@router.post("/batch", response=CheckBatchOut, by_alias=True, url_name="check_batches")
def batch_create(request, body: BatchIn):
    """Screen a case list (批量核查): one check per item; rows with a malformed identifier are reported, the others
    checked. At most 5000 items; the result is also downloadable as CSV or XLSX."""
    batch = services.check_batch_run(department=request.department, scenario=body.scenario,
                                     items=[i.dict() for i in body.items], actor=request.actor)
    return _batch_out(batch)


@router.post("/batch/file", response=CheckBatchOut, by_alias=True, url_name="check_batch_file")
def batch_upload(request, scenario: Form[str], file: File[UploadedFile]):
    """The same from a file (multipart ``file`` and ``scenario``): CSV (UTF-8 or GB18030) or XLSX with a column
    统一社会信用代码 and/or 身份证号码, optionally 主体名称 and 业务编号 (案号/项目编号)."""
    services.scenario_get(scenario)
    if file.size and file.size > min(MAX_UPLOAD_BYTES, settings.PUBCREDIT_UPLOAD_MAX_BYTES):
        limit = human_size(min(MAX_UPLOAD_BYTES, settings.PUBCREDIT_UPLOAD_MAX_BYTES))
        raise DomainError("check.file_too_large", f"文件过大（上限{limit}）：请拆分后分批核查",
                          f"file too large (limit {limit})", "file")
    suffix = Path(file.name or "upload.csv").suffix.lower() or ".csv"
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        for chunk in file.chunks():
            tmp.write(chunk)
        tmp.flush()
        items = services.screening_items_from_file(tmp.name, filename=file.name)
    batch = services.check_batch_run(department=request.department, scenario=scenario, items=items,
                                     actor=request.actor, filename=file.name or "")
    return _batch_out(batch)


@router.get("/batch/{int:batch_id}", response=CheckBatchOut, by_alias=True, url_name="check_batch")
def batch_read(request, batch_id: int):
    batch = selectors.batch_for_department(department=request.department, batch_id=batch_id)
    if batch is None:
        raise Http404("batch not found")
    return _batch_out(batch)


@router.get("/batch/{int:batch_id}/result", url_name="check_batch_result")
def batch_result(request, batch_id: int, query: Query[ResultQuery]):
    """The batch result as a file (``format=csv`` or ``xlsx``)."""
    batch = selectors.batch_for_department(department=request.department, batch_id=batch_id)
    if batch is None:
        raise Http404("batch not found")
    return batch_result_response(batch, query.format)
