from django.urls import path

from pubcredit.reports import views

app_name = "reports"

urlpatterns = [
    path("issue/<int:subject_id>/", views.report_issue_public, name="issue_public"),
    path("<str:number>/", views.report_page, name="page"),
    path("<str:number>/pdf/", views.report_pdf, name="pdf"),
    path("<str:number>/verify/", views.report_verify, name="verify"),
]
