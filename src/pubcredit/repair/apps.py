from django.apps import AppConfig


class RepairConfig(AppConfig):
    name = "pubcredit.repair"
    label = "repair"
    verbose_name = "信用修复与异议处理 (credit repair and objections)"
