"""Issue 3: killing an import with SIGKILL at any moment leaves whole chunks only, and running the same command
again completes the batch with no duplicates. Runs the real CLI in a subprocess on its own database."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid

import pytest

from tests.factories import penalty
from tests.ingest.files import table, write_csv

ROWS = 3000
CHUNK = 150


def _database(tmp_path):
    url = os.environ.get("PUBCREDIT_DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        name = f"pubcredit_kill_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'")
        base = url.rsplit("/", 1)[0]
        new_url = f"{base}/{name}"

        def query(sql):
            with psycopg.connect(new_url) as conn:
                return conn.execute(sql).fetchall()

        def drop():
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        return new_url, query, drop
    path = tmp_path / "kill.sqlite3"

    def query(sql):
        with sqlite3.connect(path, timeout=30) as conn:
            return conn.execute(sql).fetchall()
    return f"sqlite:///{path}", query, lambda: None


def _cli(env, *args, **kw):
    return subprocess.run([sys.executable, "-m", "pubcredit.cli", *args], env=env, capture_output=True, text=True,
                          timeout=600, **kw)


def _counts(query):
    records = query("SELECT count(*) FROM records_creditrecord")[0][0]
    versions = query("SELECT count(*) FROM records_recordversion")[0][0]
    batches = query("SELECT id, rows_done, status FROM ingest_batch ORDER BY id")
    return records, versions, batches


def test_kill_minus_nine_leaves_whole_chunks_and_rerun_completes(tmp_path):
    url, query, drop = _database(tmp_path)
    env = {**os.environ, "PUBCREDIT_DATABASE_URL": url, "PUBCREDIT_SECRET_KEY": "k" * 50, "PUBCREDIT_DEBUG": "1",
           "PUBCREDIT_TODAY": "2026-11-20"}
    try:
        assert _cli(env, "migrate", "-v0").returncode == 0
        assert _cli(env, "create_department", "--code", "SCJGJ", "--name", "淄博市市场监督管理局",
                    "--uscc", "11370300MB2851234B").returncode == 0
        path = write_csv(tmp_path / "big.csv", table([penalty(i) for i in range(1, ROWS + 1)]))
        command = [sys.executable, "-m", "pubcredit.cli", "import_records", str(path), "--class", "admin_penalty",
                   "--department", "SCJGJ", "--chunk-rows", str(CHUNK)]

        for kill_after in (2 * CHUNK, 8 * CHUNK):  # two kills at different moments
            proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                try:
                    done = query("SELECT max(rows_done) FROM ingest_batch")[0][0] or 0
                except Exception:  # table busy or not there yet
                    done = 0
                if done >= kill_after or proc.poll() is not None:
                    break
                time.sleep(0.05)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            records, versions, batches = _counts(query)
            assert len(batches) == 1, "a rerun resumes the same batch"
            (_, rows_done, status) = batches[0]
            assert status == "processing"
            assert rows_done % CHUNK == 0, "no partial chunk"
            assert records == versions == rows_done, "what is committed is exactly the committed chunks"

        result = _cli(env, *command[3:])
        assert result.returncode == 0, result.stderr[-2000:]
        summary = json.loads(result.stdout.strip().splitlines()[-1])
        records, versions, batches = _counts(query)
        assert records == versions == ROWS
        assert batches == [(summary["batch_id"], ROWS, "done")]
        assert (summary["created"], summary["unchanged"], summary["rejected_count"]) == (ROWS, 0, 0)
        # the chain is sealed by a worker; on a loaded host the import outlives verify_audit's one-minute grace
        assert _cli(env, "worker", "--batch").returncode == 0
        verified = _cli(env, "verify_audit")
        assert verified.returncode == 0 and " 0 events verified" not in verified.stdout, verified.stderr[-2000:]

        again = _cli(env, *command[3:])
        summary = json.loads(again.stdout.strip().splitlines()[-1])
        assert (summary["created"], summary["unchanged"]) == (0, ROWS)
        assert _counts(query)[0] == ROWS
    finally:
        drop()
