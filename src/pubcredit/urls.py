from django.contrib import admin
from django.urls import include, path

from pubcredit.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("identifiers/", include("pubcredit.subjects.urls")),
    path("calendar/", include("pubcredit.workdays.urls")),
    path("departments/", include("pubcredit.accounts.urls")),
    path("collection/", include("pubcredit.ingest.urls")),
    path("", include("pubcredit.console.urls")),
]
