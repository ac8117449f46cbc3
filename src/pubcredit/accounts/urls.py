from django.urls import path

from pubcredit.accounts import views

app_name = "accounts"

urlpatterns = [
    path("enterprise-registrations/", views.enterprise_registrations, name="enterprise_registrations"),  # 企业注册核验
    path("enterprise-registrations/<int:pk>/<str:action>/", views.enterprise_registration_action,
         name="enterprise_registration_action"),
]
