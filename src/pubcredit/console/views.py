"""Staff workbench pages (工作台). Thin: read through selectors, write through services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from pubcredit.console.selectors import home_figures, version_rows
from pubcredit.records.selectors import record_get, record_list_for_subject, record_versions
from pubcredit.subjects.selectors import subject_get, subject_search


@login_required
def home(request):
    return render(request, "console/home.html", {"figures": home_figures(viewer=request.user)})


@login_required
def subject_lookup(request):
    query = request.GET.get("q", "").strip()
    results = subject_search(viewer=request.user, query=query) if query else []
    template = "console/_subject_results.html" if request.headers.get("HX-Request") else "console/subject_lookup.html"
    return render(request, template, {"query": query, "results": results})


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
