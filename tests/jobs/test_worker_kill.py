"""Issue 12 item 2: a job whose worker is killed with SIGKILL mid-way is picked up by the next worker and finishes
once. Real ``pubcredit worker`` subprocesses on their own database (SQLite file, or a new PostgreSQL database)."""

import os
import signal
import subprocess
import sys
import time

from tests.factories import penalty
from tests.ingest.files import table, write_csv
from tests.ingest.test_crash_safety import _cli, _counts, _database

ROWS = 3000
CHUNK = 150

ENQUEUE = """
from pubcredit.accounts.models import Department
from pubcredit.audit.services import SystemActor
from pubcredit.ingest.services import batch_receive_file
from pubcredit.ingest.tasks import import_file
from pubcredit.jobs.services import actor_for_task
actor = SystemActor("cli:test")
batch = batch_receive_file(path="{path}", class_code="admin_penalty", department=Department.objects.get(code="SCJGJ"),
                           actor=actor)
import_file.enqueue(batch_id=batch.pk, path="{path}", actor=actor_for_task(actor), chunk_rows={chunk})
"""


def _wait_for(query, sql, predicate, proc, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = query(sql)[0][0]
        except Exception:  # table busy or not there yet
            value = None
        if predicate(value) or proc.poll() is not None:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting on {sql}")


def test_a_job_killed_mid_way_is_resumed_by_the_next_worker_and_finishes_once(tmp_path):
    url, query, drop = _database(tmp_path)
    env = {**os.environ, "PUBCREDIT_DATABASE_URL": url, "PUBCREDIT_SECRET_KEY": "k" * 50, "PUBCREDIT_DEBUG": "1",
           "PUBCREDIT_TODAY": "2026-11-20", "PUBCREDIT_WORKER_STALE_AFTER": "2",
           "PUBCREDIT_WORKER_HOUSEKEEPING_EVERY": "0.5", "PUBCREDIT_DAILY_JOBS_AT": "off"}
    try:
        assert _cli(env, "migrate", "-v0").returncode == 0
        assert _cli(env, "create_department", "--code", "SCJGJ", "--name", "淄博市市场监督管理局",
                    "--uscc", "11370300MB2851234B").returncode == 0
        path = write_csv(tmp_path / "big.csv", table([penalty(i) for i in range(1, ROWS + 1)]))
        enqueued = _cli(env, "shell", "-c", ENQUEUE.format(path=path, chunk=CHUNK))
        assert enqueued.returncode == 0, enqueued.stderr[-2000:]

        first = subprocess.Popen([sys.executable, "-m", "pubcredit.cli", "worker", "--worker-id", "first",
                                  "--interval", "0.2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        done = _wait_for(query, "SELECT max(rows_done) FROM ingest_batch", lambda v: (v or 0) >= 2 * CHUNK, first)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        assert done is not None and done < ROWS, "killed mid-way"
        assert query("SELECT status, worker_ids FROM django_tasks_database_dbtaskresult") \
            in ([("RUNNING", '["first"]')], [("RUNNING", ["first"])])
        records, versions, batches = _counts(query)
        assert batches[0][2] == "processing" and records == versions == batches[0][1]

        time.sleep(2.5)  # the first worker's heartbeat goes stale
        second = _cli(env, "worker", "--worker-id", "second", "--batch", "--interval", "0")
        assert second.returncode == 0, second.stderr[-2000:]
        jobs = query("SELECT status, worker_ids FROM django_tasks_database_dbtaskresult")
        assert len(jobs) == 1 and jobs[0][0] == "SUCCESSFUL"
        assert jobs[0][1] in ('["first", "second"]', ["first", "second"]), "the same job, resumed by the second"
        records, versions, batches = _counts(query)
        assert records == versions == ROWS, "every row once: the resumed import skipped the committed chunks"
        assert len(batches) == 1 and batches[0][1:] == (ROWS, "done")
        assert query("SELECT count(*) FROM audit_auditevent WHERE action = 'job.requeue'")[0][0] == 1
        assert not path.exists(), "the upload is deleted once the job finished"
        verified = _cli(env, "verify_audit")
        assert verified.returncode == 0 and "0 awaiting" in verified.stdout, verified.stdout + verified.stderr
    finally:
        drop()
