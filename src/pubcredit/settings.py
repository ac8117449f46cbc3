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


def _env_int(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name, "").strip().replace("_", "")
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from exc
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below {minimum}.")
    return value


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
    "django_tasks",  # Django's Tasks API (backport; django.tasks from Django 6)
    "django_tasks_db",  # its database queue: no extra server, SQLite and PostgreSQL
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
    "pubcredit.commitments",  # 信用承诺 (issue 17)
    "pubcredit.jobs",  # 后台任务: worker heartbeats, daily runs, progress, the operators' jobs page
    "pubcredit.repair",  # 信用修复与异议处理
    "pubcredit.reports",  # 公共信用信息报告: issue, sign, verify
    "pubcredit.evaluation",  # 公共信用综合评价: scorecards, runs, grades and classes (internal to government)
    "pubcredit.governance",  # 督查与考核: department scorecards, task ledger, monitoring, dashboards (issue 20)
    "pubcredit.supervision",  # 双随机、一公开 and graded supervision (issue 15)
    "pubcredit.finance",  # 信易贷 (authorisations, bank API) and 信易+ incentive scenarios (issue 22)
    "pubcredit.integrity",  # 政务诚信: arrears ledger, government-integrity view (issue 23)
    "pubcredit.figures",  # 部门报送统计: department KPIs and the real-time sharing comparison (issue 12)
    "pubcredit.demo",  # 演示数据: `pubcredit seed_demo` (top layer: it drives every app's services)
]

