"""Settings of the public site, each with its default (override in settings.py)."""

from __future__ import annotations

from django.conf import settings

# bucket → (requests allowed, window in seconds) per client IP; None disables a bucket.
# A person searching and reading pages stays far below these; a scraper meets 429 with Retry-After.
DEFAULT_RATE_LIMITS: dict[str, tuple[int, int] | None] = {
    "search": (30, 60),  # name/code searches (page and API): 30 a minute
    "page": (120, 60),  # subject pages, listings, API subject reads: 120 a minute
}


def rate_limits() -> dict[str, tuple[int, int] | None]:
    """``PUBCREDIT_PORTAL_RATE_LIMITS`` (partial dicts allowed) over the defaults."""
    return {**DEFAULT_RATE_LIMITS, **settings.PUBCREDIT_PORTAL_RATE_LIMITS}


def client_ip_header() -> str:
    """``PUBCREDIT_PORTAL_CLIENT_IP_HEADER``: META key set by the reverse proxy (e.g. ``HTTP_X_REAL_IP``); empty
    (default) uses ``REMOTE_ADDR``. Only set it behind a proxy that overwrites the header."""
    return getattr(settings, "PUBCREDIT_PORTAL_CLIENT_IP_HEADER", "")


def rate_cache_alias() -> str:
    """``PUBCREDIT_PORTAL_RATE_CACHE``: the cache holding the counters (default ``default``; with several server
    processes it must be a shared cache, e.g. Redis or the database cache)."""
    return getattr(settings, "PUBCREDIT_PORTAL_RATE_CACHE", "default")
