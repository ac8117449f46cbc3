from django.apps import AppConfig


class SubjectsConfig(AppConfig):
    name = "pubcredit.subjects"
    verbose_name = "信用主体 (subjects)"
