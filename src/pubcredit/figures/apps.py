from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "pubcredit.figures"
    label = "figures"
    verbose_name = "部门报送统计 (department figures)"
