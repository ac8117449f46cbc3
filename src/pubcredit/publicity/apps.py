from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "pubcredit.publicity"
    label = "publicity"
    verbose_name = "信用信息公示 (publicity)"
