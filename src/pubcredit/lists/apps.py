from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "pubcredit.lists"
    label = "lists"
    verbose_name = "红黑名单 (red and black lists)"

    def ready(self) -> None:
        from pubcredit.lists import subscribers  # the domain events this app follows (docs/architecture.md)

        subscribers.connect()
