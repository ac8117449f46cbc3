"""System checks for the public site's search: trigram search needs a UTF-8 character type on PostgreSQL."""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from django.db import connection


@register(Tags.database)
def pg_trigram_ctype(app_configs, databases=None, **kwargs):
    if not databases or "default" not in databases or connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
        ctype = cursor.fetchone()[0]
    if ctype.upper() in ("C", "POSIX"):
        return [Warning(
            f"The database's LC_CTYPE is {ctype!r}: pg_trgm extracts no trigrams from Chinese, so the public "
            "name search scans the table.", hint="Create the database with LC_CTYPE 'C.UTF-8' or 'zh_CN.UTF-8'.",
            id="portal.W001")]
    return []
