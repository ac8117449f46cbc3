"""The enterprise's own evaluation on the public site (企业查看本单位评价), for an enterprise account only."""

from django.urls import path

from pubcredit.evaluation import views

app_name = "evaluation_public"

urlpatterns = [
    path("", views.enterprise_evaluation, name="mine"),
]
