from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "pubcredit.integrity"
    label = "integrity"
    verbose_name = "政务诚信 (government integrity)"
