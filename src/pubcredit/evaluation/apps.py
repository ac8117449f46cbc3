from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "pubcredit.evaluation"
    verbose_name = "公共信用综合评价 (public credit comprehensive evaluation)"

    def ready(self) -> None:
        from pubcredit.evaluation import subscribers  # the domain events this app follows (docs/architecture.md)

        subscribers.connect()
