from django.urls import path

from pubcredit.reports import views

app_name = "reports"

urlpatterns = [
    path("issue/<int:subject_id>/", views.report_issue_public, name="issue_public"),
    path("mine/", views.my_reports, name="mine"),  # an enterprise account's own reports (我的信用报告)
    path("mine/<str:number>/", views.my_report_page, name="mine_page"),
    path("mine/<str:number>/pdf/", views.my_report_pdf, name="mine_pdf"),
    path("<str:number>/", views.report_page, name="page"),
    path("<str:number>/pdf/", views.report_pdf, name="pdf"),
    path("<str:number>/verify/", views.report_verify, name="verify"),
]
