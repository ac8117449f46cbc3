"""Department figures pages (部门报送统计). Thin: the selectors read and scope, the templates show."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from django.conf import settings
from django.contrib.auth import views as auth_views

from pubcredit.accounts import selectors
from pubcredit.accounts.access import enterprise_login_required
from pubcredit.accounts.forms import EnterpriseAuthenticationForm
from pubcredit.rules.errors import DomainError


@require_GET
@login_required
def city_figures(request):
    """Every department's real-time sharing verdict and the share of departments sharing (operators)."""
    figures = selectors.city_sharing_figures(viewer=request.user)
    return render(request, "accounts/city_figures.html", {"figures": figures, "outcome": figures.outcome})


@require_GET
@login_required
def department_figures(request, code: str):
    """One department's figures: numbers, records by month and class (chart), top refusal reasons, verdict."""
    try:
        department = selectors.department_by_code(code)
    except DomainError as exc:
        raise Http404(exc.message_zh) from exc
    figures = selectors.department_figures(viewer=request.user, department=department)
    return render(request, "accounts/department_figures.html", {
        "figures": figures, "department": department, "chart": figures.chart(),
        "back_to_city": selectors.may_read_city_figures(request.user),
    })


# --- the public site's enterprise accounts (企业用户) ------------------------------------------------------------


class EnterpriseLoginView(auth_views.LoginView):
    """企业登录: the public site's login for enterprise accounts (lockout as for staff: the same backends)."""

    template_name = "accounts/enterprise_login.html"
    authentication_form = EnterpriseAuthenticationForm
    redirect_authenticated_user = False
    extra_context = {"site_name": settings.PUBCREDIT_SITE_NAME}

    def get_default_redirect_url(self):
        return self.get_redirect_url() or reverse("enterprise:home")


@require_GET
@enterprise_login_required
def enterprise_home(request):
    """The enterprise's own page: who is logged in, for which enterprise, and its services."""
    return render(request, "accounts/enterprise_home.html", {
        "account": request.enterprise_account, "site_name": settings.PUBCREDIT_SITE_NAME})
