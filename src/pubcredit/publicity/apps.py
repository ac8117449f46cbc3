from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "pubcredit.publicity"
    label = "publicity"
    verbose_name = "信用信息公示 (publicity)"

    def ready(self) -> None:
        from pubcredit.publicity import subscribers  # the domain events this app follows (docs/architecture.md)

        subscribers.connect()
