from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "pubcredit.jobs"
    verbose_name = "后台任务 (background jobs)"
