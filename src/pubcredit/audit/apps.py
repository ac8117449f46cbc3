from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "pubcredit.audit"
    verbose_name = "审计日志 (audit)"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from pubcredit.audit.guard import connection_prepare

        connection_created.connect(connection_prepare, dispatch_uid="pubcredit.audit.guard")
