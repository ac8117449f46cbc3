from django.urls import path

from pubcredit.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("subjects/<int:pk>/", views.subject, name="subject"),
    path("licenses/", views.licenses, name="licenses"),
    path("penalties/", views.penalties, name="penalties"),
    path("rules/", views.rules, name="rules"),
]
