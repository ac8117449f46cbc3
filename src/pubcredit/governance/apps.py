from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "pubcredit.governance"
    label = "governance"
    verbose_name = "督查与考核 (governance)"
