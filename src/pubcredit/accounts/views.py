"""Accounts pages: the enterprise accounts of the public site (企业用户) and their registration checks. Thin: the
selectors read and scope, the services write. (The department figures pages are the ``figures`` app.)"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pubcredit.accounts import selectors, services
from pubcredit.accounts.access import enterprise_login_required, is_city_operator
from pubcredit.accounts.forms import EnterpriseAuthenticationForm, EnterpriseConfirmForm, EnterpriseRegistrationForm
from pubcredit.accounts.models import EnterpriseRegistration
from pubcredit.ratelimit import rate_limited
from pubcredit.audit.services import SystemActor
from pubcredit.rules.errors import DomainError


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


def _site(extra: dict) -> dict:
    return {"site_name": settings.PUBCREDIT_SITE_NAME, **extra}


def _form_errors(form, exc: DomainError) -> None:
    for problem in exc.problems:
        form.add_error(problem.field if problem.field in form.fields else None, problem.message_zh)


@require_http_methods(["GET", "POST"])
@rate_limited("search")
def enterprise_register(request):
    """企业用户注册: USCC, legal representative, contact, login. The account opens once the platform's confirmation
    code has been entered (``enterprise_confirm``)."""
    form = EnterpriseRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reg = services.enterprise_registration_submit(
                uscc=data["uscc"], enterprise_name=data["enterprise_name"],
                legal_representative=data["legal_representative"], contact_name=data["contact_name"],
                contact_phone=data["contact_phone"], username=data["username"], password=data["password"],
                actor=SystemActor("public:enterprise_registration"))
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            request.session["enterprise_registration"] = reg.pk
            return redirect("enterprise:registered")
    return render(request, "accounts/enterprise_register.html", _site({"form": form}),
                  status=400 if request.method == "POST" else 200)


@require_GET
def enterprise_registered(request):
    """What happens next, for the registration just submitted in this browser."""
    reg = EnterpriseRegistration.objects.filter(pk=request.session.get("enterprise_registration") or 0).first()
    if reg is None:
        return redirect("enterprise:register")
    return render(request, "accounts/enterprise_registered.html", _site({"registration": reg}))


@require_http_methods(["GET", "POST"])
@rate_limited("search")
def enterprise_confirm(request):
    """确认开通: username, password and the confirmation code; the account opens and is logged in."""
    form = EnterpriseConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.enterprise_registration_confirm(
                username=data["username"], password=data["password"], code=data["code"],
                actor=SystemActor("public:enterprise_registration"))
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            login(request, account.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "企业用户已开通，欢迎使用。")
            return redirect("enterprise:home")
    return render(request, "accounts/enterprise_confirm.html", _site({"form": form}),
                  status=400 if request.method == "POST" else 200)


def _registration_operator(request):
    if not is_city_operator(request.user):
        raise PermissionDenied("企业用户注册由信用中心操作员核验")


@require_GET
@login_required
def enterprise_registrations(request):
    """信用中心: registrations waiting for a check, then the latest decided ones."""
    _registration_operator(request)
    return render(request, "accounts/enterprise_registrations.html", {
        "waiting": selectors.enterprise_registrations_open(),
        "decided": selectors.enterprise_registrations_recent(),
        "notifier": services.code_notifier() is not None,
        "issued": request.session.pop("enterprise_code_issued", None),
    })


@require_POST
@login_required
def enterprise_registration_action(request, pk: int, action: str):
    _registration_operator(request)
    reg = get_object_or_404(EnterpriseRegistration, pk=pk)
    try:
        if action == "issue_code":
            code = services.enterprise_registration_issue_code(registration=reg, actor=request.user)
            # shown once, on the next page only; never stored in clear
            request.session["enterprise_code_issued"] = {"id": reg.pk, "name": reg.enterprise_name,
                                                         "contact": reg.contact_name, "phone": reg.contact_phone,
                                                         "code": code}
        elif action == "send_code":
            reg = services.enterprise_registration_send_code(registration=reg, actor=request.user)
            messages.success(request, f"确认码已通过{reg.code_channel}发送" if reg.state == "code_sent"
                             else f"发送失败，请核验后由工作人员告知：{reg.code_channel}")
        elif action == "reject":
            services.enterprise_registration_reject(registration=reg, reason=request.POST.get("reason", ""),
                                                    actor=request.user)
            messages.success(request, "已不予开通")
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, "；".join(p.message_zh for p in exc.problems))
    return redirect("accounts:enterprise_registrations")
