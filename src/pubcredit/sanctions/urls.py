from django.urls import path

from pubcredit.sanctions import views

app_name = "sanctions"

urlpatterns = [
    path("check/", views.check_new, name="check_new"),
    path("checks/", views.check_list, name="check_list"),
    path("checks/<uuid:check_id>/", views.check_detail, name="check_detail"),
    path("checks/<uuid:check_id>/feedback/", views.check_feedback, name="check_feedback"),
    path("checks/<uuid:check_id>/feedback/all/", views.check_feedback_all, name="check_feedback_all"),
    path("batch/", views.batch_new, name="batch_new"),
    path("batch/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batch/<int:pk>/result.<str:fmt>", views.batch_result, name="batch_result"),
    path("watches/", views.watch_list, name="watch_list"),
    path("watches/<int:pk>/remove/", views.watch_remove, name="watch_remove"),
    path("inbox/", views.inbox, name="inbox"),
    path("measures/", views.measure_list, name="measure_list"),
    path("measures/new/", views.measure_edit, name="measure_new"),
    path("measures/<str:code>/edit/", views.measure_edit, name="measure_edit"),
    path("figures/", views.city_figures, name="city_figures"),
    path("figures/<str:code>/", views.department_figures, name="department_figures"),
]
