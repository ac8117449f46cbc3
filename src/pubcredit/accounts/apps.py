from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pubcredit.accounts"
    verbose_name = "账户与权限 (accounts)"
