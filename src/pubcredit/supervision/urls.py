from django.urls import path

from pubcredit.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("items/", views.item_list, name="items"),
    path("inspectors/", views.inspector_list, name="inspectors"),
    path("objects/", views.object_library, name="objects"),
    path("import-template/<slug:kind>/", views.import_template, name="import_template"),
    path("tasks/new/", views.task_new, name="task_new"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/<slug:action>/", views.task_act, name="task_act"),
]
