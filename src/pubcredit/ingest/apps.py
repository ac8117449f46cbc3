from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "pubcredit.ingest"
    verbose_name = "信息归集 (collection)"