MIDDLEWARE = [
    "pubcredit.request_limits.ApiErrorShapeMiddleware",  # /api/ errors in the platform's shape, whoever answered
    "pubcredit.request_limits.UploadLimitMiddleware",  # 413 before an oversized body is read
    "pubcredit.request_limits.ContentSecurityPolicyMiddleware",  # PUBCREDIT_CSP on every response
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pubcredit.accounts.middleware.EnterpriseBoundaryMiddleware",  # enterprise accounts stay on the public site
    "pubcredit.finance.bank_access.BankBoundaryMiddleware",  # bank officers stay in their own console (信易贷)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "pubcredit.person_reads.StaffPersonReadAuditMiddleware",  # every staff read of a natural person audited
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

# Lockout after repeated failed logins (django-axes), for 15 minutes: 5 failures of one username from one address,
# or 20 from one address over any usernames (accounts/lockout.py).
PUBCREDIT_LOGIN_FAILURE_LIMIT = _env_int("PUBCREDIT_LOGIN_FAILURE_LIMIT", 5)
PUBCREDIT_LOGIN_ADDRESS_FAILURE_LIMIT = _env_int("PUBCREDIT_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_FAILURE_LIMIT = "pubcredit.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
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

# --- Files and request bodies (issue 19): no upload, workbook or body may take the server down ---------------------
# Largest uploaded file (every upload: API and pages); larger ones answer 413. Django spools uploads over 2.5 MB to
# disk, never holding them whole in memory.
PUBCREDIT_UPLOAD_MAX_BYTES = _env_int("PUBCREDIT_UPLOAD_MAX_BYTES", 50 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Non-file request bodies read through request.body / request.POST (forms, JSON); the JSON record submission reads
# its own stream up to 10 MB (ingest.api.MAX_BODY_BYTES).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# XLSX limits, checked on the zip before the workbook reader allocates anything. The reader holds the first sheet's
# used range (rows × columns) in memory at about 32 bytes a cell, so the cell budget bounds its memory (10 M cells ≈
# 320 MB): 500,000 rows of 20 columns pass. Far cells (a stray format at XFD1048576) are what this refuses.
PUBCREDIT_XLSX_MAX_COLUMNS = _env_int("PUBCREDIT_XLSX_MAX_COLUMNS", 256)
PUBCREDIT_XLSX_MAX_CELLS = _env_int("PUBCREDIT_XLSX_MAX_CELLS", 10_000_000)
# Zip bombs: the members' total uncompressed size, and its ratio to the file's size once past 16 MB.
PUBCREDIT_XLSX_MAX_UNCOMPRESSED_BYTES = _env_int("PUBCREDIT_XLSX_MAX_UNCOMPRESSED_BYTES", 1024 * 1024 * 1024)
PUBCREDIT_XLSX_MAX_RATIO = _env_int("PUBCREDIT_XLSX_MAX_RATIO", 100)

# --- Transport and browser security by environment (issue 19) -------------------------------------------------
# Production serves HTTPS behind a reverse proxy: PUBCREDIT_HTTPS=1 makes the session and CSRF cookies Secure and
# sends HSTS. Off by default so that a development or test server on plain http://localhost keeps its login.
PUBCREDIT_HTTPS = _env_flag("PUBCREDIT_HTTPS")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PUBCREDIT_HTTPS
_hsts_seconds = _env_int("PUBCREDIT_HSTS_SECONDS", 31_536_000, minimum=0)
SECURE_HSTS_SECONDS = _hsts_seconds if PUBCREDIT_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("PUBCREDIT_HSTS_INCLUDE_SUBDOMAINS")
SECURE_SSL_REDIRECT = _env_flag("PUBCREDIT_SSL_REDIRECT")  # usually the proxy redirects; this is the fallback
# The header a trusted proxy sets for the scheme (X-Forwarded-Proto → "HTTP_X_FORWARDED_PROTO"); only behind a proxy
# that overwrites it, or any client could claim HTTPS.
_proxy_ssl_header = os.environ.get("PUBCREDIT_PROXY_SSL_HEADER", "").strip()
SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https") if _proxy_ssl_header else None
# The header a trusted proxy sets for the client address (X-Real-IP → "HTTP_X_REAL_IP"): used by the public rate
# limits and by the login lockout; empty: the connection's address (REMOTE_ADDR).
PUBCREDIT_PORTAL_CLIENT_IP_HEADER = os.environ.get("PUBCREDIT_CLIENT_IP_HEADER", "").strip()
AXES_CLIENT_IP_CALLABLE = "pubcredit.request_limits.client_ip"
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("PUBCREDIT_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy: the pages' own scripts and stylesheets only (htmx and ECharts are served from static/).
# Enforced: no template has an inline script, event handler, <style> block or style attribute (tests/
# test_api_hardening.py reads every template). Style *attributes* stay allowed for ECharts, which writes its tooltips
# as markup with style attributes; with default-src 'self' an attribute can load nothing from elsewhere, and having
# no selectors it cannot read the page. PUBCREDIT_CSP_ENFORCE=0 sends the policy as Report-Only instead.
PUBCREDIT_CSP = os.environ.get("PUBCREDIT_CSP", "").strip() or (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'")
PUBCREDIT_CSP_ENFORCE = _env_flag("PUBCREDIT_CSP_ENFORCE", default=True)

CSRF_FAILURE_VIEW = "pubcredit.request_limits.csrf_failure"  # the API's error shape on /api/, Django's page elsewhere

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PUBCREDIT_LOG_LEVEL", "WARNING")},
    # the natural persons the public site showed (no audit row: public by law, docs/security.md)
    "loggers": {"pubcredit.public_reads": {"level": os.environ.get("PUBCREDIT_PUBLIC_READS_LOG_LEVEL", "INFO")}},
}

def _env_seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        value = -1
    if value < 0:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number of seconds (0 or more).")
    return value


def _env_time_of_day(name: str, default: str) -> str:
    raw = os.environ.get(name, "").strip() or default
    if raw != "off":
        try:
            dt.datetime.strptime(raw, "%H:%M")
        except ValueError:
            raise ImproperlyConfigured(f"{name}={raw!r} is not a time of day HH:MM (or off).") from None
    return raw


# --- audit trail (审计日志) ---------------------------------------------------------------------------------------
# Writers append events without a chain position; the worker's sealing job chains them every few seconds.
# A round looks for unsealed events appended within this many seconds (longer-open transactions: the daily full sweep).
PUBCREDIT_AUDIT_SEAL_LOOKBACK = _env_seconds("PUBCREDIT_AUDIT_SEAL_LOOKBACK", 900)
# ``verify_audit`` fails when an event has waited for its seal longer than this many seconds.
PUBCREDIT_AUDIT_UNSEALED_LIMIT = _env_seconds("PUBCREDIT_AUDIT_UNSEALED_LIMIT", 60)
# Signed checkpoints of the chain head (audit/checkpoints.py): made by the sealing job when the last one is older than
# this many seconds, and appended to this file, which must live outside the database and its backups' reach
# (empty: the database's copies only). The signing key: PUBCREDIT_AUDIT_SIGNING_KEY (read where it is used).
PUBCREDIT_AUDIT_CHECKPOINT_EVERY = _env_seconds("PUBCREDIT_AUDIT_CHECKPOINT_EVERY", 3600)
PUBCREDIT_AUDIT_CHECKPOINT_FILE = os.environ.get("PUBCREDIT_AUDIT_CHECKPOINT_FILE",
                                                 str(VAR_DIR / "audit-checkpoints.jsonl")).strip()

# --- background jobs (后台任务) -------------------------------------------------------------------------------------
# Tasks go to a queue table in the platform's own database; ``pubcredit worker`` runs them (docs/architecture.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Run a web upload's import inside the request instead of enqueueing it (tests; a site with no worker).
PUBCREDIT_IMPORT_SYNC = _env_flag("PUBCREDIT_IMPORT_SYNC")
# Each worker's housekeeping round (heartbeat, hand-backs, daily enqueueing, audit sealing), in seconds.
PUBCREDIT_WORKER_HOUSEKEEPING_EVERY = _env_seconds("PUBCREDIT_WORKER_HOUSEKEEPING_EVERY", 2)
# A worker silent this many seconds is dead: its running job goes back to the queue for the next worker.
PUBCREDIT_WORKER_STALE_AFTER = _env_seconds("PUBCREDIT_WORKER_STALE_AFTER", 30)
# Address-space cap of each worker process in MB (0: none). File work runs in the worker, so a reader bug that
# allocates without bound (issue 19's far-cell workbook) fails that one job instead of the machine.
PUBCREDIT_WORKER_MEMORY_MB = _env_int("PUBCREDIT_WORKER_MEMORY_MB", 0, minimum=0)
# Platform time (HH:MM, Asia/Shanghai) from which the worker enqueues the day's daily jobs, once per business day;
# "off" when a site keeps running ``pubcredit tick`` itself.
PUBCREDIT_DAILY_JOBS_AT = _env_time_of_day("PUBCREDIT_DAILY_JOBS_AT", "00:30")
# Caches. "shared" is seen by every server process (the database cache; table made by `pubcredit createcachetable`).
# The public rate-limit counters use it on PostgreSQL. On SQLite they stay in the process ("default"): a counter in
# the database would make every public request a write that waits behind an import's lock (issue 19 item 3), and
# a SQLite site runs one gunicorn process with threads (deploy/gunicorn.conf.py), whose threads share it.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "pubcredit_cache"},
}
PUBCREDIT_PORTAL_RATE_CACHE = os.environ.get("PUBCREDIT_RATE_CACHE", "").strip() or (
    "shared" if _db["ENGINE"] == "django.db.backends.postgresql" else "default")
# Public-site rate limits over ratelimit.DEFAULT_RATE_LIMITS (partial dicts allowed), set by tests or a site.
PUBCREDIT_PORTAL_RATE_LIMITS: dict = {}

# --- credit repair and objections (信用修复与异议, issue 13) -----------------------------------------------------------
# Proof files: kept here (never served by the web server); scanned on the worker by this command when set (e.g.
# "clamdscan --no-summary"; the file's path is appended; exit 0 clean, 1 infected). Unset: recorded as 未扫描.
PUBCREDIT_REPAIR_EVIDENCE_DIR = Path(os.environ.get("PUBCREDIT_REPAIR_EVIDENCE_DIR", "") or VAR_DIR / "repair-evidence")
PUBCREDIT_REPAIR_EVIDENCE_MAX_BYTES = _env_int("PUBCREDIT_REPAIR_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
PUBCREDIT_REPAIR_SCAN_COMMAND = os.environ.get("PUBCREDIT_REPAIR_SCAN_COMMAND", "").strip()
# 企业用户注册: dotted path of notify(registration, code) -> channel that sends the confirmation code (empty: operators)
PUBCREDIT_ENTERPRISE_CODE_NOTIFIER = os.environ.get("PUBCREDIT_ENTERPRISE_CODE_NOTIFIER", "").strip()
# Step notices are e-mailed through this SMTP server when it is set (otherwise kept in the workbench only).
if os.environ.get("PUBCREDIT_EMAIL_HOST", "").strip():
    EMAIL_HOST = os.environ["PUBCREDIT_EMAIL_HOST"].strip()
    EMAIL_PORT = _env_int("PUBCREDIT_EMAIL_PORT", 25)
    EMAIL_HOST_USER = os.environ.get("PUBCREDIT_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("PUBCREDIT_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = _env_flag("PUBCREDIT_EMAIL_TLS")
    DEFAULT_FROM_EMAIL = os.environ.get("PUBCREDIT_EMAIL_FROM", "") or f"pubcredit@{EMAIL_HOST}"

# --- governance (督查与考核, issue 20): progress reports' files, kept outside the web root, scanned by the command
# above (PUBCREDIT_REPAIR_SCAN_COMMAND); the daily digest is e-mailed through the mail settings above when set.
PUBCREDIT_GOVERNANCE_ATTACHMENT_DIR = Path(os.environ.get("PUBCREDIT_GOVERNANCE_ATTACHMENT_DIR", "")
                                           or VAR_DIR / "governance-attachments")
PUBCREDIT_GOVERNANCE_ATTACHMENT_MAX_BYTES = _env_int("PUBCREDIT_GOVERNANCE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# 信易贷: the national 信易贷 platform's endpoint for the city's monthly report (products and figures, no personal data;
# the national schema is assumed, docs/finance.md). Empty: nothing is sent. The token goes as a Bearer header.
PUBCREDIT_NATIONAL_XINYIDAI_URL = os.environ.get("PUBCREDIT_NATIONAL_XINYIDAI_URL", "").strip()
PUBCREDIT_NATIONAL_XINYIDAI_TOKEN = os.environ.get("PUBCREDIT_NATIONAL_XINYIDAI_TOKEN", "").strip()
