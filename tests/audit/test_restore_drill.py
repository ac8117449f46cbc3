"""The backup and restore drill of docs/deploy.md, run for real: back up a live database with scripts/backup-db,
restore it into a new database with scripts/restore-db, and verify_audit must pass against the checkpoint file
kept apart; a backup older than the newest checkpoint is shown as truncated, not passed.

On the database the suite runs on: SQLite files, or (under ``scripts/pg-cluster run``) new databases on the same
PostgreSQL server, dumped with pg_dump and restored with pg_restore.
"""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PUBCREDIT = str(Path(sys.executable).with_name("pubcredit"))


def _run(args, env, *, check=True):
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


SERVER_URL = os.environ.get("PUBCREDIT_DATABASE_URL", "")
ON_POSTGRES = SERVER_URL.startswith(("postgres://", "postgresql://"))


def _pg_url(name):
    return SERVER_URL.rsplit("/", 1)[0] + "/" + name


def _pg(statement):
    import psycopg

    with psycopg.connect(SERVER_URL, autocommit=True) as conn:
        conn.execute(statement)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """An empty platform database, migrated once for the module (migrating takes most of the drill's time): a
    SQLite file to copy, or a PostgreSQL database to use as a template."""
    folder = tmp_path_factory.mktemp("template")
    url = _pg_url(f"drill_template_{uuid.uuid4().hex[:8]}") if ON_POSTGRES else f"sqlite:///{folder / 'empty.sqlite3'}"
    if ON_POSTGRES:
        _pg(f"CREATE DATABASE {url.rsplit('/', 1)[1]}")
    env = {**os.environ, "PUBCREDIT_VAR_DIR": str(folder / "var"), "PUBCREDIT_DATABASE_URL": url}
    _run([PUBCREDIT, "migrate", "--noinput"], env)
    _run([PUBCREDIT, "createcachetable"], env)
    yield url
    if ON_POSTGRES:
        _pg(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")


@pytest.fixture
def databases(tmp_path, migrated):
    """(live URL, a new empty target URL): the live one a copy of the migrated template."""
    if not ON_POSTGRES:
        shutil.copy(migrated.removeprefix("sqlite:///"), tmp_path / "live.sqlite3")
        yield f"sqlite:///{tmp_path / 'live.sqlite3'}", f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    suffix = uuid.uuid4().hex[:8]
    live, target = f"drill_live_{suffix}", f"drill_restored_{suffix}"
    _pg(f"CREATE DATABASE {live} TEMPLATE {migrated.rsplit('/', 1)[1]}")
    _pg(f"CREATE DATABASE {target}")
    yield _pg_url(live), _pg_url(target)
    for name in (live, target):
        _pg(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def site(tmp_path, databases):
    """A platform on its own database with a few audited writes, as a site would have it."""
    live, target = databases
    env = {**os.environ, "PUBCREDIT_VAR_DIR": str(tmp_path / "var"), "PUBCREDIT_DATABASE_URL": live,
           "PUBCREDIT_AUDIT_CHECKPOINT_FILE": str(tmp_path / "offsite" / "checkpoints.jsonl")}
    _audited_writes(env, 3)
    return tmp_path, env, target


def _audited_writes(env, n):
    _run([PUBCREDIT, "shell", "-c",
          "from pubcredit.audit.services import SystemActor, record; from pubcredit.audit.events import Event\n"
          f"for i in range({n}): record(Event.DEMO_SEEDED, actor=SystemActor('drill'), object_type='drill', "
          "object_id=i)"], env)


def test_a_restored_backup_passes_verify_audit(site):
    tmp_path, env, target = site
    backup = tmp_path / "backup.db"
    out = _run(["scripts/backup-db", PUBCREDIT, str(backup)], env).stdout
    assert "checkpoint signed" in out and "backup written" in out
    restored = _run(["scripts/restore-db", PUBCREDIT, str(backup), target,
                     env["PUBCREDIT_AUDIT_CHECKPOINT_FILE"]], env)
    assert "audit chain intact" in restored.stdout and "last good checkpoint" in restored.stdout


def test_a_backup_older_than_the_last_checkpoint_shows_what_was_lost(site):
    tmp_path, env, target = site
    backup = tmp_path / "old-backup.db"
    _run(["scripts/backup-db", PUBCREDIT, str(backup)], env)
    _audited_writes(env, 2)  # written after the backup: lost by restoring it
    _run([PUBCREDIT, "audit_checkpoint"], env)
    restored = _run(["scripts/restore-db", PUBCREDIT, str(backup), target,
                     env["PUBCREDIT_AUDIT_CHECKPOINT_FILE"]], env, check=False)
    assert restored.returncode != 0
    assert "truncated" in restored.stderr and "last good checkpoint at position" in restored.stderr
