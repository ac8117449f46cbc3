"""Collection pages (信息归集): upload a file, follow its batch, download and fix rejected rows, enter a record.

Thin: forms check shapes, selectors read, services write. Data providers act for their own department;
credit-centre operators may act for any department; other roles get 403.

File imports are background jobs once the upload is saved (``ingest.tasks.import_file``, run by ``pubcredit
worker``; they survive a restart of the web server or the worker), and the browser goes straight to the batch page,
which polls a progress fragment (htmx) until the batch is done or refused. ``PUBCREDIT_IMPORT_SYNC = True`` in
Django settings runs the import inside the request instead (tests, or a site with no worker).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from pubcredit.accounts.access import is_city_operator
from pubcredit.accounts.models import Department
from pubcredit.catalog.headers import map_headers
from pubcredit.catalog.registry import all_classes, get_class
from pubcredit.ingest import selectors
from pubcredit.ingest.choices import BatchStatus, RejectionStatus
from pubcredit.ingest.exports import field_label, reason_text, rejections_response
from pubcredit.ingest.forms import DEPARTMENT_FIELD, RecordForm, UploadForm, spool_upload
from pubcredit.ingest.models import Batch
from pubcredit.ingest.services import batch_import_file, batch_receive_file, batch_submit_records
from pubcredit.ingest.tasks import import_file
from pubcredit.jobs.services import actor_for_task
from pubcredit.records.choices import SubmissionChannel
from pubcredit.records.selectors import record_versions, version_rows
from pubcredit.rules.errors import DomainError


PAGE_SIZE = 50
COUNTS = [("接收", "received"), ("入库", "accepted"), ("新增", "created"), ("更新", "updated"),
          ("未变化", "unchanged"), ("退回", "rejected_count"), ("警告", "warning_count"), ("按时", "on_time"),
          ("超期", "late")]


def collector_required(view):
    """Logged in, and a data provider with a department or a credit-centre operator; anyone else gets 403."""

    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not selectors.may_collect(request.user):
            raise PermissionDenied("仅数据提供单位和信用中心操作员可使用信息归集")
        return view(request, *args, **kwargs)

    return wrapped


def _departments_to_pick(user):
    """Operators choose the submitting department; providers always submit for their own (None: no choice)."""
    return selectors.submitting_departments(viewer=user) if is_city_operator(user) else None


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- the background import -------------------------------------------------------------------------------------


def start_import(*, path: Path, class_code: str, department: Department, actor: Any, filename: str) -> Batch:
    """Register the saved upload as a batch and import it; the temporary file is deleted when the import is over.

    As a background job by default (the batch page follows its progress); inside the request when
    ``settings.PUBCREDIT_IMPORT_SYNC`` is true.
    """
    kwargs = {"class_code": class_code, "department": department, "actor": actor, "filename": filename,
              "channel": SubmissionChannel.FILE}
    batch = batch_receive_file(path=path, **kwargs)
    if settings.PUBCREDIT_IMPORT_SYNC:
        try:
            batch_import_file(path=path, batch=batch, **kwargs)
        finally:
            path.unlink(missing_ok=True)
        batch.refresh_from_db()
        return batch
    import_file.enqueue(batch_id=batch.pk, path=str(path), actor=actor_for_task(actor))
    return batch


# --- pages -----------------------------------------------------------------------------------------------------


@collector_required
def index(request):
    return redirect("ingest:batch_list")


@collector_required
def upload(request):
    """上传文件: choose a class (and, for operators, a department), send a file, follow its batch."""
    departments = _departments_to_pick(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, departments=departments,
                      initial={"class_code": request.GET.get("class_code")})
    pending = request.session.get(_PENDING_UPLOAD)
    answer = request.POST.get("pending_class") if request.method == "POST" else None
    if answer in ("suggested", "chosen") and pending:
        # The clerk answered the question about the file already received: import it under the class picked.
        del request.session[_PENDING_UPLOAD]
        department = Department.objects.get(pk=pending["department_id"])
        try:
            batch = start_import(path=Path(pending["path"]), class_code=pending[answer], department=department,
                                 actor=request.user, filename=pending["filename"])
        except DomainError as exc:
            form = UploadForm(departments=departments)
            form.add_error(None, exc.message_zh)
        else:
            return redirect("ingest:batch_detail", pk=batch.pk)
    elif request.method == "POST" and form.is_valid():
        department = form.cleaned_data[DEPARTMENT_FIELD] if departments is not None else request.user.department
        upload_file = form.cleaned_data["file"]
        path = spool_upload(upload_file)
        chosen = form.cleaned_data["class_code"]
        guess = selectors.better_class_for_file(path=path, filename=upload_file.name, chosen=chosen)
        if guess is not None:
            missing, suggested = guess
            if pending:  # an earlier question left unanswered: its file is not wanted any more
                Path(pending["path"]).unlink(missing_ok=True)
            request.session[_PENDING_UPLOAD] = {"path": str(path), "filename": upload_file.name, "chosen": chosen,
                                                "suggested": suggested, "department_id": department.pk}
            return render(request, "ingest/upload.html", {"form": form, "suggestion": {
                "chosen": get_class(chosen), "suggested": get_class(suggested), "missing": missing,
                "filename": upload_file.name}})
        try:
            batch = start_import(path=path, class_code=chosen,
                                 department=department, actor=request.user, filename=upload_file.name)
        except DomainError as exc:
            form.add_error(None, exc.message_zh)
        else:
            return redirect("ingest:batch_detail", pk=batch.pk)
    return render(request, "ingest/upload.html", {"form": form}, status=400 if form.errors else 200)


# The upload a clerk is asked about (its headers fit another class): kept in the session until the answer.
_PENDING_UPLOAD = "ingest_pending_upload"


def _get_batch(request, pk: int) -> Batch:
    batch = selectors.batch_get(viewer=request.user, pk=pk)
    if batch is None:
        raise Http404("批次不存在")
    return batch


def _problem_lines(items: list[dict], info_class) -> list[dict]:
    """Summary rows flattened to one line per problem: row, Chinese field label, message."""
    return [{"row": item.get("row"), "field": field_label(info_class, e.get("field")) if e.get("field") else "",
             "code": e.get("code"), "message": e.get("message")}
            for item in items for e in item.get("errors", [])]


def _batch_context(batch: Batch) -> dict:
    try:
        info_class = get_class(batch.class_code)
    except DomainError:
        info_class = None
    summary = batch.summary or {}
    warnings = summary.get("warnings", [])
    running = batch.status in (BatchStatus.RECEIVED, BatchStatus.PROCESSING)
    return {
        "batch": batch, "summary": summary, "info_class": info_class, "running": running,
        "counts": [(label, summary.get(key, 0)) for label, key in COUNTS],
        "rejected_lines": _problem_lines(summary.get("rejected", []), info_class),
        "file_warnings": _problem_lines([w for w in warnings if w.get("row") is None], info_class),
        "row_warnings": _problem_lines([w for w in warnings if w.get("row") is not None], info_class),
        "refused": summary.get("refused") or None,
        "percent": round(100 * batch.rows_done / batch.total_rows) if running and batch.total_rows else None,
    }


@collector_required
def batch_detail(request, pk: int):
    """批次详情: progress while the import runs, then the summary with the rejected rows and downloads."""
    batch = _get_batch(request, pk)
    return render(request, "ingest/batch_detail.html", _batch_context(batch))


@collector_required
@require_GET
def batch_progress(request, pk: int):
    """The status fragment the batch page polls every second (htmx) until the batch is done or refused."""
    batch = _get_batch(request, pk)
    return render(request, "ingest/_batch_status.html", _batch_context(batch))


@collector_required
def batch_list(request):
    """归集批次: the department's batches (operators: every department, optionally one), newest first."""
    code = request.GET.get("department", "").strip()
    of_department = selectors.department_by_code(code) if is_city_operator(request.user) else None
    batches = selectors.batch_list(viewer=request.user, class_code=request.GET.get("class_code", "").strip(),
                                   of_department=of_department)
    return render(request, "ingest/batch_list.html", {
        "page": _page(request, batches), "operator": is_city_operator(request.user),
        "department_code": code, "classes": all_classes(),
        "departments": selectors.submitting_departments(viewer=request.user),  # a picker, not a typed code
    })


