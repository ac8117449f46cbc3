from django.urls import path

from pubcredit.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("runs/new/", views.run_start, name="run_start"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("subjects/<int:subject_id>/", views.subject_evaluation, name="subject_evaluation"),
]
