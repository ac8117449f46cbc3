"""Settings of the governance app, each with its default (override in settings.py or the environment)."""

from __future__ import annotations

import hmac
import os

from django.conf import settings


def display_token() -> str:
    """``PUBCREDIT_DISPLAY_TOKEN``: the token a wall display (大屏) uses instead of a login, for the big screen page
    and its data only. Empty (default): the big screen needs an operator's login."""
    return getattr(settings, "PUBCREDIT_DISPLAY_TOKEN", None) or os.environ.get("PUBCREDIT_DISPLAY_TOKEN", "")


def display_token_matches(given: str) -> bool:
    expected = display_token()
    return bool(expected and given) and hmac.compare_digest(expected.encode(), given.encode())


SCREEN_REFRESH_SECONDS = 60  # the big screen reloads its figures this often
