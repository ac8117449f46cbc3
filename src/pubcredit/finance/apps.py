from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "pubcredit.finance"
    label = "finance"
    verbose_name = "信易贷与信易+ (credit-based lending and incentives)"
