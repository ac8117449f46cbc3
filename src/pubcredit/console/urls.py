from django.contrib.auth import views as auth_views
from django.urls import path

from pubcredit.accounts.forms import StaffAuthenticationForm
from pubcredit.console import views

app_name = "console"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="console/login.html",
                                                authentication_form=StaffAuthenticationForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("workbench/", views.home, name="home"),
    path("workbench/late/", views.late_records, name="late_records"),  # 超期报送的记录
    path("subjects/", views.subject_lookup, name="subject_lookup"),
    path("subjects/<int:pk>/", views.subject_detail, name="subject_detail"),
    path("records/<int:pk>/versions/", views.record_version_list, name="record_versions"),
]
