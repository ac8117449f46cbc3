"""Staff workbench pages (工作台). Thin: read through selectors, write through services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from pubcredit.console.selectors import home_figures, version_rows
from pubcredit.records.selectors import record_get, record_list_for_subject, record_versions
from pubcredit.rules import identifiers
from pubcredit.subjects.selectors import subject_get, subject_search


@login_required
def home(request):
    return render(request, "console/home.html", {"figures": home_figures(viewer=request.user)})


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
