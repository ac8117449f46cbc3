"""gunicorn settings for pubcredit (生产环境 Web 服务): ``gunicorn -c deploy/gunicorn.conf.py`` (docs/deploy.md).

Every value can be set by environment, so the same file serves every site:

- ``PUBCREDIT_BIND`` (default ``127.0.0.1:8000``): the reverse proxy in front forwards here; never expose it.
- ``PUBCREDIT_WEB_WORKERS``: processes. Default 2 × cores + 1 on PostgreSQL; 1 on SQLite, where one process with
  threads keeps the public rate-limit counters in one place (settings.py, CACHES) and SQLite has one writer anyway.
- ``PUBCREDIT_WEB_THREADS`` (default 4): threads per process (gthread worker).
- ``PUBCREDIT_WEB_TIMEOUT`` (default 120 s): a request running longer is killed; uploads of 50 MB and batch
  screening fit, imports run in ``pubcredit worker``, not here.
- ``PUBCREDIT_WEB_MAX_REQUESTS`` (default 20000): a process is replaced after this many requests (a guard against
  slow leaks); 0 never.

The application is loaded once in the master before the workers are forked (``preload_app``): ``pubcredit.wsgi``
imports every view and freezes the collector there, so the frozen pages stay shared and a replaced worker starts
warm, in milliseconds, instead of importing Django again while it should be serving (bench/checks, 2026-12-03).
"""

import multiprocessing
import os

_postgres = os.environ.get("PUBCREDIT_DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

wsgi_app = "pubcredit.wsgi:application"
bind = os.environ.get("PUBCREDIT_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("PUBCREDIT_WEB_WORKERS", 2 * multiprocessing.cpu_count() + 1 if _postgres else 1))
threads = int(os.environ.get("PUBCREDIT_WEB_THREADS", "4"))
timeout = int(os.environ.get("PUBCREDIT_WEB_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
preload_app = True
# a worker process is replaced after this many requests (with jitter so they do not all restart together)
max_requests = int(os.environ.get("PUBCREDIT_WEB_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# request line and headers bounded (the body is bounded by PUBCREDIT_UPLOAD_MAX_BYTES in the application)
limit_request_line = 8190
limit_request_fields = 100
# the access log without query strings: %(U)s is the path alone (identity numbers never travel in URLs anyway)
accesslog = os.environ.get("PUBCREDIT_WEB_ACCESS_LOG", "-") or None  # empty: no access log
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
# the proxy's X-Forwarded-* are read by the application only through PUBCREDIT_PROXY_SSL_HEADER and
# PUBCREDIT_CLIENT_IP_HEADER; gunicorn itself trusts them from the local proxy only
forwarded_allow_ips = os.environ.get("PUBCREDIT_FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server):
    """In the master, after the application is loaded and before any worker is forked: close any database connection
    loading opened, so no worker inherits (and shares) the master's socket."""
    from django.db import connections

    connections.close_all()
