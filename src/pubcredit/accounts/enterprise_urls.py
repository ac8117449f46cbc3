"""The public site's enterprise account pages (企业用户), mounted at /public/account/."""

from django.contrib.auth import views as auth_views
from django.urls import path

from pubcredit.accounts import views

app_name = "enterprise"

urlpatterns = [
    path("", views.enterprise_home, name="home"),
    path("login/", views.EnterpriseLoginView.as_view(), name="login"),
    path("register/", views.enterprise_register, name="register"),  # 企业用户注册
    path("register/next/", views.enterprise_registered, name="registered"),
    path("confirm/", views.enterprise_confirm, name="confirm"),  # 输入确认码，开通
    path("logout/", auth_views.LogoutView.as_view(next_page="enterprise:login"), name="logout"),
]
