"""Workbench pages of credit commitments (信用承诺): the list with verification figures, accepting a commitment,
one commitment with its verification, breach and withdrawal forms, and the 告知承诺 eligibility form. Thin: forms
check shapes, selectors read, services write."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from pubcredit.accounts.access import may_read_city_figures
from pubcredit.accounts.models import Department

from pubcredit.commitments import selectors, services
from pubcredit.commitments.forms import AcceptForm, BreachForm, EligibilityForm, VerifyForm, WithdrawForm
from pubcredit.commitments.rulebook import commitment_book
from pubcredit.rules.commitments import STATUS_LABELS
from pubcredit.rules.errors import DomainError
from pubcredit.sanctions.choices import CheckChannel

PAGE_SIZE = 50
_FIELD_ALIASES = {"subject": "code"}


def _viewer_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not selectors.may_view(request.user):
            raise PermissionDenied("无权查看信用承诺")
        return view(request, *args, **kwargs)
    return wrapped


def _clerk_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not selectors.may_accept(request.user):
            raise PermissionDenied("仅受理部门的工作人员可受理、核查信用承诺")
        return view(request, *args, **kwargs)
    return wrapped


def _form_errors(form, exc: DomainError) -> None:
    for problem in exc.problems:
        field = (problem.field or "").split(".")[0]
        field = _FIELD_ALIASES.get(field, field)
        form.add_error(field if field in form.fields else None, problem.message_zh)


@_viewer_required
def commitment_list(request):
    status, matter = request.GET.get("status", ""), request.GET.get("matter", "")
    page = Paginator(selectors.commitments(viewer=request.user, status=status, matter=matter),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [selectors.commitment_row(r) for r in page]
    return render(request, "commitments/list.html", {
        "page": page, "rows": rows, "status": status, "matter": matter, "statuses": STATUS_LABELS,
        "matters": {c: m.name_zh for c, m in commitment_book().matters.items()},
        "figures": selectors.figures(viewer=request.user), "may_accept": selectors.may_accept(request.user),
        "may_figures": may_read_city_figures(request.user) or bool(request.user.department_id)})


@_clerk_required
def commitment_new(request):
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.commitment_accept(department=request.user.department, values=form.values(),
                                                actor=request.user)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"已受理信用承诺 {record.decision_no}")
            return redirect("commitments:detail", pk=record.pk)
    return render(request, "commitments/new.html", {"form": form})


def _get(request, pk: int):
    record = selectors.commitment_get(viewer=request.user, pk=pk)
    if record is None:
        raise Http404("没有该信用承诺")
    return record


@_viewer_required
def commitment_detail(request, pk: int, *, forms: dict | None = None):
    record = _get(request, pk)
    row = selectors.commitment_row(record)
    own = selectors.may_accept(request.user) and request.user.department_id == record.department_id
    forms = forms or {}
    return render(request, "commitments/detail.html", {
        "row": row, "record": record, "versions": [(v, STATUS_LABELS.get(v.fields.get("status"), "—"))
                                                         for v in record.versions.order_by("-version")],
        "breach": selectors.breach_record_for(record), "may_act": own and row.status == "in_force",
        "verify_form": forms.get("verify") or VerifyForm(), "breach_form": forms.get("breach") or BreachForm(),
        "withdraw_form": forms.get("withdraw") or WithdrawForm()}, status=400 if forms else 200)


@require_POST
@_clerk_required
def commitment_act(request, pk: int, action: str):
    record = _get(request, pk)
    form_class = {"verify": VerifyForm, "breach": BreachForm, "withdraw": WithdrawForm}.get(action)
    if form_class is None:
        raise Http404("未知操作")
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "verify":
                services.commitment_verify(record=record, department=request.user.department,
                                           verified_on=data["verified_on"], fulfilled=data["outcome"] == "fulfilled",
                                           note=data["note"], actor=request.user)
                messages.success(request, "已记录核查结果")
            elif action == "breach":
                outcome = services.commitment_breach_record(
                    record=record, department=request.user.department, evidence=data["evidence"],
                    decided_on=data["decided_on"], serious_untrue=data["serious_untrue"],
                    severity=data["severity"], actor=request.user)
                messages.success(request, f"已认定违诺，生成违诺信息 {outcome.breach_record.decision_no}")
            else:
                services.commitment_withdraw(record=record, department=request.user.department,
                                             reason=data["reason"], actor=request.user)
                messages.success(request, "承诺已撤回")
            return redirect("commitments:detail", pk=record.pk)
        except DomainError as exc:
            _form_errors(form, exc)
    return commitment_detail(request, pk, forms={action: form})


@_clerk_required
def eligibility(request):
    form = EligibilityForm(request.POST or None)
    answer = None
    if request.method == "POST" and form.is_valid():
        try:
            answer = services.eligibility_check(department=request.user.department, subject=form.subject(),
                                                matter=form.cleaned_data["matter"],
                                                reference=form.cleaned_data["reference"], actor=request.user,
                                                channel=CheckChannel.CONSOLE)
        except DomainError as exc:
            _form_errors(form, exc)
    matter = commitment_book().matters.get(answer.matter) if answer else None
    return render(request, "commitments/eligibility.html", {"form": form, "answer": answer, "matter": matter})


# --- figures (承诺统计) ----------------------------------------------------------------------------------------------


@require_GET
@login_required
def city_figures(request):
    """The city's (or district's) commitment figures; department staff are sent to their department's."""
    if not may_read_city_figures(request.user):
        if request.user.department_id:
            return redirect("commitments:department_figures", code=request.user.department.code)
        raise PermissionDenied("仅市社会信用中心、区县信用办和受理部门可查看信用承诺统计")
    figures = selectors.city_figures(viewer=request.user)
    return render(request, "commitments/figures.html", {"figures": figures, "chart": figures.chart(), "city": True})


@require_GET
@login_required
def department_figures(request, code: str):
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise Http404("部门不存在")
    figures = selectors.department_figures(viewer=request.user, department=department)
    return render(request, "commitments/figures.html", {
        "figures": figures, "chart": figures.chart(), "city": False, "department": department,
        "back_to_city": may_read_city_figures(request.user)})
