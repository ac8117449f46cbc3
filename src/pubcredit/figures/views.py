"""Department figures pages (部门报送统计). Thin: the selectors read and scope, the templates show."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pubcredit.accounts.access import may_read_city_figures
from pubcredit.accounts.selectors import department_by_code
from pubcredit.figures import selectors
from pubcredit.rules.errors import DomainError


@require_GET
@login_required
def city_figures(request):
    """Every department's real-time sharing verdict and the share of departments sharing (operators)."""
    figures = selectors.city_sharing_figures(viewer=request.user)
    return render(request, "figures/city_figures.html", {"figures": figures, "outcome": figures.outcome})


@require_GET
@login_required
def department_figures(request, code: str):
    """One department's figures: numbers, records by month and class (chart), top refusal reasons, verdict."""
    try:
        department = department_by_code(code)
    except DomainError as exc:
        raise Http404(exc.message_zh) from exc
    figures = selectors.department_figures(viewer=request.user, department=department)
    return render(request, "figures/department_figures.html", {
        "figures": figures, "department": department, "chart": figures.chart(),
        "back_to_city": may_read_city_figures(request.user),
    })
