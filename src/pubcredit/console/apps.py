from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "pubcredit.console"
    verbose_name = "工作台 (console)"
