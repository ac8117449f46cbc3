from django.urls import path

from pubcredit.integrity import views

app_name = "integrity_public"

urlpatterns = [
    path("arrears/", views.complaint_new, name="complaint_new"),  # 拖欠账款投诉 (no login)
    path("arrears/mine/", views.my_complaints, name="my_complaints"),  # 企业用户: its complaints' progress
    path("government-cases/", views.public_cases, name="cases"),  # 政务失信公示 (serious cases only)
    path("news/", views.public_news, name="news"),  # 诚信宣传 (published after review)
    path("news/<int:pk>/", views.public_article, name="article"),
    path("campaigns/", views.public_campaigns, name="campaigns"),  # 诚信宣传节点: the dated campaigns
    path("campaigns/<slug:code>/", views.public_campaign, name="campaign"),
]
