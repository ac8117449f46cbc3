from django.urls import path

from pubcredit.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("subjects/<int:pk>/", views.subject, name="subject"),
    path("licenses/", views.licenses, name="licenses"),
    path("penalties/", views.penalties, name="penalties"),
    path("commitments/", views.commitments, name="commitments"),  # 信用承诺公示
    path("lists/", views.lists, name="lists"),  # 红黑名单公示
    path("lists/<slug:code>/", views.list_listing, name="list"),
    path("rules/", views.rules, name="rules"),
]
