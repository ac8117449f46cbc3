from django.urls import path

from pubcredit.publicity import views

app_name = "publicity"

urlpatterns = [
    path("consumers/", views.consumers, name="consumers"),
]
