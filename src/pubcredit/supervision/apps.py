from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "pubcredit.supervision"
    label = "supervision"
    verbose_name = "双随机、一公开与信用分级分类监管 (graded supervision and random inspections)"
