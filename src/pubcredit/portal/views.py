"""The public credit site (信用网站): search, subject pages, 双公示 listings, 红黑名单 listings, the publicity rules.
No login; rate-limited per client. Thin: everything is read through ``disclosure.selectors``; nothing is written, the
natural persons shown are noted on a log (``portal.services``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from pubcredit.disclosure import selectors
from pubcredit.ratelimit import client_ip, rate_limited
from pubcredit.portal.services import public_person_reads_log
from pubcredit.rulebook.loader import load_yaml
from pubcredit.rules.errors import DomainError

LISTINGS = {"licenses": "admin_license", "penalties": "admin_penalty", "commitments": "credit_commitment"}


def _page(request, name: str = "page") -> int:
    try:
        return max(1, int(request.GET.get(name, "1")))
    except ValueError:
        return 1


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip()) if raw and raw.strip() else None
    except ValueError:
        return None


@cache
def _city() -> str:
    return load_yaml("districts.yaml")["city"]["name"]


def _site() -> dict[str, str]:
    """The site's name is a setting (PUBCREDIT_SITE_NAME, default 信用中国（山东淄博）); the city comes from the rulebook."""
    return {"site_name": settings.PUBCREDIT_SITE_NAME, "city": _city()}


@rate_limited("page")
def home(request):
    filters = selectors.ListingFilters()
    return render(request, "portal/home.html", {
        **_site(),
        "licenses": selectors.listing(class_code="admin_license", filters=filters).records[:5],
        "penalties": selectors.listing(class_code="admin_penalty", filters=filters).records[:5],
        "lists": selectors.list_overview(),
    })


@rate_limited("search")
def search(request):
    result = selectors.subject_search_public(query=request.GET.get("q", ""), page=_page(request))
    if any(s.is_natural_person for s in result.results):  # published by law (失信被执行人): logged
        public_person_reads_log(subjects=result.results, client=client_ip(request),
                                purpose="公示网站查询结果 (public search)")
    base = urlencode({"q": result.query})
    return render(request, "portal/search.html", {**_site(), "result": result, "base_query": base})


@rate_limited("page")
def subject(request, pk: int):
    found = selectors.subject_public_get(pk=pk)
    if found is None:
        raise Http404("未找到该信用主体")
    if found.is_natural_person:  # only when a class is public for persons: the read is logged (portal.services)
        public_person_reads_log(subjects=[found], client=client_ip(request),
                        purpose="公示网站查看 (public site)")
    sections = selectors.subject_sections(subject=found, pages={
        code: _page(request, f"p_{code}") for code in LISTINGS.values()})
    list_sections = selectors.subject_list_sections(subject=found, pages={
        kind: _page(request, f"p_{kind}") for kind in selectors.LIST_KINDS})
    return render(request, "portal/subject.html", {
        **_site(), "subject": found, "facts": selectors.subject_facts(subject=found), "sections": sections,
        "list_sections": list_sections,
    })


def _filters(request) -> selectors.ListingFilters:
    return selectors.ListingFilters(
        department=request.GET.get("department", "").strip(), district=request.GET.get("district", "").strip(),
        date_from=_date(request.GET.get("date_from")), date_to=_date(request.GET.get("date_to")),
        matter=request.GET.get("matter", "").strip())


def _listing(request, kind: str):
    filters = _filters(request)
    choices = selectors.filter_choices(class_code=LISTINGS[kind])
    if filters.matter not in dict(choices["matters"]):
        filters = replace(filters, matter="")  # an unknown matter code filters nothing rather than everything away
    result = selectors.listing(class_code=LISTINGS[kind], filters=filters, page=_page(request))
    return render(request, "portal/listing.html", {
        **_site(), "kind": kind, "listing": result, "choices": choices,
        "base_query": urlencode(filters.as_query()),
    })


@rate_limited("page")
def licenses(request):
    return _listing(request, "licenses")


@rate_limited("page")
def penalties(request):
    return _listing(request, "penalties")


@rate_limited("page")
def commitments(request):
    """信用承诺公示: published commitments, newest first, searchable by 承诺事项."""
    return _listing(request, "commitments")


@rate_limited("page")
def rules(request):
    return render(request, "portal/rules.html", {**_site(), "regimes": selectors.regimes_for_display(),
                                                 "lists": selectors.published_lists()})


@rate_limited("page")
def lists(request):
    """红黑名单公示: every published list with the number of entries shown today."""
    return render(request, "portal/lists.html", {**_site(), "lists": selectors.list_overview(),
                                                  "kinds": list(selectors.LIST_KIND_LABELS.items())})


@rate_limited("page")
def list_listing(request, code: str):
    """One list's entries shown today, newest first, filtered like the 双公示 listings. The filter form's list choice
    (``?code=``) moves to that list's page, keeping the other filters (no script needed)."""
    chosen = request.GET.get("code", "").strip()
    if chosen and chosen != code:
        query = urlencode({k: v for k, v in request.GET.items() if k not in ("code", "page") and v})
        return redirect(reverse("portal:list", args=[chosen]) + (f"?{query}" if query else ""))
    filters = _filters(request)
    try:
        result = selectors.list_listing(list_code=code, filters=filters, page=_page(request))
    except DomainError:
        raise Http404("没有公示的名单") from None
    if result.persons:  # 失信被执行人 (natural persons published by law): persons shown are logged
        public_person_reads_log(subjects=result.persons, client=client_ip(request),
                                purpose=f"公示网站名单公示（{result.spec.name_zh}）")
    return render(request, "portal/list_listing.html", {
        **_site(), "listing": result, "lists": selectors.published_lists(), "choices": selectors.filter_choices(),
        "base_query": urlencode(filters.as_query()),
    })
