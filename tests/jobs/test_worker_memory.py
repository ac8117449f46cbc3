"""Issue 19 item 1: file work runs in worker processes with a memory limit (PUBCREDIT_WORKER_MEMORY_MB), so an
upload that makes a reader allocate without bound fails in the worker, never in the web server."""

import os
import subprocess
import sys

from tests.factories import penalty
from tests.ingest.files import table, write_csv
from tests.ingest.test_crash_safety import _cli, _counts, _database
from tests.jobs.test_worker_kill import ENQUEUE

CAPPED = """
import sys
import django
django.setup()
from pubcredit.jobs.management.commands.worker import cap_address_space
cap_address_space(int(sys.argv[1]))
try:
    block = bytearray(int(sys.argv[2]) * 1024 * 1024)
except MemoryError:
    print("refused")
else:
    print("allocated", len(block))
"""


def _allocate(cap_mb: int, want_mb: int) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pubcredit.settings", "PUBCREDIT_SECRET_KEY": "k" * 50}
    done = subprocess.run([sys.executable, "-c", CAPPED, str(cap_mb), str(want_mb)], capture_output=True, text=True,
                          timeout=60, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_a_capped_worker_cannot_allocate_past_its_limit():
    assert _allocate(512, 1024) == "refused"
    assert _allocate(0, 64).startswith("allocated"), "0 leaves the process unlimited"


def test_an_import_runs_in_a_worker_under_a_four_gigabyte_cap(tmp_path):
    url, query, drop = _database(tmp_path)
    env = {**os.environ, "PUBCREDIT_DATABASE_URL": url, "PUBCREDIT_SECRET_KEY": "k" * 50, "PUBCREDIT_DEBUG": "1",
           "PUBCREDIT_TODAY": "2026-11-20", "PUBCREDIT_DAILY_JOBS_AT": "off", "PUBCREDIT_WORKER_MEMORY_MB": "4096"}
    try:
        assert _cli(env, "migrate", "-v0").returncode == 0
        assert _cli(env, "create_department", "--code", "SCJGJ", "--name", "淄博市市场监督管理局",
                    "--uscc", "11370300MB2851234B").returncode == 0
        path = write_csv(tmp_path / "capped.csv", table([penalty(i) for i in range(1, 301)]))
        enqueued = _cli(env, "shell", "-c", ENQUEUE.format(path=path, chunk=100))
        assert enqueued.returncode == 0, enqueued.stderr[-2000:]
        worker = _cli(env, "worker", "--worker-id", "capped", "--batch", "--interval", "0")
        assert worker.returncode == 0, worker.stderr[-2000:]
        assert query("SELECT status FROM django_tasks_database_dbtaskresult") in ([("SUCCESSFUL",)],)
        records, versions, batches = _counts(query)
        assert records == versions == 300 and batches[0][1:] == (300, "done")
    finally:
        drop()