@collector_required
@require_GET
def batch_rejections(request, pk: int, file_format: str):
    """退回数据下载: the batch's rejected rows with their original cells and the reason column."""
    batch = _get_batch(request, pk)
    return rejections_response(batch=batch, rows=selectors.batch_rejections(batch=batch), file_format=file_format,
                               actor=request.user)


@collector_required
def rejection_list(request):
    """待修正的退回数据: the department's rejected rows across batches (default: still open)."""
    status = request.GET.get("status", RejectionStatus.OPEN)
    if status not in (*RejectionStatus.values, "all"):
        status = RejectionStatus.OPEN
    rows = selectors.rejection_list(viewer=request.user, status=None if status == "all" else status,
                                    class_code=request.GET.get("class_code", "").strip())
    page = _page(request, rows)
    classes = {c.code: c for c in all_classes()}
    for row in page.object_list:
        row.reason = reason_text(row.errors, classes.get(row.class_code))
        row.subject_name = _cell_of(row, classes.get(row.class_code), "subject_name")  # whose row it is
    return render(request, "ingest/rejection_list.html", {
        "page": page, "status": status, "statuses": RejectionStatus.choices,
        "operator": is_city_operator(request.user),
    })


def _cell_of(row, info_class, key: str) -> str:
    """The (masked) cell of a rejected row that holds field ``key``, whatever the provider's header was."""
    if info_class is None or not isinstance(row.cells, dict):
        return ""
    for header, field_key in map_headers(info_class, list(row.cells)).columns.items():
        if field_key == key:
            return str(row.cells.get(header) or "")
    return ""


