from django.urls import include, path

from bench.checks.bare import bare_api

urlpatterns = [
    path("bench/", bare_api.urls),  # the baseline: one indexed lookup, no auth, no write
    path("", include("pubcredit.urls")),
]
