from django.urls import path

from pubcredit.figures import views

app_name = "figures"

# mounted under departments/ beside the accounts' pages: the addresses are the same as before the figures app
urlpatterns = [
    path("figures/", views.city_figures, name="city_figures"),
    path("<str:code>/figures/", views.department_figures, name="department_figures"),
]
