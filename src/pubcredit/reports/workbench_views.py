"""Workbench pages (工作台): a department clerk requests a query or special report in a named procedure, reads it and
downloads the signed PDF; reports of their own department only."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from pubcredit.reports import render as report_render
from pubcredit.reports import services
from pubcredit.reports.forms import ReportRequestForm
from pubcredit.reports.models import Report
from pubcredit.rules.errors import DomainError


def department_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.department_id:
            raise PermissionDenied("仅部门工作人员可在办理事项中申请信用报告")
        return view(request, *args, **kwargs)
    return wrapped


@department_required
def report_request(request):
    form = ReportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_issue(
                kind=data["kind"], subject=services.subject_by_code(data["code"]), actor=request.user,
                requester=f"{request.user.department.name}（{request.user.get_full_name() or request.user.username}）",
                purpose=data["purpose"], procedure=data["procedure"], department=request.user.department,
                period_from=data["period_from"], period_to=data["period_to"])
        except DomainError as exc:
            for problem in exc.problems:
                field = {"subject": "code"}.get(problem.field or "", problem.field or "")
                form.add_error(field if field in form.fields else None, problem.message_zh)
        else:
            return redirect("reports_workbench:detail", number=report.number)
    recent = Report.objects.filter(department=request.user.department).select_related("subject").order_by(
        "-issued_at")[:20]
    return render(request, "reports/request.html", {"form": form, "recent": recent})


def _own(request, number: str) -> Report:
    report = Report.objects.filter(number=number.upper(), department=request.user.department).first()
    if report is None:
        raise Http404("本部门没有此编号的报告")
    return report


@department_required
def report_detail(request, number: str):
    report = _own(request, number)
    return report_render.report_page_response(
        report.snapshot, pdf_url=reverse("reports_workbench:pdf", kwargs={"number": report.number}))


@department_required
def report_pdf(request, number: str):
    report = _own(request, number)
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.number}.pdf"'
    return response
