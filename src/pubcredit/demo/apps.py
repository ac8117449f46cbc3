from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "pubcredit.demo"
    verbose_name = "演示数据 (demo data)"
