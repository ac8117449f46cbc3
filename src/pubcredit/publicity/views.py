"""Operator pages for publicity: downstream consumers of the change feed and their lag, the daily runs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from pubcredit.accounts.access import is_city_operator
from pubcredit.accounts.choices import Role
from pubcredit.publicity.selectors import consumer_list, publicity_rulebook, tick_runs


@login_required
def consumers(request):
    if not (is_city_operator(request.user) or request.user.role == Role.DISTRICT_OPERATOR):
        raise PermissionDenied("仅信用中心和区县信用办可查看")
    rows, head = consumer_list()
    return render(request, "publicity/consumers.html", {
        "rows": rows, "head": head, "runs": tick_runs(), "book": publicity_rulebook(),
    })
