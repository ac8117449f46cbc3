from django.urls import path

from pubcredit.integrity import views

app_name = "integrity_public"

urlpatterns = [
    path("arrears/", views.complaint_new, name="complaint_new"),  # 拖欠账款投诉 (no login)
]
