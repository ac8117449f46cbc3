"""Staff workbench pages (工作台). Thin: read through selectors, write through services."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from pubcredit.accounts.access import is_city_operator
from pubcredit.accounts.choices import Role
from pubcredit.console.selectors import home_figures, home_inbox
from pubcredit.console.selectors import late_records as late_records_list
from pubcredit.finance.bank_access import institution_of
from pubcredit.records.selectors import record_get, record_list_for_subject, record_versions, version_rows
from pubcredit.request_limits import error_body
from pubcredit.rules import identifiers
from pubcredit.subjects.selectors import subject_get, subject_search


@login_required
def home(request):
    """The role's inbox: what this person must do today, each count linking to its rows."""
    user = request.user
    show_figures = is_city_operator(user) or user.role in (Role.PROVIDER, Role.DISTRICT_OPERATOR)
    return render(request, "console/home.html", {
        "inbox": home_inbox(viewer=user), "show_figures": show_figures,
        "figures": home_figures(viewer=user) if show_figures else None,
    })


@login_required
def late_records(request):
    """超期报送的记录: the rows behind the homes' late counts."""
    page = Paginator(late_records_list(viewer=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "console/late_records.html", {"page": page, "home_url": reverse("console:home")})


def _looks_like_id_number(query: str) -> bool:
    code = identifiers.normalise_code(query)
    return bool(identifiers.RID18_PATTERN.match(code) or identifiers.RID15_PATTERN.match(code))


@login_required
def subject_lookup(request):
    """主体查询. The form posts its query (issue 19): an identity number never sits in a URL, and so never in the
    browser's history or an access log. A GET with ``q`` (a bookmark) still finds names and codes, but a query that
    looks like an identity number is not run from a URL: the page asks for it through the form."""
    query = (request.POST if request.method == "POST" else request.GET).get("q", "").strip()
    id_in_url = request.method != "POST" and _looks_like_id_number(query)
    if id_in_url:
        query = ""
    results = subject_search(viewer=request.user, query=query) if query else []
    template = "console/_subject_results.html" if request.headers.get("HX-Request") else "console/subject_lookup.html"
    return render(request, template, {"query": query, "results": results, "id_in_url": id_in_url},
                  status=400 if id_in_url else 200)


@login_required
def subject_detail(request, pk: int):
    subject = subject_get(viewer=request.user, pk=pk)
    if subject is None:
        raise Http404("信用主体不存在")
    records = record_list_for_subject(viewer=request.user, subject=subject)[:200]
    return render(request, "console/subject_detail.html", {
        "subject": subject, "records": records, "names": subject.names.all(),
    })


@login_required
def record_version_list(request, pk: int):
    record = record_get(viewer=request.user, pk=pk)
    if record is None:
        raise Http404("信用记录不存在")
    versions = version_rows(record=record, versions=record_versions(record=record))
    return render(request, "console/_record_versions.html", {"record": record, "versions": versions})


# The platform's own error pages (403/404/500): Chinese, with the site header, a way back and the reason the check
# gave. Paths under /api/ get the API's JSON error shape instead (Ninja answers its own errors; these only see what
# never reached it, such as an unknown /api/ path).
_HAS_CHINESE = re.compile(r"[\u4e00-\u9fff]")
_API_PREFIX = "/api/"


def _api_error(status: int) -> JsonResponse:
    return JsonResponse(error_body(status), status=status)


def _reason(exception) -> str:
    """The permission check's reason when it was written for people (Chinese), else nothing."""
    text = str(exception.args[0]) if exception is not None and getattr(exception, "args", None) else ""
    return text if _HAS_CHINESE.search(text) else ""


def _same_site_referer(request) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    return referer if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}) else ""


def _error_page(request, status: int, **context):
    """The error page in the frame of whoever sees it: a bank officer (金融机构用户) keeps the bank console's menu, not
    the government workbench's, whose pages it may not open."""
    bank = institution_of(request.user) is not None
    return render(request, "components/error_page.html", {
        "status": status, "back": _same_site_referer(request),
        "base": "finance/bank/base.html" if bank else "base.html",
        "home": reverse("finance_workbench:bank_home") if bank else reverse("console:home"), **context,
    }, status=status)


def error_403(request, exception=None):
    if request.path.startswith(_API_PREFIX):
        return _api_error(403)
    return _error_page(request, 403, title="无权访问此页面",
                       reason=_reason(exception) or "您的角色或所属部门无权办理此事项。",
                       advice="如确需办理，请联系本单位管理员或市社会信用中心开通相应角色。")


def error_404(request, exception=None):
    if request.path.startswith(_API_PREFIX):
        return _api_error(404)
    return _error_page(request, 404, title="页面不存在", reason=_reason(exception),
                       advice="链接可能已失效，或该信息不在您的查看范围内。")


def error_500(request):
    if request.path.startswith(_API_PREFIX):
        return _api_error(500)
    # No database or session here: the error may be the database itself.
    html = render_to_string("500.html", {"site_name": settings.PUBCREDIT_SITE_NAME,
                                         "workbench_name": settings.PUBCREDIT_WORKBENCH_NAME})
    return HttpResponseServerError(html)
