"""The public credit site (信用网站): search, subject pages, 双公示 listings, the publicity rules. No login;
rate-limited per client. Thin: everything is read through ``portal.selectors``."""

from __future__ import annotations

import datetime as dt
from functools import cache
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render

from pubcredit.audit.services import SystemActor
from pubcredit.portal import selectors
from pubcredit.portal.ratelimit import client_ip, rate_limited
from pubcredit.rulebook.loader import load_yaml
from pubcredit.subjects.services import person_read_log

LISTINGS = {"licenses": "admin_license", "penalties": "admin_penalty"}


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
def _site() -> dict[str, str]:
    city = load_yaml("districts.yaml")["city"]["name"]
    return {"site_name": f"信用{city.removesuffix('市')}", "city": city}


@rate_limited("page")
def home(request):
    filters = selectors.ListingFilters()
    return render(request, "portal/home.html", {
        **_site(),
        "licenses": selectors.listing(class_code="admin_license", filters=filters).records[:5],
        "penalties": selectors.listing(class_code="admin_penalty", filters=filters).records[:5],
    })


@rate_limited("search")
def search(request):
    result = selectors.subject_search_public(query=request.GET.get("q", ""), page=_page(request))
    base = urlencode({"q": result.query})
    return render(request, "portal/search.html", {**_site(), "result": result, "base_query": base})


@rate_limited("page")
def subject(request, pk: int):
    found = selectors.subject_public_get(pk=pk)
    if found is None:
        raise Http404("未找到该信用主体")
    if found.is_natural_person:  # only when a class is public for persons; every read of a person is audited
        person_read_log(subject=found, viewer=SystemActor(f"public:{client_ip(request)}"),
                        purpose="公示网站查看 (public site)")
    sections = selectors.subject_sections(subject=found, pages={
        code: _page(request, f"p_{code}") for code in LISTINGS.values()})
    return render(request, "portal/subject.html", {
        **_site(), "subject": found, "facts": selectors.subject_facts(subject=found), "sections": sections,
    })


def _listing(request, kind: str):
    filters = selectors.ListingFilters(
        department=request.GET.get("department", "").strip(), district=request.GET.get("district", "").strip(),
        date_from=_date(request.GET.get("date_from")), date_to=_date(request.GET.get("date_to")))
    result = selectors.listing(class_code=LISTINGS[kind], filters=filters, page=_page(request))
    return render(request, "portal/listing.html", {
        **_site(), "kind": kind, "listing": result, "choices": selectors.filter_choices(),
        "base_query": urlencode(filters.as_query()),
    })


@rate_limited("page")
def licenses(request):
    return _listing(request, "licenses")


@rate_limited("page")
def penalties(request):
    return _listing(request, "penalties")


@rate_limited("page")
def rules(request):
    return render(request, "portal/rules.html", {**_site(), "regimes": selectors.regimes_for_display()})
