"""The workbench's 信易贷 and 信易+ figures (信易贷统计) for the credit centre and district credit offices. Thin: the
selector counts, the page draws (ECharts, vendored)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pubcredit.accounts.access import is_city_operator
from pubcredit.finance import selectors
from pubcredit.rules import clock

# the monitoring indicators are counted over a rolling 12 months (城市信用状况监测预警指标, monitoring.yaml)
WINDOW_MONTHS = 12


def _window(request, today: dt.date) -> tuple[dt.date, dt.date, str]:
    """``?from=YYYY-MM-DD&to=YYYY-MM-DD``; by default the rolling 12 months up to today. A malformed or reversed
    window falls back to the default and says so."""
    default_first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    for _ in range(WINDOW_MONTHS - 2):
        default_first = (default_first - dt.timedelta(days=1)).replace(day=1)
    raw_first, raw_last = request.GET.get("from", ""), request.GET.get("to", "")
    if not raw_first and not raw_last:
        return default_first, today, ""
    try:
        first = dt.date.fromisoformat(raw_first) if raw_first else default_first
        last = dt.date.fromisoformat(raw_last) if raw_last else today
    except ValueError:
        return default_first, today, "统计期间的日期格式应为YYYY-MM-DD，已显示近12个月。"
    if first > last:
        return default_first, today, "统计期间起日晚于止日，已显示近12个月。"
    return first, last, ""


@require_GET
@login_required
def figures(request):
    """信易贷统计: applications, approvals, amounts, 首贷 share by bank, product, industry, district and month, and
    信易+ checks and uses by scenario; a district credit office sees its district's enterprises."""
    if not selectors.may_read_figures(request.user):
        raise PermissionDenied("仅市社会信用中心和区县信用办可查看信易贷统计")
    first, last, problem = _window(request, clock.today())
    district = None if is_city_operator(request.user) else request.user.district
    data = selectors.lending_figures(first_day=first, last_day=last, district=district)
    return render(request, "finance/figures.html", {
        "figures": data, "chart": data.chart(), "window_problem": problem,
        "national_reports": selectors.national_reports() if is_city_operator(request.user) else None,
        "national_configured": bool(settings.PUBCREDIT_NATIONAL_XINYIDAI_URL)})
