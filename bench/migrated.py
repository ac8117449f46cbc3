"""A migrated SQLite database for the benchmarks, made once and copied (issue 12 item 6: benchmarks cannot rot,
quickly).

Every benchmark starts from a freshly migrated database. Migrating this project's schema on SQLite costs 10–15 s of
CPU (minutes on a busy machine: every table rebuild is a file rewrite), more than a tiny benchmark run itself. So the
first run migrates a template under ``var/bench-cache/`` and later runs copy it before their own ``migrate``, which
then finds nothing to do. The template's name is a hash of everything that decides its content: the platform's
migrations and rulebook files (data migrations read the rulebook) and the versions of Django and of the third-party
apps with migrations. A change to any of them makes a new template; nothing stale is reused. PostgreSQL databases are
left alone (``CREATE DATABASE`` per run is cheap there).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "bench-cache"
_DISTRIBUTIONS = ("Django", "django-axes", "django-tasks", "django-tasks-db")


def _key() -> str:
    digest = hashlib.sha256()
    src = ROOT / "src" / "pubcredit"
    files = sorted([*src.glob("*/migrations/*.py"), *(p for p in (src / "rulebook").rglob("*") if p.is_file())])
    for path in files:
        digest.update(str(path.relative_to(src)).encode())
        digest.update(path.read_bytes())
    for name in _DISTRIBUTIONS:
        try:
            digest.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} absent".encode())
    return digest.hexdigest()[:16]


def _template(env: dict[str, str]) -> Path:
    template = CACHE / f"migrated-{_key()}.sqlite3"
    if template.exists():
        return template
    CACHE.mkdir(parents=True, exist_ok=True)
    building = CACHE / f"building-{uuid.uuid4().hex[:8]}.sqlite3"
    subprocess.run([sys.executable, "-m", "pubcredit.cli", "migrate", "-v0"], check=True, cwd=ROOT,
                   env={**env, "PUBCREDIT_DATABASE_URL": f"sqlite:///{building}",
                        "PYTHONPATH": str(ROOT / "src")})
    conn = sqlite3.connect(building)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")  # one self-contained file to copy
    conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    os.replace(building, template)  # atomic: two benchmarks building at once both end with a whole file
    return template


def prepare(url: str, env: dict[str, str] | None = None) -> None:
    """Before a benchmark migrates the database at ``url``: a fresh SQLite file becomes a copy of the migrated
    template. Anything else (PostgreSQL, an existing file) is left as it is."""
    if not url.startswith("sqlite:///"):
        return
    path = Path(url.removeprefix("sqlite:///"))
    if path.exists() and path.stat().st_size:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_template({**os.environ, **(env or {})}), path)
