"""Joint reward and punishment pages (联合奖惩): check a subject, report what was done with each measure, screen a
case list, watch subjects, maintain the measure list, and the figures. Thin: forms check shapes, selectors read,
services write."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from pubcredit.accounts.access import is_city_operator
from pubcredit.accounts.models import Department
from pubcredit.ingest.forms import spool_upload
from pubcredit.lists.rulebook import rulebook as list_rulebook
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.sanctions import selectors, services
from pubcredit.sanctions.choices import CheckChannel
from pubcredit.sanctions.exports import batch_result_response
from pubcredit.sanctions.forms import BatchForm, CheckForm, FeedbackAllForm, FeedbackForm, MeasureForm, WatchForm

PAGE_SIZE = 50


def checker_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not selectors.may_check(request.user):
            raise PermissionDenied("仅部门业务人员和信用中心操作员可进行联合奖惩核查")
        return view(request, *args, **kwargs)
    return wrapped


def department_required(view):
    """Pages acting for the user's own department (watches, inbox)."""
    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if request.user.department is None:
            raise PermissionDenied("该功能须以所属部门的账号使用")
        return view(request, *args, **kwargs)
    return wrapped


def _departments_to_pick(user):
    """Operators without a department of their own choose for which department they check."""
    if is_city_operator(user) and user.department is None:
        return Department.objects.order_by("code")
    return None


def _form_errors(form, exc: DomainError) -> None:
    for problem in exc.problems:
        field = (problem.field or "").split(".")[0]
        field = {"subject": "code"}.get(field, field)
        form.add_error(field if field in form.fields else None, problem.message_zh)


# --- checks ----------------------------------------------------------------------------------------------------------


@checker_required
def check_new(request):
    departments = _departments_to_pick(request.user)
    form = CheckForm(request.POST or None, departments=departments,
                     initial={"scenario": selectors.usual_scenario(viewer=request.user)})  # the clerk's usual one
    if request.method == "POST" and form.is_valid():
        department = form.cleaned_data.get("department") or request.user.department
        try:
            check = services.check_run(department=department, subject=form.subject(),
                                       scenario=form.cleaned_data["scenario"],
                                       reference=form.cleaned_data["reference"], actor=request.user,
                                       channel=CheckChannel.CONSOLE)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            return redirect("sanctions:check_detail", check_id=check.check_id)
    awaiting = (selectors.awaiting_feedback(department=request.user.department)[:20]
                if request.user.department else [])
    return render(request, "sanctions/check_new.html", {"form": form, "awaiting": awaiting})


@checker_required
def check_list(request):
    awaiting = request.GET.get("awaiting") == "1"
    qs = selectors.check_list(viewer=request.user, awaiting=awaiting, scenario=request.GET.get("scenario", ""))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "sanctions/check_list.html", {"page": page, "awaiting": awaiting,
                                                         "scenarios": selectors.scenario_names()})


def _awaiting_measures(check, latest) -> list[dict]:
    """The check's measures to report on (information-only ones excluded) that have no feedback yet."""
    return [m for m in _reportable_measures(check) if m["code"] not in latest]


def _reportable_measures(check) -> list[dict]:
    measures, seen = [], set()
    for m in check.answered_measures():  # the lists' measures, then the evaluation grade's
        if m["code"] in seen or m.get("information"):
            continue  # information-only measures are carried out by another authority: nothing to report
        seen.add(m["code"])
        measures.append(m)
    return measures


def _feedback_context(request, check, form_for: str | None = None, bound=None, all_form=None):
    latest = selectors.feedback_latest(check)
    may_feedback = request.user.department_id == check.department_id
    measures = []
    for m in _reportable_measures(check):
        form = None
        if may_feedback:
            form = bound if form_for == m["code"] and bound is not None else FeedbackForm(
                initial={"measure_code": m["code"]}, prefix=m["code"].replace(".", "-"))
        measures.append({"measure": m, "latest": latest.get(m["code"]), "form": form})
    if may_feedback and all_form is None:
        awaiting = _awaiting_measures(check, latest)
        # with one measure left, its own form is the whole job: the combined form only helps with two or more
        all_form = FeedbackAllForm(measures=awaiting) if len(awaiting) >= 2 else None
    return {"check": check, "measures": measures, "may_feedback": may_feedback, "all_form": all_form}


