from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "pubcredit.commitments"
    label = "commitments"
    verbose_name = "信用承诺 (credit commitments)"
