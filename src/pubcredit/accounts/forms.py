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


class EnterpriseRegistrationForm(forms.Form):
    """企业用户注册: what the registrant types; ``accounts.services.enterprise_registration_submit`` checks it."""

    uscc = forms.CharField(label="统一社会信用代码", max_length=30)
    enterprise_name = forms.CharField(label="企业名称", max_length=200)
    legal_representative = forms.CharField(label="法定代表人", max_length=50)
    contact_name = forms.CharField(label="联系人", max_length=50, help_text="办理注册的经办人，信用中心将与其联系核验")
    contact_phone = forms.CharField(label="联系电话", max_length=20, help_text="手机号码或带区号的固定电话，用于接收确认码")
    username = forms.CharField(label="用户名", max_length=40, help_text="4至40位字母、数字或 _ . @ + -")
    password = forms.CharField(label="密码", widget=forms.PasswordInput(render_value=False), max_length=128,
                               help_text="至少8位，不能过于常见")
    password_again = forms.CharField(label="再次输入密码", widget=forms.PasswordInput(render_value=False), max_length=128)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", "两次输入的密码不一致")
        return data


class EnterpriseConfirmForm(forms.Form):
    """确认开通: the username and password chosen at registration and the confirmation code received."""

    username = forms.CharField(label="用户名", max_length=40)
    password = forms.CharField(label="密码", widget=forms.PasswordInput(render_value=False), max_length=128)
    code = forms.CharField(label="确认码", max_length=12, help_text="信用中心工作人员告知或短信发送的6位数字")
