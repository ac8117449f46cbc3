"""Keeps enterprise accounts (企业用户) on the public site: their session opens no staff page, API or admin."""

from __future__ import annotations

from django.shortcuts import redirect

from pubcredit.accounts.choices import Role

# the public site, its enterprise pages and the static files; everything else is staff-only for a session login
ENTERPRISE_PATHS = ("/public/", "/api/v1/public/", "/static/", "/favicon")


class EnterpriseBoundaryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (getattr(user, "is_authenticated", False) and getattr(user, "role", "") == Role.ENTERPRISE
                and request.path != "/" and not request.path.startswith(ENTERPRISE_PATHS)):
            return redirect("enterprise:home")
        return self.get_response(request)
