"""Login forms: the staff workbench and the public site's enterprise accounts (企业用户) are kept apart, so an
enterprise login never opens the workbench and a staff login never acts for an enterprise."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from pubcredit.accounts.choices import Role


class StaffAuthenticationForm(AuthenticationForm):
    """The workbench's login: refuses enterprise accounts (they log in on the public site)."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if getattr(user, "role", "") == Role.ENTERPRISE:
            raise forms.ValidationError("企业用户请在信用网站“企业登录”处登录，不能进入工作台。", code="enterprise_account")


class EnterpriseAuthenticationForm(AuthenticationForm):
    """The public site's enterprise login: only enterprise accounts."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if getattr(user, "role", "") != Role.ENTERPRISE or not hasattr(user, "enterprise_account"):
            raise forms.ValidationError("该账号不是企业用户，工作人员请从“工作人员登录”进入工作台。", code="not_enterprise")
