from django.urls import path

from pubcredit.commitments import views

app_name = "commitments"

urlpatterns = [
    path("", views.commitment_list, name="list"),
    path("new/", views.commitment_new, name="new"),
    path("eligibility/", views.eligibility, name="eligibility"),
    path("figures/", views.city_figures, name="city_figures"),
    path("figures/<str:code>/", views.department_figures, name="department_figures"),
    path("<int:pk>/", views.commitment_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.commitment_act, name="act"),
]
