from django.urls import path

from pubcredit.finance import workbench_views

app_name = "finance_workbench"

urlpatterns = [
    path("figures/", workbench_views.figures, name="figures"),  # 信易贷统计 (operators)
]