def _info_class_or_404(class_code: str):
    try:
        return get_class(class_code)
    except DomainError as exc:
        raise Http404(exc.message_zh) from exc


# Fields the clerk's own department answers (决定机关 and 数据来源单位 with their codes): prefilled, still editable.
_DEPARTMENT_FIELDS = {"authority_name": "name", "authority_uscc": "uscc", "source_name": "name", "source_uscc": "uscc"}


def _clerk_department_initial(info_class, user) -> dict[str, str]:
    department = getattr(user, "department", None)
    if department is None:
        return {}
    keys = {f.key for f in info_class.fields}
    return {key: getattr(department, attribute) or "" for key, attribute in _DEPARTMENT_FIELDS.items() if key in keys}


@collector_required
def record_new(request, class_code: str):
    """页面录入: one record of a class, checked by the same plan as files and API calls."""
    info_class = _info_class_or_404(class_code)
    departments = _departments_to_pick(request.user)
    form = RecordForm(info_class, request.POST or None, departments=departments,
                      initial=_clerk_department_initial(info_class, request.user))
    context: dict[str, Any] = {"form": form, "info_class": info_class}
    if request.method == "POST" and form.is_valid():
        department = form.cleaned_data[DEPARTMENT_FIELD] if departments is not None else request.user.department
        batch = batch_submit_records(class_code=info_class.code, records=[form.record()], department=department,
                                     actor=request.user, channel=SubmissionChannel.FORM)
        summary = batch.summary
        context.update(batch=batch, warnings=_problem_lines(summary.get("warnings", []), info_class))
        if summary.get("rejected_count"):
            errors = [e for item in summary.get("rejected", []) for e in item.get("errors", [])]
            context["loose_errors"] = form.add_problems(errors)
            return render(request, "ingest/record_form.html", context, status=400)
        record = selectors.batch_records(batch=batch).first() or selectors.record_by_decision(
            class_code=info_class.code, department=department, decision_no=form.record().get("decision_no", ""))
        version = None
        if record is not None:
            version = version_rows(record=record, versions=record_versions(record=record)[:1])[0]
        outcome = "created" if summary.get("created") else "updated" if summary.get("updated") else "unchanged"
        context.update(record=record, version=version, outcome=outcome)
        return render(request, "ingest/record_done.html", context)
    return render(request, "ingest/record_form.html", context, status=400 if form.errors else 200)


@collector_required
def catalog(request):
    """信息资源目录: the classes a department submits, with their XLSX templates and the entry form."""
    return render(request, "ingest/catalog.html", {"classes": all_classes()})
