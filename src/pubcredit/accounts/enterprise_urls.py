"""The public site's enterprise account pages (企业用户), mounted at /public/account/."""

from django.contrib.auth import views as auth_views
from django.urls import path

from pubcredit.accounts import views

app_name = "enterprise"

urlpatterns = [
    path("", views.enterprise_home, name="home"),
    path("login/", views.EnterpriseLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="enterprise:login"), name="logout"),
]
