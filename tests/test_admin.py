"""Django's admin only reads (docs/architecture.md "Admin"): every ModelAdmin of the platform's apps is a
``ReadOnlyAdmin``, so no row is added, changed or deleted there, around the services and their audit."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from pubcredit.audit.admin import ReadOnlyAdmin


def _platform_admins():
    return {model: model_admin for model, model_admin in admin.site._registry.items()
            if model.__module__.startswith("pubcredit.")}


def test_every_model_admin_of_the_platform_is_read_only():
    admins = _platform_admins()
    assert len(admins) >= 20  # the registry was read (every app's admin module is loaded by the admin site)
    assert sorted(f"{m._meta.label}: {type(a).__name__}" for m, a in admins.items()
                  if not isinstance(a, ReadOnlyAdmin)) == []


@pytest.mark.django_db
def test_a_superuser_may_only_view_in_the_admin():
    from pubcredit.accounts.models import User

    request = RequestFactory().get("/admin/")
    request.user = User(username="root", is_superuser=True, is_staff=True, is_active=True)
    for model, model_admin in _platform_admins().items():
        allowed = (model_admin.has_add_permission(request), model_admin.has_change_permission(request),
                   model_admin.has_delete_permission(request), model_admin.has_view_permission(request))
        assert allowed == (False, False, False, True), model._meta.label
