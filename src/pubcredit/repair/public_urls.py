"""The public site's repair and objection pages, mounted at /public/repair/."""

from django.urls import path

from pubcredit.repair import public_views as views

app_name = "repair_public"

urlpatterns = [
    path("", views.items, name="items"),  # 本企业信用信息与信用修复 (enterprise account)
    path("records/<int:record_id>/apply/", views.apply, name="apply"),  # 申请信用修复
    path("applications/<int:pk>/supplement/", views.supplement, name="supplement"),  # 补正
    path("records/<int:record_id>/reorganisation/", views.reorganisation, name="reorganisation"),  # 破产重整临时屏蔽
    path("applications/<int:pk>/completion/", views.reorganisation_completion, name="reorganisation_completion"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("records/<int:record_id>/objection/", views.objection, name="objection"),  # 异议申诉 (anyone)
    path("objections/submitted/", views.objection_submitted, name="objection_submitted"),
]
