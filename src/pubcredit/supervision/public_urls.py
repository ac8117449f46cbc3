from django.urls import path

from pubcredit.supervision import public_views

app_name = "inspections"

urlpatterns = [
    path("", public_views.task_list, name="list"),
    path("verify/", public_views.verify_any, name="verify_any"),
    path("<slug:code>/", public_views.task_detail, name="detail"),
    path("<slug:code>/draw.json", public_views.draw_json, name="draw_json"),
    path("<slug:code>/verify/", public_views.verify_task, name="verify"),
]