@checker_required
def check_detail(request, check_id):
    check = selectors.check_get(viewer=request.user, check_id=check_id)
    if check is None:
        raise Http404("核查记录不存在")
    replay = selectors.check_replay(check)
    return render(request, "sanctions/check_detail.html", {
        **_feedback_context(request, check), "replay": replay, "scenarios": selectors.scenario_names(),
    })


@require_POST
@checker_required
def check_feedback(request, check_id):
    check = selectors.check_get(viewer=request.user, check_id=check_id)
    if check is None:
        raise Http404("核查记录不存在")
    if request.user.department_id != check.department_id:
        raise PermissionDenied("只能由核查部门反馈措施实施情况")
    code = request.POST.get("measure_code", "")
    form = FeedbackForm(request.POST, prefix=code.replace(".", "-"))  # one form per measure on the page
    if form.is_valid():
        try:
            services.check_feedback_record(check=check, measure_code=form.cleaned_data["measure_code"],
                                           applied=form.cleaned_data["applied"], note=form.cleaned_data["note"],
                                           actor=request.user)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            check.refresh_from_db()
            if not request.headers.get("HX-Request"):
                messages.success(request, "已记录措施实施情况")
                return redirect("sanctions:check_detail", check_id=check.check_id)
            return render(request, "sanctions/_feedback.html", _feedback_context(request, check))
    context = _feedback_context(request, check, form_for=code, bound=form)
    if request.headers.get("HX-Request"):
        return render(request, "sanctions/_feedback.html", context)
    return render(request, "sanctions/check_detail.html", {**context, "replay": selectors.check_replay(check),
                                                           "scenarios": selectors.scenario_names()})


@require_POST
@checker_required
def check_feedback_all(request, check_id):
    """Feedback for every measure still awaiting it, in one submission (all recorded or none)."""
    check = selectors.check_get(viewer=request.user, check_id=check_id)
    if check is None:
        raise Http404("核查记录不存在")
    if request.user.department_id != check.department_id:
        raise PermissionDenied("只能由核查部门反馈措施实施情况")
    form = FeedbackAllForm(request.POST, measures=_awaiting_measures(check, selectors.feedback_latest(check)))
    if form.is_valid():
        try:
            recorded = services.check_feedback_record_all(check=check, answers=form.answers(), actor=request.user)
        except DomainError as exc:
            form.add_service_errors(exc.problems)
        else:
            check.refresh_from_db()
            if not request.headers.get("HX-Request"):
                messages.success(request, f"已记录 {len(recorded)} 项措施的实施情况")
                return redirect("sanctions:check_detail", check_id=check.check_id)
            return render(request, "sanctions/_feedback.html", _feedback_context(request, check))
    context = _feedback_context(request, check, all_form=form)
    if request.headers.get("HX-Request"):
        return render(request, "sanctions/_feedback.html", context)
    return render(request, "sanctions/check_detail.html", {**context, "replay": selectors.check_replay(check),
                                                           "scenarios": selectors.scenario_names()})


# --- batch screening ---------------------------------------------------------------------------------------------------


@checker_required
def batch_new(request):
    departments = _departments_to_pick(request.user)
    form = BatchForm(request.POST or None, request.FILES or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        department = form.cleaned_data.get("department") or request.user.department
        upload = form.cleaned_data["file"]
        path = None
        try:
            path = spool_upload(upload)  # refuses a file over the upload limit (file.too_large)
            items = services.screening_items_from_file(path, filename=upload.name)
            batch = services.check_batch_run(department=department, scenario=form.cleaned_data["scenario"],
                                             items=items, actor=request.user, channel=CheckChannel.CONSOLE,
                                             filename=upload.name)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            return redirect("sanctions:batch_detail", pk=batch.pk)
        finally:
            if path is not None:
                path.unlink(missing_ok=True)
    return render(request, "sanctions/batch_new.html", {"form": form})


@checker_required
def batch_detail(request, pk: int):
    batch = selectors.batch_get(viewer=request.user, batch_id=pk)
    if batch is None:
        raise Http404("批量核查不存在")
    return render(request, "sanctions/batch_detail.html", {"batch": batch, "rows": selectors.batch_rows(batch),
                                                           "scenarios": selectors.scenario_names()})


@require_GET
@checker_required
def batch_result(request, pk: int, fmt: str):
    batch = selectors.batch_get(viewer=request.user, batch_id=pk)
    if batch is None:
        raise Http404("批量核查不存在")
    try:
        return batch_result_response(batch, fmt)
    except DomainError as exc:
        raise Http404(exc.message_zh) from exc


# --- watches -----------------------------------------------------------------------------------------------------------


@department_required
def watch_list(request):
    form = WatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.watch_add(department=request.user.department, subject=form.subject(),
                               label=form.cleaned_data["label"], actor=request.user)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "已关注。该主体列入或移出名单时将在“关注提醒”中通知。")
            return redirect("sanctions:watch_list")
    return render(request, "sanctions/watch_list.html", {
        "form": form, "watches": selectors.watch_list(department=request.user.department)[:500]})


