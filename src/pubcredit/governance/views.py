"""Pages of the governance app: the operator dashboard (部门考核), the rows behind a figure, the task ledger with
its dispatch report, the city monitoring view and the big screen (大屏). Thin: selectors read, services write."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pubcredit.accounts.models import Department
from pubcredit.governance import conf, selectors, services
from pubcredit.governance.attachments import attachment_path
from pubcredit.governance.exports import dispatch_pdf, dispatch_workbook
from pubcredit.governance.forms import ProgressForm, TaskEditForm
from pubcredit.governance.models import PolicyTask
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError

DISPLAY_TOKEN_ONLY_SCREEN = "展示令牌只能用于大屏页面，请登录后查看"


def _given_token(request) -> str:
    return request.GET.get("token", "") or request.headers.get("X-Display-Token", "")


def _operator_required(view):
    """Operators only; a display token on any other page than the big screen is refused, never ignored."""
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if _given_token(request):
            raise PermissionDenied(DISPLAY_TOKEN_ONLY_SCREEN)
        if not request.user.is_authenticated:
            return login_required(view)(request, *args, **kwargs)
        if not selectors.may_view(request.user):
            raise PermissionDenied("仅信用中心和区县信用办可查看督查与考核")
        return view(request, *args, **kwargs)
    return wrapped


def _month(request):
    try:
        return selectors.parse_month(request.GET.get("month"))
    except DomainError as exc:
        raise Http404(exc.message_zh) from exc


@_operator_required
def dashboard(request):
    month = _month(request)
    board = selectors.month_board(viewer=request.user, month=month)
    chart = {"departments": [r.name for r in board.departments if r.score is not None],
             "scores": [r.score for r in board.departments if r.score is not None],
             "figures": [c.name_zh for c in board.city.cells if c.value is not None] if board.city else [],
             "values": [round(c.value * 100, 1) for c in board.city.cells if c.value is not None] if board.city else [],
             "targets": [round(c.target * 100, 1) for c in board.city.cells if c.value is not None]
             if board.city else []}
    return render(request, "governance/dashboard.html", {
        "board": board, "month": month, "chart": chart, "today": clock.today(),
        "months": [m for m in selectors.rules.months_back(clock.today(), 12)][::-1]})


@_operator_required
def figure_rows(request, month: str, scope: str, figure: str):
    try:
        drill = selectors.figure_rows(viewer=request.user, month=selectors.parse_month(month), figure=figure,
                                      scope_code=scope)
    except DomainError as exc:
        raise Http404(exc.message_zh) from exc
    for item in drill.rows:
        item.type_zh = selectors.OBJECT_LABELS.get(item.object_type, "其他")
    return render(request, "governance/figure_rows.html", {"drill": drill})


@_operator_required
def task_list(request):
    month = _month(request)
    return render(request, "governance/tasks.html", {
        "rows": selectors.task_rows(month=month), "month": month,
        "may_edit": selectors.may_edit_tasks(request.user)})


@_operator_required
@require_POST
def task_load(request):
    if not selectors.may_edit_tasks(request.user):
        raise PermissionDenied("仅信用中心可导入任务")
    created = services.policy_tasks_load(actor=request.user)
    messages.success(request, f"已从规则库导入 {created} 项任务" if created else "任务台账已是最新，无需导入")
    return redirect("governance:tasks")


def _form_errors(form, exc: DomainError) -> None:
    for problem in exc.problems:
        form.add_error(problem.field if problem.field in form.fields else None, problem.message_zh)


@_operator_required
def task_detail(request, code: str):
    task = PolicyTask.objects.filter(code=code).first()
    if task is None:
        raise Http404("任务不存在")
    edit = TaskEditForm(initial={"lead_units": "、".join(task.lead_units), "co_units": "、".join(task.co_units),
                                 "deadline": task.deadline, "recurrence": task.recurrence,
                                 "indicators": ",".join(task.indicators), "status": task.status})
    progress = ProgressForm(initial={"unit": task.lead_units[0] if task.lead_units else ""})
    if request.method == "POST":
        if request.POST.get("action") == "edit":
            if not selectors.may_edit_tasks(request.user):
                raise PermissionDenied("仅信用中心可编辑任务")
            edit = TaskEditForm(request.POST)
            if edit.is_valid():
                values = dict(edit.cleaned_data)
                reason = values.pop("reason")
                try:
                    services.policy_task_update(task=task, values=values, reason=reason, actor=request.user)
                except DomainError as exc:
                    _form_errors(edit, exc)
                else:
                    messages.success(request, f"已保存任务 {task.code}")
                    return redirect("governance:task", code=task.code)
        else:
            progress = ProgressForm(request.POST, request.FILES)
            if progress.is_valid():
                values = dict(progress.cleaned_data)
                values["files"] = [(f.name, f.chunks()) for f in values.pop("files")]
                try:
                    services.progress_report_submit(task=task, actor=request.user, **values)
                except DomainError as exc:
                    _form_errors(progress, exc)
                else:
                    messages.success(request, "已报送进展")
                    return redirect("governance:task", code=task.code)
    row = next(r for r in selectors.task_rows() if r.task.pk == task.pk)
    return render(request, "governance/task.html", {
        "row": row, "task": task, "edit": edit, "progress": progress,
        "reports": task.reports.prefetch_related("attachments")[:50],
        "may_edit": selectors.may_edit_tasks(request.user), "figure_keys": ", ".join(
            selectors.rulebook.figure_keys())})


ATTACHMENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png",
                    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@_operator_required
def attachment_download(request, pk: int):
    """One progress report file for those who may read the task, always as a download (never rendered inline),
    from outside the web root; audited. A file found infected is gone (404)."""
    attachment = selectors.attachment_for_viewer(viewer=request.user, pk=pk)
    path = attachment_path(attachment) if attachment is not None and attachment.downloadable else None
    if path is None or not path.exists():
        raise Http404("附件不存在或已因病毒被删除")
    services.attachment_download_record(attachment=attachment, actor=request.user)
    response = FileResponse(path.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=ATTACHMENT_TYPES[attachment.kind])
    response["X-Content-Type-Options"] = "nosniff"
    return response


@_operator_required
def dispatch_xlsx(request):
    month = _month(request)
    response = HttpResponse(dispatch_workbook(viewer=request.user, month=month),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="dispatch-{month:%Y-%m}.xlsx"'
    return response


@_operator_required
def dispatch_pdf_view(request):
    month = _month(request)
    response = HttpResponse(dispatch_pdf(viewer=request.user, month=month), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dispatch-{month:%Y-%m}.pdf"'
    return response


@_operator_required
def monitoring(request):
    if not selectors.is_city_operator(request.user):
        raise PermissionDenied("城市信用监测仅信用中心可查看")
    return render(request, "governance/monitoring.html", {"data": selectors.monitoring(viewer=request.user)})


@login_required
def digest(request):
    """The viewer's department's late and due-soon steps; operators pick a department with ``?department=``."""
    if _given_token(request):
        raise PermissionDenied(DISPLAY_TOKEN_ONLY_SCREEN)
    code = request.GET.get("department", "")
    if code and selectors.may_view(request.user):
        department = Department.objects.filter(selectors.department_scope(request.user), code=code).first()
        if department is None:
            raise Http404("部门不存在")
    elif request.user.department_id:
        department = request.user.department
    else:
        raise PermissionDenied("逾期与临期提醒按部门查看，请选择部门")
    return render(request, "governance/digest.html", {"digest": selectors.department_digest(department=department)})


# -- the big screen (大屏) ---------------------------------------------------------------------------------------------

def _screen_allowed(request) -> str:
    """The display token (the screen's only way in without a login) or an operator's session."""
    token = _given_token(request)
    if token:
        if not conf.display_token_matches(token):
            raise PermissionDenied("展示令牌无效")
        return token
    if request.user.is_authenticated and selectors.may_view(request.user):
        return ""
    raise PermissionDenied("大屏需要展示令牌或登录")


def screen(request):
    token = _screen_allowed(request)
    return render(request, "governance/screen.html", {"token": token, "refresh": conf.SCREEN_REFRESH_SECONDS,
                                                      "today": clock.today()})


def screen_data(request):
    """The big screen's figures as JSON: counts and department names only (no subject, no person)."""
    try:
        _screen_allowed(request)
    except PermissionDenied as exc:
        return JsonResponse({"code": "auth.display_token", "message": str(exc),
                             "message_en": "a valid display token or an operator login is required", "fields": []},
                            status=403, json_dumps_params={"ensure_ascii": False})
    return JsonResponse(selectors.screen_data(), json_dumps_params={"ensure_ascii": False})


