"""Public report pages (no login): issue a public-version report of a subject shown on the site, read it, download
its signed PDF, and verify a number or a file. Thin: ``reports.services`` does the work."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from pubcredit.accounts.access import enterprise_login_required
from pubcredit.audit.services import SystemActor
from pubcredit.ratelimit import client_ip, hit, rate_limited, too_many
from pubcredit.disclosure.selectors import subject_public_get
from pubcredit.reports import render as report_render
from pubcredit.reports import services
from pubcredit.reports.forms import EnterpriseReportForm
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
    return report_render.report_page_response(report.snapshot,
                                              pdf_url=reverse("reports:pdf", kwargs={"number": report.number}))


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


MY_REPORTS_SHOWN = 20


@require_http_methods(["GET", "POST"])
@enterprise_login_required
@rate_limited("page")
def my_reports(request):
    """我的信用报告: an enterprise account asks for its own query version or special report (self-service, free,
    immediate) and finds the reports its enterprise asked for before."""
    account = request.enterprise_account
    subject = services.enterprise_subject(account)
    form = EnterpriseReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        wait = hit(request, "search")  # issuing renders and signs a PDF: limited like a search
        if wait is not None:
            return too_many(request, wait, as_json=False)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.report_issue(
                    kind=data["kind"], subject=subject, actor=request.user,
                    requester=services.enterprise_requester(account), purpose=data["purpose"],
                    procedure=data["procedure"], period_from=data["period_from"], period_to=data["period_to"],
                    enterprise_account=account)
            except DomainError as exc:
                for problem in exc.problems:
                    field = problem.field if problem.field in form.fields else None
                    form.add_error(field, problem.message_zh)
            else:
                return redirect("reports:mine_page", number=report.number)
        status = 400
    earlier = (Report.objects.filter(enterprise_account__uscc=account.uscc).select_related("enterprise_account__user")
               .order_by("-issued_at")[:MY_REPORTS_SHOWN])
    return render(request, "reports/enterprise.html", {"account": account, "subject": subject, "form": form,
                                                        "earlier": earlier}, status=status)


def _enterprise_report(request, number: str) -> Report:
    """A report this enterprise asked for (any account of the same USCC); anyone else's is 404."""
    report = Report.objects.filter(number=number.upper(), enterprise_account__uscc=request.enterprise_account.uscc,
                                   subject__uscc=request.enterprise_account.uscc).first()
    if report is None:
        raise Http404("本企业没有此编号的报告")
    return report


@enterprise_login_required
@rate_limited("page")
def my_report_page(request, number: str):
    report = _enterprise_report(request, number)
    return report_render.report_page_response(
        report.snapshot, pdf_url=reverse("reports:mine_pdf", kwargs={"number": report.number}),
        back_url=reverse("reports:mine"))


@enterprise_login_required
@rate_limited("page")
def my_report_pdf(request, number: str):
    report = _enterprise_report(request, number)
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.number}.pdf"'
    return response


def report_error(request, exc: DomainError):
    return render(request, "reports/verify.html", {"reg": None, "info": None, "verdict": None,
                                                    "error": exc.message_zh}, status=400)
