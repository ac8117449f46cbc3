from django.urls import path, re_path

from pubcredit.ingest import views

app_name = "ingest"

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/progress/", views.batch_progress, name="batch_progress"),
    re_path(r"^batches/(?P<pk>[0-9]+)/rejections\.(?P<file_format>csv|xlsx)$", views.batch_rejections,
            name="batch_rejections"),
    path("rejections/", views.rejection_list, name="rejection_list"),
    path("new/<slug:class_code>/", views.record_new, name="record_new"),
    path("catalog/", views.catalog, name="catalog"),
]
