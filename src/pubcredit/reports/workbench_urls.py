from django.urls import path

from pubcredit.reports import workbench_views as views

app_name = "reports_workbench"

urlpatterns = [
    path("", views.report_request, name="request"),
    path("<str:number>/", views.report_detail, name="detail"),
    path("<str:number>/pdf/", views.report_pdf, name="pdf"),
]
