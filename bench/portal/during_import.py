"""Benchmark: public searches while an import writes (issue 19 item 3), served by gunicorn as deployed.

    .venv/bin/python bench/portal/during_import.py                        # SQLite, the case the issue found
    scripts/pg-cluster run .venv/bin/python bench/portal/during_import.py # PostgreSQL

The issue's finding: on SQLite, 23 of 258 public searches failed with "database is locked" during a 20k-row
import (p95 20 s), because every search that showed a court-listed person wrote an audit row and waited behind the
import's write transaction. What this run does, on one machine, in one run:

1. a fresh database (SQLite file under ``var/bench-portal-import/``, or ``pubcredit_bench_portal_import`` on the
   server of ``PUBCREDIT_DATABASE_URL``), migrated, with ``--persons`` natural persons and as many organisations on
   the court's list of dishonest judgment debtors (失信被执行人: published, persons included, 法释〔2017〕7号 第七条);
2. gunicorn with ``deploy/gunicorn.conf.py`` (one process of 4 threads on SQLite, as deployed), behind no proxy:
   the client address comes from ``X-Real-IP`` (``PUBCREDIT_CLIENT_IP_HEADER``), a different one per request, so
   the public rate limit counts each request as another visitor, as it would behind the city's proxy;
3. **baseline**: ``--searches`` public searches (``/public/search/?q=<a listed person's name>``: every answer shows a
   natural person), ``--concurrency`` at a time, nothing else running;
4. **during the import**: ``pubcredit import_records`` of a ``--rows`` penalty CSV (bench/ingest's generator) in its
   own process, and the same searches, over and over, until the import ends;
5. per phase: searches, failures (any answer but 200, or none), p50/p95/p99/max; the import's time; audit rows
   written by the searches (expected 0); machine and load average. Appended to ``bench/portal/RESULTS.md``
   (``--no-write``: printed only).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

sys.path.insert(0, str(ROOT / "bench"))
from migrated import prepare  # noqa: E402  (bench/migrated.py: a migrated SQLite template, copied)
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "ingest"))
PYTHON = sys.executable
DB_NAME = "pubcredit_bench_portal_import"
WORKDIR = ROOT / "var" / "bench-portal-import"

from run import generate  # noqa: E402  (bench/ingest/run.py: the penalty CSV of the ingest benchmark)

SEED = """
import json, sys
import django; django.setup()
from pubcredit.accounts.services import department_create
from pubcredit.audit.services import SystemActor
from tests.lists.helpers import court_person_row, court_row, submit_list
from tests.factories import AUTHORITY_USCC
actor = SystemActor("bench")
market = department_create(code="SCJGJ", name="淄博市市场监督管理局", uscc=AUTHORITY_USCC, actor=actor)
count = int(sys.argv[1])
surnames, given = "王李张刘陈杨赵黄周吴", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
names = []
for start in range(0, count, 100):
    rows = []
    for n in range(start, min(start + 100, count)):
        name = surnames[n % 10] + given[(n // 10) % 20] + given[(n // 200) % 20] + str(n)
        names.append(name)
        rows.append(court_person_row(n, subject_name=name, case_no=f"（2026）鲁0303执{1000 + n}号",
                                     decision_no=f"（2026）鲁0303执{1000 + n}号之一"))
        rows.append(court_row(5000 + n, subject_name=f"淄博失信测试有限公司{n}", case_no=f"（2026）鲁0303执{5000 + n}号",
                              decision_no=f"（2026）鲁0303执{5000 + n}号之一"))
    submit_list("court_dishonest_debtor", rows, market, actor)
print(json.dumps(names))
"""

COUNT_READS = """
import django; django.setup()
from pubcredit.audit.models import AuditEvent
print(AuditEvent.objects.filter(action="subject.read_person").count())
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database(workdir: Path) -> str:
    server = os.environ.get("PUBCREDIT_DATABASE_URL", "")
    if server.startswith("postgres"):
        import psycopg

        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
            conn.execute(f"CREATE DATABASE {DB_NAME} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
                         "LC_CTYPE 'C.UTF-8'")
        return server.rsplit("/", 1)[0] + "/" + DB_NAME
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "portal-import.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return f"sqlite:///{path}"


def _env(url: str, workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PUBCREDIT_DEBUG", "PUBCREDIT_TODAY")}
    return {**env, "PUBCREDIT_DATABASE_URL": url, "PUBCREDIT_SECRET_KEY": "bench-" + "k" * 50,
            "PUBCREDIT_ALLOWED_HOSTS": "127.0.0.1,localhost", "PUBCREDIT_VAR_DIR": str(workdir),
            "DJANGO_SETTINGS_MODULE": "pubcredit.settings", "PUBCREDIT_AUDIT_CHECKPOINT_FILE": "",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}


def _search_once(port: int, name: str, visitor: int) -> tuple[float, int | str]:
    url = f"http://127.0.0.1:{port}/public/search/?" + urllib.parse.urlencode({"q": name})
    # a visitor's address as the city's proxy would pass it on (a header only: no traffic goes to it)
    request = urllib.request.Request(url, headers={"X-Real-IP": f"10.{visitor >> 16 & 255}.{visitor >> 8 & 255}."
                                                                f"{visitor & 255}"})
    began = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            status: int | str = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError as error:
        status = type(error).__name__
    return (time.perf_counter() - began) * 1000, status


def _searches(port: int, names: list[str], concurrency: int, *, count: int | None = None,
              until: threading.Event | None = None, limit_s: float = 1800) -> list[tuple[float, int | str]]:
    """``concurrency`` clients searching one after another: ``count`` searches in all, or until ``until`` is set."""
    results: list[tuple[float, int | str]] = []
    lock = threading.Lock()
    issued = [0]
    deadline = time.perf_counter() + limit_s

    def client(seed: int) -> None:
        rng = random.Random(seed)
        while time.perf_counter() < deadline:
            with lock:
                if (count is not None and issued[0] >= count) or (until is not None and until.is_set()):
                    return
                issued[0] += 1
                visitor = issued[0]
            outcome = _search_once(port, rng.choice(names), visitor)
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _summary(results: list[tuple[float, int | str]]) -> dict:
    times = sorted(ms for ms, _ in results)
    failed = [status for _, status in results if status != 200]
    q = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else times * 99
    return {"searches": len(results), "failed": len(failed),
            "failures": {str(s): failed.count(s) for s in sorted(set(map(str, failed)))},
            "p50_ms": round(q[49], 1), "p95_ms": round(q[94], 1), "p99_ms": round(q[98], 1),
            "max_ms": round(times[-1], 1) if times else 0}


def _wait(port: int, seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/public/rules/", timeout=5)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not come up")


def _load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run(args) -> dict:
    workdir = Path(args.workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    url = _database(workdir)
    env = _env(url, workdir)
    load_before = _load_average()
    prepare(url, env)
    subprocess.run([PYTHON, "-m", "pubcredit.cli", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([PYTHON, "-m", "pubcredit.cli", "createcachetable"], env=env, check=True, cwd=ROOT)
    seeded = subprocess.run([PYTHON, "-c", SEED, str(args.persons)], env=env, cwd=ROOT, capture_output=True, text=True)
    if seeded.returncode != 0:
        raise RuntimeError(f"seeding failed: {seeded.stderr[-3000:]}")
    names = json.loads(seeded.stdout.strip().splitlines()[-1])
    csv_path = workdir / f"penalties-{args.rows}.csv"
    generate(csv_path, args.rows)
    port = _free_port()
    server_env = {**env, "PUBCREDIT_BIND": f"127.0.0.1:{port}", "PUBCREDIT_WEB_ACCESS_LOG": "",
                  "PUBCREDIT_CLIENT_IP_HEADER": "HTTP_X_REAL_IP", "PUBCREDIT_PUBLIC_READS_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen([str(Path(PYTHON).parent / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
                              env=server_env, cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        _wait(port)
        _searches(port, names, args.concurrency, count=20)  # warm the process
        baseline = _summary(_searches(port, names, args.concurrency, count=args.searches))
        done = threading.Event()
        began = time.perf_counter()
        importer = subprocess.Popen([PYTHON, "-m", "pubcredit.cli", "import_records", str(csv_path), "--class",
                                     "admin_penalty", "--department", "SCJGJ"], env=env, cwd=ROOT,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        watcher = threading.Thread(target=lambda: (importer.wait(), done.set()))
        watcher.start()
        during = _summary(_searches(port, names, args.concurrency, until=done))
        watcher.join()
        import_s = round(time.perf_counter() - began, 1)
        out, err = importer.communicate()
        if importer.returncode != 0:
            raise RuntimeError(f"the import failed: {err[-2000:]}")
        imported = json.loads(out.strip().splitlines()[-1])
    finally:
        server.terminate()
        server.wait(timeout=60)
    reads = int(subprocess.run([PYTHON, "-c", COUNT_READS], env=env, check=True, cwd=ROOT, capture_output=True,
                               text=True).stdout.strip().splitlines()[-1])
    csv_path.unlink(missing_ok=True)
    vendor = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    return {"vendor": vendor, "baseline": baseline, "during": during, "import_s": import_s,
            "created": imported.get("created"), "audit_reads": reads,
            "load_average": f"{load_before} before, {_load_average()} after"}


def markdown(result: dict, args) -> str:
    rows = []
    for label, key in (("baseline (nothing else running)", "baseline"), (f"during a {args.rows:,}-row import", "during")):
        x = result[key]
        failures = ", ".join(f"{k} × {v}" for k, v in x["failures"].items()) or "none"
        rows.append(f"| {label} | {x['searches']} | {x['failed']} ({failures}) | {x['p50_ms']} | {x['p95_ms']} | "
                    f"{x['p99_ms']} | {x['max_ms']} |")
    return "\n".join([
        f"## {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC · public searches during an import · {result['vendor']}", "",
        f"- machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}; load average "
        f"(1/5/15 min) {result['load_average']}",
        f"- data: {args.persons} natural persons and {args.persons} organisations on the court's list (失信被执行人); "
        f"every search names a listed person, so every answer shows one",
        f"- server: gunicorn, `deploy/gunicorn.conf.py` as deployed; {args.concurrency} clients searching one after "
        f"another; import: `pubcredit import_records`, {args.rows:,} penalty rows ({result['created']:,} created) in "
        f"{result['import_s']} s",
        f"- audit rows written by the searches: {result['audit_reads']}", "",
        "| phase | searches | failed | p50 ms | p95 ms | p99 ms | max ms |", "|---|---|---|---|---|---|---|",
        *rows, ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=500, help="at most 999")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workdir", default=str(WORKDIR), help="where the SQLite file and the CSV go")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    result = run(args)
    text = markdown(result, args)
    print(text)
    print(json.dumps(result), file=sys.stderr)
    if not args.no_write:
        with (ROOT / "bench" / "portal" / "RESULTS.md").open("a", encoding="utf-8") as fh:
            fh.write("\n" + text)


if __name__ == "__main__":
    main()
