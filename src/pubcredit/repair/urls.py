from django.urls import path

from pubcredit.repair import views

app_name = "repair"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("notices/", views.notices, name="notices"),
    path("figures/", views.figures, name="figures"),  # 月度统计 (ECharts)
    path("figures/export.xlsx", views.figures_export, name="figures_export"),
    path("notices/read/", views.notices_read, name="notices_read"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("applications/<int:pk>/<str:action>/", views.application_action, name="application_action"),
    path("objections/<int:pk>/<str:action>/", views.objection_action, name="objection_action"),
]
