from django.urls import path

from pubcredit.integrity import views

app_name = "integrity_public"

urlpatterns = [
    path("arrears/", views.complaint_new, name="complaint_new"),  # 拖欠账款投诉 (no login)
    path("news/", views.public_news, name="news"),  # 诚信宣传 (published after review)
    path("news/<int:pk>/", views.public_article, name="article"),
]
