from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "pubcredit.audit"
    verbose_name = "审计日志 (audit)"
