from django.urls import path

from pubcredit.governance import views

app_name = "governance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures/<str:month>/<str:scope>/<str:figure>/", views.figure_rows, name="figure_rows"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/load/", views.task_load, name="task_load"),
    path("tasks/dispatch.xlsx", views.dispatch_xlsx, name="dispatch_xlsx"),
    path("tasks/dispatch.pdf", views.dispatch_pdf_view, name="dispatch_pdf"),
    path("tasks/<str:code>/", views.task_detail, name="task"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("digest/", views.digest, name="digest"),
    path("screen/", views.screen, name="screen"),
    path("screen/data/", views.screen_data, name="screen_data"),
]