@require_POST
@department_required
def watch_remove(request, pk: int):
    watch = selectors.watch_list(department=request.user.department).filter(pk=pk).first()
    if watch is None:
        raise Http404("关注不存在")
    services.watch_remove(watch=watch, actor=request.user)
    messages.success(request, "已取消关注")
    return redirect("sanctions:watch_list")


@department_required
def inbox(request):
    if request.method == "POST":
        try:
            up_to = int(request.POST.get("up_to", "0"))
        except ValueError:
            up_to = 0
        services.watch_inbox_mark_read(department=request.user.department, up_to=up_to)
        return redirect("sanctions:inbox")
    items, cursor = selectors.watch_inbox(department=request.user.department)
    return render(request, "sanctions/inbox.html", {"items": items, "cursor": cursor,
                                                    "head": items[0].id if items else 0})


# --- measures ----------------------------------------------------------------------------------------------------------


@login_required
def measure_list(request):
    list_code = request.GET.get("list", "")
    scenario = request.GET.get("scenario", "")
    rows = selectors.measure_rows(list_code=list_code, scenario=scenario)
    book, today = list_rulebook(), clock.today()
    return render(request, "sanctions/measure_list.html", {
        "rows": rows, "list_code": list_code, "scenario": scenario, "scenarios": selectors.scenario_names(),
        "lists": [(c, book.get(c, today).name_zh) for c in book.codes()],
        "may_edit": selectors.may_edit_measures(request.user)})


@login_required
def measure_edit(request, code: str | None = None):
    if not selectors.may_edit_measures(request.user):
        raise PermissionDenied("仅信用中心操作员可维护措施清单")
    current = selectors.measure_current(code) if code else None
    if code and current is None:
        raise Http404("措施不存在")
    initial = MeasureForm.initial_for(current) if current else {"effective_from": clock.today()}
    form = MeasureForm(request.POST or None, initial=initial, fixed_code=bool(code))
    if request.method == "POST" and form.is_valid():
        data = form.measure_data()
        if code:
            data["code"] = code
        try:
            services.measure_save(data=data, reason=form.cleaned_data["reason"], actor=request.user)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"已保存措施 {data['code']} 的新版本")
            return redirect("sanctions:measure_list")
    return render(request, "sanctions/measure_edit.html", {
        "form": form, "code": code, "current": current,
        "history": selectors.measure_history(code) if code else []})


# --- figures -----------------------------------------------------------------------------------------------------------


@require_GET
@login_required
def city_figures(request):
    if not selectors.may_read_city_figures(request.user):
        if request.user.department_id:
            return redirect("sanctions:department_figures", code=request.user.department.code)
        raise PermissionDenied("无权查看联合奖惩统计")
    figures = selectors.city_figures(viewer=request.user)
    return render(request, "sanctions/figures.html", {"figures": figures, "chart": figures.chart(), "city": True})


@require_GET
@login_required
def department_figures(request, code: str):
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise Http404("部门不存在")
    figures = selectors.department_figures(viewer=request.user, department=department)
    return render(request, "sanctions/figures.html", {
        "figures": figures, "chart": figures.chart(), "city": False, "department": department,
        "back_to_city": selectors.may_read_city_figures(request.user)})
