"""List pages (红黑名单): entries and their lifecycle, late pushes, and the identification workflow of lists decided
in the city. Thin: forms check shapes, selectors read, services write."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pubcredit.accounts.access import is_city_operator
from pubcredit.lists import selectors, services
from pubcredit.lists.choices import CaseStateChoice, EntryStatusChoice
from pubcredit.lists.forms import (CaseOpenForm, DecideForm, DefenceForm, DropForm, NotifyForm, RemoveForm,
                                   city_list_choices)
from pubcredit.lists.rulebook import rulebook
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError

PAGE_SIZE = 50


def _form_errors(form, exc: DomainError) -> None:
    for problem in exc.problems:
        field = (problem.field or "").replace("extra.", "extra__")
        form.add_error(field if field in form.fields else None, problem.message_zh)


def identifier_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not selectors.may_identify(request.user):
            raise PermissionDenied("仅认定单位（数据提供单位、审核人）和信用中心操作员可办理名单认定")
        return view(request, *args, **kwargs)
    return wrapped


@login_required
def entry_list(request):
    list_code = request.GET.get("list", "")
    status = request.GET.get("status", "")
    late = request.GET.get("late") == "1"
    # late pushes: each department sees its own; the credit centre and district offices see everyone's in scope
    own = request.user.department if late and request.user.department_id and not is_city_operator(request.user) \
        and request.user.role != "district_operator" else None
    qs = selectors.entry_list(viewer=request.user, list_code=list_code, status=status, late=late, department=own)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "lists/entry_list.html", {
        "page": page, "list_code": list_code, "status": status, "late": late, "summary": selectors.list_summary(),
        "statuses": EntryStatusChoice.choices,
    })


@login_required
def entry_detail(request, pk: int):
    entry = selectors.entry_get(viewer=request.user, pk=pk)
    if entry is None:
        raise Http404("名单条目不存在")
    may_remove = entry.in_force and selectors.may_remove_entry(request.user, entry)
    form = RemoveForm(request.POST or None, initial={"on": clock.today()}) if may_remove else None
    if request.method == "POST":
        if not may_remove:
            raise PermissionDenied("无权移出该名单条目")
        if form.is_valid():
            try:
                services.list_entry_remove(entry=entry, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"],
                                           on=form.cleaned_data["on"], actor=request.user)
            except DomainError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, "已移出名单，自即刻起不再命中核查。")
                return redirect("lists:entry_detail", pk=entry.pk)
    spec = rulebook().get(entry.list_code, entry.decision_date)
    return render(request, "lists/entry_detail.html", {"entry": entry, "spec": spec, "form": form,
                                                       "changes": entry.changes.order_by("id")})


@identifier_required
def case_list(request):
    state = request.GET.get("state", "")
    page = Paginator(selectors.case_list(viewer=request.user, state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "lists/case_list.html", {"page": page, "state": state, "states": CaseStateChoice.choices,
                                                    "lists": city_list_choices()})


@identifier_required
def case_open(request):
    list_code = request.GET.get("list") or request.POST.get("list_code", "")
    choices = dict(city_list_choices())
    if list_code not in choices:
        return render(request, "lists/case_choose.html", {"lists": choices.items()})
    if request.user.department is None:
        raise PermissionDenied("认定须以本部门名义办理：请使用所属部门的账号")
    form = CaseOpenForm(request.POST or None, list_code=list_code)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.identification_open(
                list_code=list_code, department=request.user.department, subject_name=data["subject_name"],
                subject_category=data["subject_category"], uscc=data["uscc"], id_number=data["id_number"],
                grounds=data["grounds"], cited_basis=data["cited_basis"], finding_document=data["finding_document"],
                extra=form.extra(), actor=request.user)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "已立案。下一步：依据审查。")
            return redirect("lists:case_detail", pk=case.pk)
    spec = rulebook().get(list_code, clock.today())
    return render(request, "lists/case_open.html", {"form": form, "list_code": list_code, "spec": spec})


ACTIONS = {
    "check_basis": (None, "依据审查通过"),
    "notify": (NotifyForm, "已登记告知，陈述申辩期开始"),
    "defence": (DefenceForm, "已登记陈述申辩"),
    "decide": (DecideForm, "已作出认定决定"),
    "push": (None, "已推送平台，名单已生效"),
    "drop": (DropForm, "已不予认定"),
}


def _forms_for(case, data=None, action=None):
    spec = rulebook().get(case.list_code, clock.today())
    initial = {"removal_conditions": spec.procedure.removal_conditions_zh if spec.procedure else "",
               "remedies": spec.procedure.remedies_zh if spec.procedure else "", "decision_date": clock.today(),
               "served_on": clock.today(), "received_on": clock.today()}
    out = {}
    for name, (form_class, _) in ACTIONS.items():
        if form_class is not None:
            out[name] = form_class(data if name == action else None, initial=initial, prefix=name)
    return out


def _run(case, action: str, form, user):
    data = form.cleaned_data if form is not None else {}
    if action == "check_basis":
        return services.identification_check_basis(case=case, actor=user)
    if action == "notify":
        return services.identification_notify(case=case, notice_no=data["notice_no"], served_on=data["served_on"], actor=user)
    if action == "defence":
        return services.identification_record_defence(case=case, defence=data["defence"], reply=data["reply"],
                                                      received_on=data["received_on"], actor=user)
    if action == "decide":
        return services.identification_decide(case=case, decision_no=data["decision_no"],
                                              decision_date=data["decision_date"],
                                              effective_date=data["effective_date"], planned_end=data["planned_end"],
                                              removal_conditions=data["removal_conditions"],
                                              remedies=data["remedies"], actor=user)
    if action == "push":
        return services.identification_push(case=case, actor=user)
    return services.identification_drop(case=case, reason=data["reason"], actor=user)


@identifier_required
def case_detail(request, pk: int, action: str | None = None):
    case = selectors.case_get(viewer=request.user, pk=pk)
    if case is None:
        raise Http404("认定案件不存在")
    forms = _forms_for(case, request.POST if request.method == "POST" else None, action)
    error = None
    if request.method == "POST":
        if action not in ACTIONS:
            raise Http404("未知操作")
        form = forms.get(action)
        if form is None or form.is_valid():
            try:
                _run(case, action, form, request.user)
            except DomainError as exc:
                if form is not None:
                    _form_errors(form, exc)
                error = exc
            else:
                messages.success(request, ACTIONS[action][1])
                return redirect("lists:case_detail", pk=case.pk)
        case.refresh_from_db()
    spec = rulebook().get(case.list_code, clock.today())
    return render(request, "lists/case_detail.html", {
        "case": case, "spec": spec, "forms": forms, "error": error, "deadlines": selectors.case_deadlines(case),
        "entry": getattr(case.record, "list_entry", None) if case.record_id else None,
        "operator": is_city_operator(request.user),
    })


case_action = require_POST(case_detail)
