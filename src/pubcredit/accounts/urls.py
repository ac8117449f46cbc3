from django.urls import path

from pubcredit.accounts import views

app_name = "accounts"

urlpatterns = [
    path("figures/", views.city_figures, name="city_figures"),
    path("<str:code>/figures/", views.department_figures, name="department_figures"),
]
