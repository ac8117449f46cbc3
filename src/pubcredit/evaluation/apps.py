from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "pubcredit.evaluation"
    verbose_name = "公共信用综合评价 (public credit comprehensive evaluation)"
