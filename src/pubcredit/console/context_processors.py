"""What every page's header needs: the public site's name and the workbench's name (settings, not code)."""

from django.conf import settings


def site(request) -> dict[str, str]:
    return {"site_name": settings.PUBCREDIT_SITE_NAME, "workbench_name": settings.PUBCREDIT_WORKBENCH_NAME}
