from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "pubcredit.records"
    verbose_name = "信用记录 (credit records)"
