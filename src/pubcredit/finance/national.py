"""The outbound link to the national 信易贷 platform (全国中小企业融资综合信用服务平台), Zibo policy item 11.

The national platform's interface is not available to this project, so its schema is ASSUMED: the city sends, once
a month, one JSON document (``SCHEMA``) with the loan products on offer and the month's lending figures — counts and
sums only, no enterprise or person is named — by ``POST`` to ``PUBCREDIT_NATIONAL_XINYIDAI_URL`` (a Bearer token
when ``PUBCREDIT_NATIONAL_XINYIDAI_TOKEN`` is set). A 2xx answer is "sent"; anything else, a timeout or a refused
connection is "failed" and the month is tried again by the next day's job. When the national schema is published,
only :func:`report_payload` changes (and ``SCHEMA`` with it); the attempts' record and the job stay.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pubcredit.finance import selectors

SCHEMA = "pubcredit.xinyidai.city-report/1 (assumed)"
CITY_NAME, CITY_DIVISION_CODE = "淄博市", "370300"  # GB/T 2260
TIMEOUT_SECONDS = 20
RESPONSE_EXCERPT = 500


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of ``month``'s calendar month."""
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _tally(t: selectors.LendingTally) -> dict[str, Any]:
    return {"key": t.key, "name": t.name_zh, "applications": t.applications, "approved": t.approved,
            "refused": t.refused, "approval_rate_percent": t.approval_rate, "approved_amount_wan": _money(t.approved_amount),
            "disbursed": t.disbursed, "disbursed_amount_wan": _money(t.disbursed_amount), "first_loans": t.first_loans,
            "first_loan_share_percent": t.first_loan_share, "repayment_problems": t.repayment_problems}


def report_payload(*, month: dt.date, city_name: str, division_code: str, generated_at: dt.datetime) -> dict[str, Any]:
    """The city's report for ``month`` (ASSUMED schema, see the module's docstring): the products on offer today and
    the month's figures by bank, product, industry and district, from ``selectors.lending_figures`` (the same numbers
    as the workbench's 信易贷统计 page). Amounts in 万元 as decimal strings."""
    first, last = month_bounds(month)
    figures = selectors.lending_figures(first_day=first, last_day=last)
    products = [{"product_id": str(p.product_id), "institution_code": p.institution.code,
                 "institution_name": p.institution.name, "institution_uscc": p.institution.uscc, "name": p.name,
                 "amount_min_wan": _money(p.amount_min), "amount_max_wan": _money(p.amount_max),
                 "term_months": [p.term_months_min, p.term_months_max],
                 "annual_rate_percent": [_money(p.rate_min), _money(p.rate_max)], "conditions": p.conditions}
                for p in selectors.products()]
    return {
        "schema": SCHEMA,
        "city": {"name": city_name, "division_code": division_code},
        "period": {"month": first.strftime("%Y-%m"), "first_day": first.isoformat(), "last_day": last.isoformat()},
        "generated_at": generated_at.isoformat(),
        "products": products,
        "figures": {
            "total": _tally(figures.total),
            "by_institution": [_tally(t) for t in figures.by_institution],
            "by_product": [_tally(t) for t in figures.by_product],
            "by_industry": [_tally(t) for t in figures.by_industry],
            "by_district": [_tally(t) for t in figures.by_district],
            "authorisations_granted": figures.authorisations,
            "profile_reads_served": figures.reads_served,
            "profile_reads_refused": figures.reads_refused,
        },
    }


@dataclass(frozen=True)
class Delivery:
    """What the national platform answered: ``ok`` for a 2xx; ``error`` says why not (in Chinese, for the record)."""

    ok: bool
    http_status: int | None
    response_excerpt: str
    error: str


def deliver(*, url: str, body: bytes, token: str = "", timeout: float = TIMEOUT_SECONDS) -> Delivery:
    """POST the report; never raises for the far side's trouble (the attempt is recorded either way)."""
    headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (an operator-set https URL)
            text = response.read(RESPONSE_EXCERPT * 4).decode("utf-8", "replace")
            return Delivery(True, response.status, text[:RESPONSE_EXCERPT], "")
    except urllib.error.HTTPError as exc:
        text = exc.read(RESPONSE_EXCERPT * 4).decode("utf-8", "replace")
        return Delivery(False, exc.code, text[:RESPONSE_EXCERPT], f"全国平台拒收（HTTP {exc.code}）")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return Delivery(False, None, "", f"无法连接全国平台：{reason}"[:RESPONSE_EXCERPT])


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
