"""The financial institutions' own boundary (金融机构工作台的边界): a bank officer's login opens the bank's own pages
(``/finance/bank/``) and the public site, and nothing of the government workbench.

A bank officer (金融机构用户) is a login whose department is a financial institution (``Department.kind``). The
workbench's pages check staff roles, not the department's kind, so a bank login must never reach them: the
middleware refuses every other path for such a session (主体查询, 名单, 记录, the session-authenticated API, the
admin…) with 403, whatever role the account was given, and sends the workbench's home (where the login lands) to
the bank's home. The bank's pages take ``@bank_officer_required``: anyone else is refused.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from pubcredit.accounts.access import is_financial_institution

BANK_PREFIX = "/finance/bank/"
# what a bank session may open besides its own pages: the public site (as anyone), the API's documentation (the bank
# works through the API with its token), static files, login and logout
BANK_OPEN_PATHS = (BANK_PREFIX, "/public/", "/api/v1/public/", "/api/v1/docs", "/api/v1/openapi.json", "/static/",
                   "/favicon", "/login/", "/logout/")
# the workbench's home, where the staff login lands: a bank officer is sent to the bank's home instead
WORKBENCH_HOME = "/workbench/"
REFUSAL_ZH = "金融机构用户只能使用本机构的信易贷工作台，不能访问政府部门的页面"
# what a financial institution's API token may call: the 信易贷 operations (each checks the enterprise's or person's
# authorisation), the 信易+ scenario list, the catalogue's class descriptions and the public API; never a government
# operation (records, checks, evaluation, reports…), which would read subjects without their authorisation
BANK_TOKEN_PATHS = ("/api/v1/finance/", "/api/v1/incentives/scenarios", "/api/v1/catalog", "/api/v1/public/")
TOKEN_REFUSAL_ZH = "金融机构的接口令牌只能调用信易贷接口（须企业或个人授权），不能调用政府部门的接口"


def institution_of(user):
    """The financial institution ``user`` works for (a bank officer), or None for everyone else."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "department_id", None):
        return None
    department = user.department
    return department if is_financial_institution(department) else None


class BankTokenRefused(PermissionDenied):
    """403 ``finance.bank_token_scope``: the API answers it with its code and messages (api.on_permission_denied)."""

    code = "finance.bank_token_scope"
    message_zh = TOKEN_REFUSAL_ZH
    message_en = "a financial institution's token calls the 信易贷 operations only"


def refuse_bank_token(department, path: str) -> None:
    """The same boundary for a financial institution's API token (called by the API's token check)."""
    if is_financial_institution(department) and not path.startswith(BANK_TOKEN_PATHS):
        raise BankTokenRefused(TOKEN_REFUSAL_ZH)


class BankBoundaryMiddleware:
    """Keeps a bank officer's session inside the bank's own pages and the public site."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if path != "/" and not path.startswith(BANK_OPEN_PATHS) and institution_of(getattr(request, "user", None)):
            if path == WORKBENCH_HOME:
                return redirect("finance_workbench:bank_home")
            raise PermissionDenied(REFUSAL_ZH)
        return self.get_response(request)


def bank_officer_required(view):
    """Decorator for the bank's pages: an anonymous visitor goes to the login, any other login is refused (403); the
    view gets ``request.institution``."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not getattr(request.user, "is_authenticated", False):
            return redirect_to_login(request.get_full_path(), reverse("console:login"))
        institution = institution_of(request.user)
        if institution is None:
            raise PermissionDenied("仅金融机构用户可使用金融机构工作台")
        request.institution = institution
        return view(request, *args, **kwargs)

    return wrapped
