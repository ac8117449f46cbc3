"""Issue 12 item 6: benchmarks cannot rot. Each benchmark runs end to end on a tiny size (a child process, as a person
runs it), so one that no longer runs against the code fails the build. Speed is not asserted here (bench/README.md).
The SQLite database each one migrates is a copy of a template migrated once (bench/migrated.py), so a tiny run costs
seconds, not a migration."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

TINY = {
    "ingest": ["bench/ingest/run.py", "--rows", "200", "--no-floor"],
    "portal": ["bench/portal/run.py", "--subjects", "1500", "--records", "1500", "--queries", "3", "--no-write"],
    "checks": ["bench/checks/run.py", "--subjects", "1500", "--entries", "150", "--history", "300", "--workers", "1",
               "--threads", "2", "--concurrency", "2", "--requests", "60", "--seconds", "1", "--rate", "10",
               "--warmup", "10", "--no-write"],
    "portal_during_import": ["bench/portal/during_import.py", "--persons", "5", "--rows", "60", "--searches", "5",
                             "--concurrency", "2", "--workdir", "var/bench-portal-import-tiny", "--no-write"],
    "evaluation": ["bench/evaluation/run.py", "--subjects", "300", "--records", "1500", "--entries", "30",
                   "--partition", "100"],
    "reports": ["bench/reports/run.py", "--records", "5", "--batch", "1", "--repeat", "1"],
    "evaluation_refresh": ["bench/evaluation/refresh.py", "--subjects", "300", "--records", "3000", "--entries", "30",
                           "--changed", "20", "--workdir", "var/bench-evaluation-tiny"],
}
# what each one's report must contain once it ran through
REPORTED = {"ingest": "| database | rows |", "portal": "| measure | n | bare | selector | page | API |",
            "checks": "| endpoint | mode | requests |", "portal_during_import": "audit rows written by the searches: 0",
            "evaluation": '"what": "same scores"', "reports": '"batch_reports_per_s"',
            "evaluation_refresh": '"checked": "exactly the changed subjects got new results"'}


@pytest.mark.parametrize("name", sorted(TINY))
def test_benchmark_runs_on_a_tiny_size(name):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("PUBCREDIT_TODAY", None)
    done = subprocess.run([sys.executable, *TINY[name]], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert REPORTED[name] in done.stdout
