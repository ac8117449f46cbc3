"""The backup and restore drill of docs/deploy.md, run for real: back up a live database with scripts/backup-db,
restore it into a new database with scripts/restore-db, and verify_audit must pass against the checkpoint file
kept apart; a backup older than the newest checkpoint is shown as truncated, not passed."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PUBCREDIT = str(Path(sys.executable).with_name("pubcredit"))


def _run(args, env, *, check=True):
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """An empty platform database, migrated once for the module (migrating takes most of the drill's time)."""
    path = tmp_path_factory.mktemp("template") / "empty.sqlite3"
    env = {**os.environ, "PUBCREDIT_VAR_DIR": str(path.parent / "var"), "PUBCREDIT_DATABASE_URL": f"sqlite:///{path}"}
    _run([PUBCREDIT, "migrate", "--noinput"], env)
    _run([PUBCREDIT, "createcachetable"], env)
    return path


@pytest.fixture
def site(tmp_path, migrated):
    """A platform on its own SQLite file with a few audited writes, as a site would have it."""
    shutil.copy(migrated, tmp_path / "live.sqlite3")
    env = {**os.environ, "PUBCREDIT_VAR_DIR": str(tmp_path / "var"),
           "PUBCREDIT_DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}",
           "PUBCREDIT_AUDIT_CHECKPOINT_FILE": str(tmp_path / "offsite" / "checkpoints.jsonl")}
    _audited_writes(env, 3)
    return tmp_path, env


def _audited_writes(env, n):
    _run([PUBCREDIT, "shell", "-c",
          "from pubcredit.audit.services import SystemActor, record; from pubcredit.audit.events import Event\n"
          f"for i in range({n}): record(Event.DEMO_SEEDED, actor=SystemActor('drill'), object_type='drill', "
          "object_id=i)"], env)


def test_a_restored_backup_passes_verify_audit(site):
    tmp_path, env = site
    backup = tmp_path / "backup.sqlite3"
    out = _run(["scripts/backup-db", PUBCREDIT, str(backup)], env).stdout
    assert "checkpoint signed" in out and "backup written" in out
    restored = _run(["scripts/restore-db", PUBCREDIT, str(backup), f"sqlite:///{tmp_path / 'restored.sqlite3'}",
                     env["PUBCREDIT_AUDIT_CHECKPOINT_FILE"]], env)
    assert "audit chain intact" in restored.stdout and "last good checkpoint" in restored.stdout


def test_a_backup_older_than_the_last_checkpoint_shows_what_was_lost(site):
    tmp_path, env = site
    backup = tmp_path / "old-backup.sqlite3"
    _run(["scripts/backup-db", PUBCREDIT, str(backup)], env)
    _audited_writes(env, 2)  # written after the backup: lost by restoring it
    _run([PUBCREDIT, "audit_checkpoint"], env)
    restored = _run(["scripts/restore-db", PUBCREDIT, str(backup), f"sqlite:///{tmp_path / 'restored.sqlite3'}",
                     env["PUBCREDIT_AUDIT_CHECKPOINT_FILE"]], env, check=False)
    assert restored.returncode != 0
    assert "truncated" in restored.stderr and "last good checkpoint at position" in restored.stderr
