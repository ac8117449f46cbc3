"""Workbench pages of 双随机、一公开: tasks with figures, the item and inspector libraries, the object library, a
task's plan, commitment, draw and results. Thin: forms check shapes, selectors read, services write."""

from __future__ import annotations

import functools
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from pubcredit.accounts.models import District
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.supervision import forms, selectors, services
from pubcredit.supervision.models import DrawnObject, InspectionItem, Inspector
from pubcredit.supervision.rulebook import supervision_book


def _viewer_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not selectors.may_view(request.user):
            raise PermissionDenied("无权查看双随机抽查")
        return view(request, *args, **kwargs)
    return wrapped


def _department_of(request):
    if request.user.department is None:
        raise PermissionDenied("仅检查部门的工作人员可维护抽查事项、检查人员和任务")
    return request.user.department


def _form_errors(form, exc: DomainError) -> None:
    for problem in exc.problems:
        field = (problem.field or "").split(".")[-1]
        form.add_error(field if field in form.fields else None, problem.message_zh)


@_viewer_required
def task_list(request):
    year = clock.today().year
    per_class = selectors.inspections_per_class(year=year)
    chart = {"classes": [r["name_zh"] for r in per_class],
             "series": {"随机抽查抽中": [r["random"] for r in per_class],
                        "特殊领域及投诉转办等": [r["other"] for r in per_class]}}
    return render(request, "supervision/task_list.html", {
        "tasks": selectors.tasks(viewer=request.user)[:200], "per_class": per_class, "chart": chart,
        "figures": selectors.figures(year=year),
        "year": year, "overdue": selectors.overdue_results().count(), "may_plan": request.user.department_id is not None,
    })


def _import(request, kind: str, target: str):
    """The XLSX upload beside a library's table (all or nothing, every faulty row named)."""
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择 XLSX 文件")
        return redirect(target)
    try:
        added = services.library_import(department=_department_of(request), kind=kind, data=upload.read(),
                                        actor=request.user)
    except DomainError as exc:
        messages.error(request, "未导入任何数据：" + "；".join(p.message_zh for p in exc.problems[:20]))
    else:
        messages.success(request, f"已导入{added}条")
    return redirect(target)


