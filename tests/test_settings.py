"""Settings from the environment: malformed values stop the platform at start with one clear line."""

import os
import subprocess
import sys

import pytest


def _run(env_extra, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUBCREDIT_")}
    env.update({"PUBCREDIT_SECRET_KEY": "x" * 50, "PUBCREDIT_VAR_DIR": "/tmp/pubcredit-settings-test"} | env_extra)
    return subprocess.run([sys.executable, "-m", "pubcredit.cli", *(args or ["check"])],
                          env=env, capture_output=True, text=True, timeout=120)


def test_pubcredit_today_is_refused_without_debug():
    result = _run({"PUBCREDIT_TODAY": "2026-10-01"})
    assert result.returncode != 0
    assert "PUBCREDIT_TODAY" in result.stderr and "PUBCREDIT_DEBUG=1" in result.stderr
    assert "Traceback" not in result.stderr


def test_pubcredit_today_pins_the_clock_with_debug():
    result = _run({"PUBCREDIT_TODAY": "2026-10-01", "PUBCREDIT_DEBUG": "1"}, "shell", "-c",
                  "from pubcredit.rules import clock; print(clock.today())")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "2026-10-01"


@pytest.mark.parametrize("env, needle", [
    ({"PUBCREDIT_TODAY": "2026-13-01", "PUBCREDIT_DEBUG": "1"}, "PUBCREDIT_TODAY"),
    ({"PUBCREDIT_DEBUG": "maybe"}, "PUBCREDIT_DEBUG"),
    ({"PUBCREDIT_DATABASE_URL": "mysql://x@y/z"}, "PUBCREDIT_DATABASE_URL"),
    ({"PUBCREDIT_SECRET_KEY": ""}, "PUBCREDIT_SECRET_KEY"),
    ({"PUBCREDIT_DAILY_JOBS_AT": "half past midnight"}, "PUBCREDIT_DAILY_JOBS_AT"),
    ({"PUBCREDIT_WORKER_STALE_AFTER": "soon"}, "PUBCREDIT_WORKER_STALE_AFTER"),
    ({"PUBCREDIT_AUDIT_UNSEALED_LIMIT": "-5"}, "PUBCREDIT_AUDIT_UNSEALED_LIMIT"),
    ({"PUBCREDIT_IMPORT_SYNC": "sometimes"}, "PUBCREDIT_IMPORT_SYNC"),
])
def test_malformed_settings_fail_clearly(env, needle):
    result = _run(env)
    assert result.returncode != 0
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def test_postgresql_connections_persist_without_a_maximum_age():
    """A maximum age would close all of a server's connections at once and stall the requests that reopen them."""
    result = _run({"PUBCREDIT_DATABASE_URL": "postgresql://pubcredit@127.0.0.1:5432/pubcredit"}, "shell", "-c",
                  "from django.conf import settings; db = settings.DATABASES['default']; "
                  "print(db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'])")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "None False"


# --- issue 19: limits and transport security by environment ----------------------------------------------------

_PRINT = ("from django.conf import settings as s; print(repr((s.PUBCREDIT_UPLOAD_MAX_BYTES, s.SESSION_COOKIE_SECURE, "
          "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.PUBCREDIT_PORTAL_CLIENT_IP_HEADER, "
          "s.PUBCREDIT_CSP_ENFORCE)))")


def test_security_settings_default_for_plain_http_and_follow_the_environment():
    plain = _run({}, "shell", "-c", _PRINT)
    assert plain.stdout.strip().splitlines()[-1] == f"({50 * 1024 * 1024}, False, False, 0, None, '', True)"
    behind_proxy = _run({"PUBCREDIT_HTTPS": "1", "PUBCREDIT_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
                         "PUBCREDIT_CLIENT_IP_HEADER": "HTTP_X_REAL_IP", "PUBCREDIT_UPLOAD_MAX_BYTES": "10_000_000",
                         "PUBCREDIT_CSP_ENFORCE": "0"}, "shell", "-c", _PRINT)
    assert behind_proxy.returncode == 0, behind_proxy.stderr
    assert behind_proxy.stdout.strip().splitlines()[-1] == (
        "(10000000, True, True, 31536000, ('HTTP_X_FORWARDED_PROTO', 'https'), 'HTTP_X_REAL_IP', False)")


@pytest.mark.parametrize("name", ["PUBCREDIT_UPLOAD_MAX_BYTES", "PUBCREDIT_XLSX_MAX_CELLS", "PUBCREDIT_HSTS_SECONDS"])
def test_malformed_limits_fail_clearly(name):
    result = _run({name: "fifty"})
    assert result.returncode != 0 and name in result.stderr and "Traceback" not in result.stderr
