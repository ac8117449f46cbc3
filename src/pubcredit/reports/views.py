"""Public report pages (no login): issue a public-version report of a subject shown on the site, read it, download
its signed PDF, and verify a number or a file. Thin: ``reports.services`` does the work."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from pubcredit.audit.services import SystemActor
from pubcredit.ratelimit import client_ip, rate_limited
from pubcredit.portal.selectors import subject_public_get
from pubcredit.reports import render as report_render
from pubcredit.reports import services
from pubcredit.reports.models import Report, ReportKind
from pubcredit.rules.errors import DomainError

MAX_UPLOAD = 20 * 1024 * 1024  # a report PDF is well under 1 MB; refuse anything absurd before reading it


def _public_report(number: str) -> Report:
    report = Report.objects.filter(number=number.upper(), kind=ReportKind.PUBLIC).first()
    if report is None:
        raise Http404("没有此编号的公开版报告")
    return report


@require_POST
@rate_limited("search")
def report_issue_public(request, subject_id: int):
    """The 下载信用报告 button of a subject page: a public-version report, free and immediate."""
    subject = subject_public_get(pk=subject_id)
    if subject is None:
        raise Http404("未找到该信用主体")
    report = services.report_issue(kind=ReportKind.PUBLIC, subject=subject,
                                   actor=SystemActor(f"public:{client_ip(request)}"), requester="社会公众（信用网站自助查询）")
    return redirect("reports:page", number=report.number)


@rate_limited("page")
def report_page(request, number: str):
    report = _public_report(number)
    html = report_render.report_html(report.snapshot, web=True,
                                     pdf_url=reverse("reports:pdf", kwargs={"number": report.number}))
    return HttpResponse(html)


@rate_limited("page")
def report_pdf(request, number: str):
    report = _public_report(number)
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.number}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@rate_limited("page")
def report_verify(request, number: str):
    """What the registry says about this number; with an uploaded PDF, whether that file is the genuine report."""
    reg = services.registration(number)
    verdict, error = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "请选择要核验的PDF文件。"
        elif upload.size > MAX_UPLOAD:
            error = "文件过大，不是本平台出具的报告。"
        else:
            verdict = services.report_file_verify(upload.read(), number=number)
    return render(request, "reports/verify.html", {"reg": reg, "info": reg.as_dict(), "verdict": verdict,
                                                    "error": error}, status=200 if reg.issued else 404)


def report_error(request, exc: DomainError):
    return render(request, "reports/verify.html", {"reg": None, "info": None, "verdict": None,
                                                    "error": exc.message_zh}, status=400)
