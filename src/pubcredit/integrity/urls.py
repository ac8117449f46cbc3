from django.urls import path

from pubcredit.integrity import views

app_name = "integrity"

urlpatterns = [
    path("arrears/", views.ledger, name="ledger"),
    path("arrears/figures/", views.figures, name="figures"),
    path("arrears/<int:pk>/", views.complaint_detail, name="complaint"),
    path("arrears/<int:pk>/evidence/<int:file_id>/", views.evidence_file, name="evidence"),
    path("arrears/<int:pk>/<str:action>/", views.complaint_act, name="act"),
    path("bodies/", views.government_list, name="bodies"),  # 政务诚信: government bodies with flags
    path("bodies/<int:subject_id>/", views.government_detail, name="body"),
    path("cases/", views.case_list, name="cases"),  # 政府失信认定: identification, accountability, removal
    path("cases/new/<int:subject_id>/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/<str:action>/", views.case_act, name="case_act"),
    path("case-offices/", views.case_offices, name="case_offices"),  # 政府失信办理单位 (credit-centre operators)
    path("case-offices/<int:pk>/revoke/", views.case_office_revoke, name="case_office_revoke"),
    path("grants/", views.grants, name="grants"),  # 政务诚信岗位 (credit-centre operators)
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("files/", views.file_list, name="files"),  # 诚信档案: the personnel office's own staff
    path("files/check/", views.appointment_check, name="appointment_check"),
    path("files/<int:pk>/", views.file_detail, name="file"),
    path("court-feedback/", views.court_feedback, name="court_feedback"),  # 司法联动: measures per case
    path("articles/", views.article_list, name="articles"),  # 诚信宣传: draft, review, publish
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("state-enterprises/", views.state_enterprise_list, name="state_enterprises"),  # 国有企业名录
]
