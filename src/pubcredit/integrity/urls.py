from django.urls import path

from pubcredit.integrity import views

app_name = "integrity"

urlpatterns = [
    path("arrears/", views.ledger, name="ledger"),
    path("arrears/figures/", views.figures, name="figures"),
    path("arrears/<int:pk>/", views.complaint_detail, name="complaint"),
    path("arrears/<int:pk>/evidence/<int:file_id>/", views.evidence_file, name="evidence"),
    path("arrears/<int:pk>/<str:action>/", views.complaint_act, name="act"),
]
