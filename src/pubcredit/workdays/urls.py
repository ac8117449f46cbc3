from django.urls import path

from pubcredit.workdays import views

app_name = "workdays"

urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("set/", views.calendar_day_set_view, name="set"),
    path("remove/", views.calendar_day_remove_view, name="remove"),
    path("load/", views.calendar_load_view, name="load"),
]
