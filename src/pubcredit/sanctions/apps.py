from django.apps import AppConfig


class SanctionsConfig(AppConfig):
    name = "pubcredit.sanctions"
    label = "sanctions"
    verbose_name = "联合奖惩 (joint reward and punishment)"
