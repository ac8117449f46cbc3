from django.urls import path

from pubcredit.finance import views

app_name = "finance"

urlpatterns = [
    path("", views.enterprise, name="enterprise"),  # 信易贷授权 (enterprise account)
    path("authorise/", views.authorise, name="authorise"),
    path("authorisations/<uuid:authorisation_id>/revoke/", views.revoke, name="revoke"),
    path("products/<uuid:product_id>/apply/", views.apply, name="apply"),  # 申请贷款 (enterprise account)
    path("incentives/", views.incentives, name="incentives"),  # 信易+场景 (public)
]
