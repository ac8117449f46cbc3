from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "pubcredit.portal"
    label = "portal"
    verbose_name = "公共信用信息公示网站 (public site)"

    def ready(self) -> None:
        from pubcredit.portal import checks  # noqa: F401  (registers the system checks)
