from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "pubcredit.reports"
    verbose_name = "公共信用信息报告 (credit reports)"
    default_auto_field = "django.db.models.BigAutoField"
