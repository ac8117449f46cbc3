from django.urls import path

from pubcredit.lists import views

app_name = "lists"

urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("<int:pk>/", views.entry_detail, name="entry_detail"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_open, name="case_open"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/<str:action>/", views.case_action, name="case_action"),
]
