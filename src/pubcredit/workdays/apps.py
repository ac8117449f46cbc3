from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "pubcredit.workdays"
    label = "workdays"
    verbose_name = "工作日历 (working-day calendar)"
