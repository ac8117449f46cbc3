from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "pubcredit.catalog"
    label = "catalog"
    verbose_name = "信息资源目录 (catalog)"