@_viewer_required
def import_template(request, kind: str):
    """The XLSX template of the items or inspectors import (下载导入模板)."""
    if kind not in services.IMPORT_COLUMNS:
        raise Http404("no such template")
    name = {"items": "抽查事项导入模板", "inspectors": "检查人员导入模板"}[kind]
    response = HttpResponse(selectors.import_template(kind, list(services.IMPORT_COLUMNS[kind])),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename=\"{kind}-template.xlsx\"; filename*=UTF-8''{quote(name)}.xlsx"
    return response


@_viewer_required
def item_list(request):
    if request.method == "POST" and request.POST.get("form") == "import":
        return _import(request, "items", "supervision:items")
    form = forms.ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_create(department=_department_of(request), actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "已添加抽查事项")
            return redirect("supervision:items")
    return render(request, "supervision/items.html", {"items": selectors.items(viewer=request.user), "form": form,
                                                      "may_edit": request.user.department_id is not None,
                                                      "columns": services.IMPORT_COLUMNS["items"]})


@_viewer_required
def inspector_list(request):
    if request.method == "POST" and request.POST.get("form") == "import":
        return _import(request, "inspectors", "supervision:inspectors")
    form = forms.InspectorForm(request.POST if request.POST.get("form") == "inspector" else None)
    conflict_form = forms.ConflictForm(request.POST if request.POST.get("form") == "conflict" else None)
    if request.method == "POST":
        department = _department_of(request)
        try:
            if form.is_bound and form.is_valid():
                services.inspector_create(department=department, actor=request.user, **form.cleaned_data)
                messages.success(request, "已添加检查人员")
                return redirect("supervision:inspectors")
            if conflict_form.is_bound and conflict_form.is_valid():
                inspector = get_object_or_404(Inspector, pk=conflict_form.cleaned_data["inspector"],
                                              department=department)
                services.conflict_declare(inspector=inspector, subject_key=conflict_form.cleaned_data["subject_key"],
                                          reason=conflict_form.cleaned_data["reason"], actor=request.user)
                messages.success(request, f"已登记{inspector.name}的利害关系，抽取时回避")
                return redirect("supervision:inspectors")
        except DomainError as exc:
            _form_errors(form if form.is_bound else conflict_form, exc)
    return render(request, "supervision/inspectors.html", {
        "inspectors": selectors.inspectors(viewer=request.user), "form": form, "conflict_form": conflict_form,
        "may_edit": request.user.department_id is not None, "columns": services.IMPORT_COLUMNS["inspectors"]})


@_viewer_required
def object_library(request):
    if request.method == "POST":
        if not selectors.is_operator(request.user):
            raise PermissionDenied("仅信用中心操作员可更新检查对象名录库")
        count = services.object_library_refresh(actor=request.user)
        messages.success(request, f"已从社会信用数据库更新检查对象名录库：{count}户")
        return redirect("supervision:objects")
    return render(request, "supervision/objects.html", {"counts": selectors.class_counts(),
                                                        "may_refresh": selectors.is_operator(request.user),
                                                        "book": supervision_book()})


@_viewer_required
def task_new(request):
    department = _department_of(request)
    items = InspectionItem.objects.filter(active=True).select_related("department").order_by("department__code", "code")
    form = forms.TaskForm(request.POST or None, items=items, departments=forms.other_departments(department.pk),
                          districts=District.objects.order_by("code"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        object_filter = {"districts": data["districts"], "keys": data["keys"],
                         "licence_contains": data["licence_contains"]}
        try:
            task = services.task_create(department=department, name=data["name"], item_ids=data["item_ids"],
                                        joint_department_ids=data["joint_department_ids"], trigger=data["trigger"],
                                        object_filter=object_filter, base_ratio=data["base_ratio"],
                                        planned_date=data["planned_date"], actor=request.user)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"已创建抽查任务 {task.code}，请公布抽取承诺")
            return redirect("supervision:task", task.pk)
    return render(request, "supervision/task_new.html", {"form": form})


def _task(request, pk):
    task = selectors.task_get(viewer=request.user, pk=pk)
    if task is None:
        raise Http404("没有该抽查任务")
    return task


@_viewer_required
def task_detail(request, pk: int):
    task = _task(request, pk)
    objects = list(selectors.drawn_objects(task))
    items = list(task.items.all())
    mine = set()
    if request.user.is_authenticated:
        mine = set(DrawnObject.objects.filter(task=task, inspectors__user=request.user).values_list("pk", flat=True))
    rows = []
    for obj in objects:
        done = {r.item_id: r for r in obj.results.all()}
        rows.append({"object": obj, "inspectors": list(obj.inspectors.all()), "mine": obj.pk in mine,
                     "results": [(item, done.get(item.pk)) for item in items]})
    return render(request, "supervision/task_detail.html", {
        "task": task, "items": items, "rows": rows, "today": clock.today(),
        "manage": request.user.is_superuser or request.user.department_id == task.department_id,
        "result_form": forms.ResultForm(initial={"inspected_on": clock.today()}),
        "overdue": selectors.overdue_results(task=task).count(),
        "joint": list(task.joint_departments.all()), "excluded": task.excluded.get("reasons", {}),
    })


@require_POST
@_viewer_required
def task_act(request, pk: int, action: str):
    task = _task(request, pk)
    manage = request.user.is_superuser or request.user.department_id == task.department_id
    try:
        if action == "result":
            form = forms.ResultForm(request.POST)
            if not form.is_valid():
                messages.error(request, "；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()
                                                  if f in form.fields))
                return redirect("supervision:task", task.pk)
            obj = get_object_or_404(DrawnObject, pk=form.cleaned_data["drawn_object"], task=task)
            item = get_object_or_404(task.items, pk=form.cleaned_data["item"])
            services.result_enter(drawn_object=obj, item=item, outcome=form.cleaned_data["outcome"],
                                  inspected_on=form.cleaned_data["inspected_on"], notes=form.cleaned_data["notes"],
                                  actor=request.user)
            messages.success(request, f"已录入 {obj.subject.name} 的检查结果")
        elif not manage:
            raise PermissionDenied("仅牵头部门可公布承诺、抽取和公开结果")
        elif action == "commit":
            task = services.task_commit(task=task, actor=request.user)
            messages.success(request, f"已公布抽取承诺，候选{len(task.candidates)}户")
        elif action == "draw":
            services.task_draw_start(task=task, actor=request.user)
            messages.success(request, "已提交后台抽取，完成后本页显示抽取结果和随机种子")
        elif action == "publish":
            count = services.results_publish(task=task, actor=request.user)
            messages.success(request, f"已在信用网站公开{count}条检查结果")
        else:
            raise Http404("未知操作")
    except DomainError as exc:
        messages.error(request, "；".join(p.message_zh for p in exc.problems))
    return redirect("supervision:task", task.pk)
