"""Django settings for pubcredit, read from the environment (see README "Settings")."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from pubcredit.rules import clock

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("PUBCREDIT_VAR_DIR", PROJECT_DIR / "var"))


def _env_flag(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use 1/0, true/false, yes/no or on/off.")


DEBUG = _env_flag("PUBCREDIT_DEBUG")

SECRET_KEY = os.environ.get("PUBCREDIT_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not _env_flag("PUBCREDIT_ALLOW_DEV_KEY"):
        raise ImproperlyConfigured(
            "PUBCREDIT_SECRET_KEY is not set. Set it (50+ random characters) or run with PUBCREDIT_DEBUG=1."
        )
    SECRET_KEY = "pubcredit-development-key-not-for-production-use-0123456789"

# Key for natural persons' identity numbers (encryption and lookup hash). Defaults to one derived from
# SECRET_KEY; production sets it on its own so that rotating SECRET_KEY never strands encrypted data.
PII_KEY = os.environ.get("PUBCREDIT_PII_KEY", "") or SECRET_KEY

_today = os.environ.get("PUBCREDIT_TODAY", "").strip()
if _today:
    if not DEBUG:
        raise ImproperlyConfigured(
            "PUBCREDIT_TODAY pins the platform's clock and is only allowed with PUBCREDIT_DEBUG=1."
        )
    try:
        clock.pin(dt.date.fromisoformat(_today))
    except ValueError as exc:
        raise ImproperlyConfigured(f"PUBCREDIT_TODAY={_today!r} is not a date in YYYY-MM-DD form.") from exc

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("PUBCREDIT_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
if DEBUG:
    ALLOWED_HOSTS += ["testserver", "*"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "ninja",  # serves the API docs (Swagger UI) from local static files, not a CDN
    "pubcredit.accounts",
    "pubcredit.audit",
    "pubcredit.catalog",
    "pubcredit.subjects",
    "pubcredit.records",
    "pubcredit.ingest",
    "pubcredit.console",
    "pubcredit.workdays",
    "pubcredit.publicity",
    "pubcredit.portal",
    "pubcredit.lists",  # 红黑名单
    "pubcredit.sanctions",  # 联合奖惩
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "pubcredit.urls"
WSGI_APPLICATION = "pubcredit.wsgi.application"
ASGI_APPLICATION = "pubcredit.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pubcredit.console.context_processors.site",
            ],
        },
    },
]

_database_url = os.environ.get("PUBCREDIT_DATABASE_URL", "").strip()
if not _database_url:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _database_url = f"sqlite:///{VAR_DIR / 'pubcredit.sqlite3'}"
try:
    # Persistent connections. A maximum age would close every connection a server opened together (at start, under
    # the first load) at the same moment, and reopening them at once stalls requests for up to 200 ms (bench/checks:
    # the p99 tail). No health check either: it costs a round trip per request, and a connection broken by a
    # database restart is dropped after the one request that finds it broken.
    _db = dj_database_url.parse(_database_url, conn_max_age=None)
except Exception as exc:  # dj_database_url raises several types for a malformed URL
    raise ImproperlyConfigured(
        f"PUBCREDIT_DATABASE_URL is not a database URL ({exc}); use sqlite:///path or postgresql://user@host:port/db."
    ) from exc
if _db["ENGINE"] not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
    raise ImproperlyConfigured("PUBCREDIT_DATABASE_URL must be sqlite:/// or postgresql://")
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0
    # WAL and NORMAL sync: readers never wait for the writer; see notes/stack-recipes.md.
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    _db.setdefault("TEST", {})
DATABASES = {"default": _db}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Lockout after repeated failed logins (django-axes): 5 failures lock the username+IP for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("PUBCREDIT_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "console/locked_out.html"
AXES_VERBOSE = False

LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "console:home"
LOGOUT_REDIRECT_URL = "console:login"

# The interface speaks Chinese whatever the browser asks for (no LocaleMiddleware): an English Accept-Language must
# not turn dates into "Sept. 30, 2024" inside Chinese pages. English stays in the API's message_en and the docs.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Our own zh-Hans formats: date inputs render ISO YYYY-MM-DD (what <input type=date> needs); display stays Chinese.
FORMAT_MODULE_PATH = ["pubcredit.formats"]

# Branding (站点名称): the public site's name and the workbench's, set per deployment.
PUBCREDIT_SITE_NAME = os.environ.get("PUBCREDIT_SITE_NAME", "").strip() or "信用中国（山东淄博）"
PUBCREDIT_WORKBENCH_NAME = os.environ.get("PUBCREDIT_WORKBENCH_NAME", "").strip() or "公共信用信息平台"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PUBCREDIT_LOG_LEVEL", "WARNING")},
}
