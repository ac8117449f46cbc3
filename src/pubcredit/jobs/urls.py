from django.urls import path

from pubcredit.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<uuid:result_id>/rerun/", views.job_rerun_view, name="job_rerun"),
]
