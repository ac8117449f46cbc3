from django.urls import path

from pubcredit.subjects import views

app_name = "subjects"

urlpatterns = [
    path("", views.confirmed_identifiers, name="confirmed_identifiers"),
]
