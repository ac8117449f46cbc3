"""Per-client rate limiting of the public site and API (访问频率限制): fixed windows counted in Django's cache.

Shared web plumbing, below every app (like ``request_limits``): the portal, reports, supervision and integrity pages
all count their public requests here.

A client over its bucket's limit gets 429 with ``Retry-After`` (seconds to the window's end); pages get a short
Chinese page, the API the platform's error shape.
"""

from __future__ import annotations

import functools
import math
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

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


def _now() -> float:
    return time.time()


def client_ip(request) -> str:
    header = client_ip_header()
    if header:
        value = request.META.get(header, "")
        if value:
            return value.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(request, bucket: str) -> int | None:
    """Count one request; return the seconds to wait when the client is over the limit, else None."""
    setting = rate_limits().get(bucket)
    if not setting:
        return None
    limit, window = setting
    now = _now()
    start = int(now // window) * window
    key = f"pubcredit:portal:rl:{bucket}:{client_ip(request)}:{start}"
    cache = caches[rate_cache_alias()]
    if cache.add(key, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window + 5)
            count = 1
    if count > limit:
        return max(1, math.ceil(start + window - now))
    return None


def too_many(request, retry_after: int, *, as_json: bool) -> HttpResponse:
    if as_json:
        response = JsonResponse({"code": "rate_limited", "message": "访问过于频繁，请稍后再试",
                                 "message_en": "too many requests, retry later", "fields": [],
                                 "retry_after": retry_after}, status=429)
    else:
        response = HttpResponse(render_to_string("portal/429.html", {"retry_after": retry_after}, request=request),
                                status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(bucket: str, *, as_json: bool = False):
    """Decorator for views and Ninja operations (both take the request first)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            wait = hit(request, bucket)
            if wait is not None:
                return too_many(request, wait, as_json=as_json)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
