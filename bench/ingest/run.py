"""Benchmark: importing admin_penalty rows from a GB18030 CSV (issue 3), against the raw write of the same rows.

    scripts/pg-cluster run .venv/bin/python bench/ingest/run.py --rows 1000000 2000000

For each size: generate the file once; then per database (SQLite file; PostgreSQL when PUBCREDIT_DATABASE_URL
points at a server) a fresh database is migrated and `pubcredit import_records` runs in a child process whose
wall time and peak RSS are measured. The baseline in the same run is the bare write of the same rows: PostgreSQL
`COPY ... FROM STDIN (FORMAT csv, ENCODING 'GB18030')` into a table of text columns, SQLite `executemany` into one.
On PostgreSQL a third figure, the **write floor**: the rows the import wrote (every table it grew), copied out and
written by `COPY` into a second freshly migrated database with all its indexes and constraints, in one
transaction. No pipeline that writes the same rows can be faster than that, so its ratio to the baseline bounds
the import's. Since issue 18 (set-based path on PostgreSQL, one audit event per chunk) the floor follows the new
design by itself: it copies what the import wrote. After the first import the same file is imported again (every
row unchanged: the **re-import** time). ``--row-path`` imports row by row on PostgreSQL as before issue 18, to
compare both paths under the same load.
Prints a Markdown table to paste into bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

sys.path.insert(0, str(ROOT / "bench"))
from migrated import prepare  # noqa: E402  (bench/migrated.py: a migrated SQLite template, copied)
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from pubcredit.rules.identifiers import uscc_check_char  # noqa: E402

HEADERS = ["行政相对人名称", "行政相对人类别", "统一社会信用代码", "法定代表人", "行政处罚决定书文号", "违法行为类型",
           "违法事实", "处罚依据", "处罚类别", "处罚内容", "罚款金额（万元）", "处罚决定日期", "处罚有效期", "处罚机关",
           "处罚机关统一社会信用代码", "数据来源单位", "数据来源单位统一社会信用代码"]
AUTHORITY = "11370300MB2851234B"
TYPES = ["警告", "罚款", "警告;罚款", "没收违法所得;罚款", "通报批评", "责令停产停业;罚款"]

IMPORT = """
import os, resource, sys, threading, time, json
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pubcredit.settings")
import django; django.setup()
from django.core.management import call_command
from io import StringIO
samples = []  # (seconds, RSS MB) every 2 s: whether memory levels off or keeps growing with the rows

def sample():
    while True:
        rss = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmRSS"))
        samples.append((time.perf_counter() - start, rss / 1024, os.getloadavg()[0]))
        time.sleep(2)

if os.environ.get("BENCH_ROW_PATH"):  # --row-path: the row-by-row path of earlier sessions, for comparison
    import pubcredit.ingest.setwise
    pubcredit.ingest.setwise.applies = lambda *args, **kwargs: False
out = StringIO(); start = time.perf_counter()
threading.Thread(target=sample, daemon=True).start()
call_command("import_records", sys.argv[1], "--class", "admin_penalty", "--department", "SCJGJ", stdout=out)
elapsed = time.perf_counter() - start
summary = json.loads(out.getvalue().strip().splitlines()[-1])
reimport = unchanged = None
if not os.environ.get("BENCH_NO_REIMPORT"):
    again = StringIO(); began = time.perf_counter()  # the same file once more: every row unchanged
    call_command("import_records", sys.argv[1], "--class", "admin_penalty", "--department", "SCJGJ", stdout=again)
    reimport = time.perf_counter() - began
    unchanged = json.loads(again.getvalue().strip().splitlines()[-1])["unchanged"]
# the highest RSS seen in each tenth of the first import
tenths = [round(max([mb for t, mb, _ in samples if i * elapsed / 10 <= t < (i + 1) * elapsed / 10] or [0])) for i in range(10)]
loads = [load for t, _, load in samples if t <= elapsed]  # the machine's 1-minute load average while importing
print(json.dumps({"seconds": elapsed, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "created": summary["created"], "rejected": summary["rejected_count"], "rss_by_tenth_mb": tenths,
                  "load_while_importing": [min(loads, default=0), max(loads, default=0)],
                  "reimport_seconds": reimport, "reimport_unchanged": unchanged}))
"""


def generate(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    start = dt.date(2026, 1, 5)
    with path.open("w", encoding="gb18030", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        for i in range(rows):
            first17 = f"913703{rng.choice(['02', '03', '04', '05', '06'])}{f'MA{i:07d}'[:9]}"
            uscc = first17 + uscc_check_char(first17)
            kinds = rng.choice(TYPES)
            fine = f"{rng.uniform(0.05, 20):.2f}" if "罚款" in kinds else ""
            decided = start + dt.timedelta(days=rng.randrange(300))
            writer.writerow([f"淄博测试企业{i}有限公司", "法人及非法人组织", uscc, "王伟", f"淄市监罚〔2026〕{i}号",
                             "销售不合格产品", "经查，当事人销售不合格产品。", "《中华人民共和国产品质量法》第四十九条",
                             kinds, kinds.replace(";", "，"), fine, decided.isoformat(),
                             (decided + dt.timedelta(days=365)).isoformat(), "淄博市市场监督管理局", AUTHORITY,
                             "淄博市市场监督管理局", AUTHORITY])


def _checkpoint_file(url: str) -> Path:
    return Path(tempfile.gettempdir()) / f"pubcredit-bench-checkpoints-{url.rsplit('/', 1)[-1]}.jsonl"


def _env(url: str) -> dict[str, str]:
    # not PUBCREDIT_DEBUG: Django's debug mode keeps the last 9 000 queries' SQL, which grows the import's memory
    # until the log is full (about 30 MB per 100k rows here); the generated decisions are all in the past
    env = {k: v for k, v in os.environ.items() if k not in ("PUBCREDIT_DEBUG", "PUBCREDIT_TODAY")}
    # each database its own audit checkpoint file: the default one under var/ would hold every bench database's
    # chain heads, and verify_audit would find the others' checkpoints missing from this chain
    checkpoints = _checkpoint_file(url)
    return {**env, "PUBCREDIT_DATABASE_URL": url, "PUBCREDIT_SECRET_KEY": "bench-" + "k" * 50,
            "PYTHONPATH": str(ROOT / "src"), "PUBCREDIT_AUDIT_CHECKPOINT_FILE": str(checkpoints)}


def _cli(env, *args):
    subprocess.run([sys.executable, "-m", "pubcredit.cli", *args], env=env, check=True, capture_output=True)


def set_up(env: dict[str, str]) -> None:
    """A freshly migrated database with the importing department (the import's own audit of it included)."""
    prepare(env["PUBCREDIT_DATABASE_URL"], env)
    _cli(env, "migrate", "-v0")
    _cli(env, "create_department", "--code", "SCJGJ", "--name", "淄博市市场监督管理局", "--uscc", AUTHORITY)


# After a killed import: does the database hold every row once, and do the audit trail and the chunk events hold?
CHECK = """
import json, os, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pubcredit.settings")
import django; django.setup()
from io import StringIO
from django.core.management import call_command
from django.db import connection
from pubcredit.audit.tasks import seal_audit_chain
with connection.cursor() as cur:
    cur.execute("SELECT count(*), count(DISTINCT key_hash), count(DISTINCT decision_no) FROM records_creditrecord")
    records, keys, numbers = cur.fetchone()
    cur.execute("SELECT status, rows_done, total_rows FROM ingest_batch")
    batches = cur.fetchall()
began = time.perf_counter(); seal_audit_chain.call(full=True); sealed = time.perf_counter() - began
chain, chunks = StringIO(), StringIO()
began = time.perf_counter(); call_command("verify_audit", stdout=chain); chain_s = time.perf_counter() - began
began = time.perf_counter(); call_command("verify_imports", stdout=chunks); chunks_s = time.perf_counter() - began
print(json.dumps({"records": records, "distinct_keys": keys, "distinct_decisions": numbers, "batches": batches,
                  "seal_s": sealed, "verify_audit": chain.getvalue().strip(), "verify_audit_s": chain_s,
                  "verify_imports": chunks.getvalue().strip(), "verify_imports_s": chunks_s}, default=str))
"""


def measure_import(url: str, csv_path: Path, kill_after: float | None = None) -> dict:
    """The import (then, unless BENCH_NO_REIMPORT, the same file again). With ``kill_after``, the first import is
    killed (SIGKILL) after that many seconds and the same command is run again: it resumes the batch."""
    env = _env(url)
    set_up(env)
    killed = None
    if kill_after:
        command = [sys.executable, "-m", "pubcredit.cli", "import_records", str(csv_path), "--class", "admin_penalty",
                   "--department", "SCJGJ"]
        start = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            child.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        killed = time.perf_counter() - start
        import psycopg

        with psycopg.connect(url) as conn:  # what the killed import had committed
            committed = conn.execute("SELECT coalesce(sum(rows_done), 0) FROM ingest_batch").fetchone()[0]
        print(json.dumps({"killed_after_s": killed, "returncode": child.returncode, "rows_committed": committed}),
              flush=True)
    out = subprocess.run([sys.executable, "-c", IMPORT, str(csv_path)], env=env, check=True, capture_output=True,
                         text=True)
    run = json.loads(out.stdout.strip().splitlines()[-1])
    if url.startswith("postgres"):  # what the rows take on disk: tables, indexes, TOAST (not the WAL)
        import psycopg

        with psycopg.connect(url) as conn:
            run["database_mb"] = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 2**20
            run["largest_tables_mb"] = dict(conn.execute(
                "SELECT relname, pg_total_relation_size(oid) / 1048576 FROM pg_class WHERE relkind = 'r' "
                "AND relnamespace = 'public'::regnamespace ORDER BY pg_total_relation_size(oid) DESC LIMIT 6").fetchall())
    if killed is not None:
        run["killed_after_s"], run["rows_committed_at_kill"], run["resumed_s"] = killed, committed, run["seconds"]
        run["seconds"] = killed + run["seconds"]  # the whole load: before the kill and after it
        checked = subprocess.run([sys.executable, "-c", CHECK], env=env, check=True, capture_output=True, text=True)
        run["after_kill"] = json.loads(checked.stdout.strip().splitlines()[-1])
    return run


def baseline_sqlite(csv_path: Path, workdir: Path) -> float:
    db = workdir / f"bare-{uuid.uuid4().hex[:6]}.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"CREATE TABLE bare ({', '.join(f'c{i} TEXT' for i in range(len(HEADERS)))})")
    start = time.perf_counter()
    with csv_path.open(encoding="gb18030", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        marks = ", ".join("?" * len(HEADERS))
        with conn:
            conn.executemany(f"INSERT INTO bare VALUES ({marks})", reader)
    elapsed = time.perf_counter() - start
    conn.close()
    db.unlink()
    return elapsed


def baseline_postgres(url: str, csv_path: Path) -> float:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE bare ({', '.join(f'c{i} text' for i in range(len(HEADERS)))})")
        start = time.perf_counter()
        with conn.cursor() as cur, cur.copy("COPY bare FROM STDIN (FORMAT csv, HEADER true, ENCODING 'GB18030')") as copy, \
                csv_path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                copy.write(block)
        elapsed = time.perf_counter() - start
        conn.execute("DROP TABLE bare")
    return elapsed


FLOOR_VARIANTS = ("as_is", "immediate_fk", "trigram_after")


def write_floor(pg_url: str, imported_url: str, variant: str = "as_is") -> tuple[float, int]:
    """Seconds to `COPY` what the import wrote into a fresh migrated database (set up as the import's was), and the
    number of rows written. Rows already there after set-up (migration data, the department, its audit) are not
    copied again: per table, only keys above the fresh database's highest. Prints the seconds per table.

    ``variant`` measures what a first load into an empty city could change (issue 18 item 4): ``immediate_fk``
    checks foreign keys per statement instead of at commit; ``trigram_after`` drops the trigram index of subject
    names before the rows and builds it after them (the build is timed with the rest)."""
    import psycopg

    url, drop = fresh_postgres(pg_url)
    try:
        set_up(_env(url))
        with psycopg.connect(imported_url) as source, psycopg.connect(url) as target:
            # every table with a one-column integer primary key (``id``, or ``record_id`` for publicity states)
            tables = source.execute(
                "SELECT c.relname, a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid "
                "AND a.attnum = i.indkey[0] WHERE i.indisprimary AND i.indnatts = 1 AND n.nspname = 'public' "
                "AND a.atttypid IN ('int4'::regtype, 'int8'::regtype) ORDER BY 1").fetchall()
            dumps, total, spent = [], 0, {}
            # referenced tables first, so that foreign keys checked per statement (``immediate_fk``) find their rows
            first = ("subjects_subject", "subjects_subjectname", "ingest_batch", "records_creditrecord")
            tables = sorted(tables, key=lambda t: (first.index(t[0]) if t[0] in first else len(first), t[0]))
            for table, key in tables:
                floor = int(target.execute(f'SELECT coalesce(max("{key}"), 0) FROM "{table}"').fetchone()[0])
                count = source.execute(f'SELECT count(*) FROM "{table}" WHERE "{key}" > %s', [floor]).fetchone()[0]
                if not count:
                    continue
                blob = bytearray()
                with source.cursor().copy(f'COPY (SELECT * FROM "{table}" WHERE "{key}" > {floor}) TO STDOUT '
                                          "(FORMAT binary)") as copy:
                    for block in copy:
                        blob += block
                dumps.append((table, bytes(blob)))
                total += count
            target.commit()
            trigram = target.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'subjects_subject' "
                "AND indexdef LIKE '%gin_trgm_ops%'").fetchall() if variant == "trigram_after" else []
            target.commit()  # the block below is then a transaction of its own, not a savepoint
            start = time.perf_counter()
            with target.transaction():  # foreign keys are DEFERRABLE INITIALLY DEFERRED: checked at commit, timed
                if variant == "immediate_fk":
                    target.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for name, _ in trigram:
                    target.execute(f'DROP INDEX "{name}"')
                for table, blob in dumps:
                    began = time.perf_counter()
                    with target.cursor().copy(f'COPY "{table}" FROM STDIN (FORMAT binary)') as copy:
                        for i in range(0, len(blob), 1 << 20):
                            copy.write(blob[i:i + (1 << 20)])
                    spent[table] = round(time.perf_counter() - began, 2)
                committing = time.perf_counter()
            spent["commit (deferred foreign keys)"] = round(time.perf_counter() - committing, 2)
            began = time.perf_counter()  # after the commit: an index cannot be built under pending trigger events
            for _, definition in trigram:
                target.execute(definition)
            target.commit()
            if trigram:
                spent["trigram index built after"] = round(time.perf_counter() - began, 2)
            print(json.dumps({"write_floor_s": spent, "variant": variant}), flush=True)
            return time.perf_counter() - start, total
    finally:
        drop()


def fresh_postgres(base_url: str) -> tuple[str, callable]:
    import psycopg

    name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")

    url = base_url.rsplit("/", 1)[0] + "/" + name

    def drop():
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        _checkpoint_file(url).unlink(missing_ok=True)
    return url, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 2_000_000])
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--no-floor", action="store_true", help="skip the PostgreSQL write floor")
    parser.add_argument("--floor-variants", nargs="*", choices=FLOOR_VARIANTS[1:], metavar="VARIANT",
                        help="also measure the write floor with foreign keys checked immediately (immediate_fk) and "
                             "with the trigram index of subject names built after the rows (trigram_after); no name: "
                             "both (what a first load into an empty city could change)")
    parser.add_argument("--kill-after", type=float, metavar="SECONDS",
                        help="kill the PostgreSQL import (SIGKILL) after SECONDS and run it again, which resumes; "
                             "then count the rows and verify the audit trail and the chunk events")
    parser.add_argument("--no-reimport", action="store_true", help="skip the re-import of the unchanged file")
    parser.add_argument("--row-path", action="store_true",
                        help="import row by row on PostgreSQL too (the path before issue 18), for comparison")
    args = parser.parse_args()
    if args.row_path:
        os.environ["BENCH_ROW_PATH"] = "1"
    if args.no_reimport:
        os.environ["BENCH_NO_REIMPORT"] = "1"
    pg_url = os.environ.get("PUBCREDIT_DATABASE_URL", "")
    results = []
    with tempfile.TemporaryDirectory(prefix="pubcredit-bench-") as tmp:
        workdir = Path(tmp)
        for rows in args.rows:
            csv_path = workdir / f"penalties-{rows}.csv"
            generate(csv_path, rows)
            size_mb = csv_path.stat().st_size / 2**20
            if not args.skip_sqlite:
                bare = baseline_sqlite(csv_path, workdir)
                run = measure_import(f"sqlite:///{workdir / f'pubcredit-{rows}.sqlite3'}", csv_path)
                results.append(("SQLite", rows, size_mb, bare, run))
                print(json.dumps(results[-1][1:], default=str), flush=True)
            if pg_url.startswith("postgres"):
                bare = baseline_postgres(pg_url, csv_path)
                url, drop = fresh_postgres(pg_url)
                try:
                    run = measure_import(url, csv_path, args.kill_after)
                    print(json.dumps({"bare_copy_s": bare, **run}), flush=True)  # kept if a floor below fails
                    if not args.no_floor:
                        run["load_before_floor"] = os.getloadavg()[0]
                        run["floor_seconds"], run["floor_rows"] = write_floor(pg_url, url)
                        run["load_after_floor"] = os.getloadavg()[0]
                    if args.floor_variants is not None:
                        for variant in args.floor_variants or FLOOR_VARIANTS[1:]:
                            run[f"floor_{variant}_seconds"] = write_floor(pg_url, url, variant)[0]
                finally:
                    drop()
                results.append(("PostgreSQL", rows, size_mb, bare, run))
                print(json.dumps(results[-1][1:], default=str), flush=True)
            csv_path.unlink()

    print(f"\n### {dt.date.today().isoformat()} · {platform.node()} · {os.cpu_count()} cores · "
          f"{platform.python_version()} · {platform.platform()}\n")
    print("| database | rows | file MB | baseline s | baseline rows/s | import s | import rows/s | ratio | peak RSS MB "
          "| write floor s (rows written) | floor ratio | import ÷ floor | re-import s (× faster) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for db, rows, size_mb, bare, run in results:
        rate = rows / run["seconds"]
        floor = (f"{run['floor_seconds']:.1f} ({run['floor_rows']:,}) | {bare / run['floor_seconds']:.3f} | "
                 f"{run['floor_seconds'] / run['seconds']:.2f}" if "floor_seconds" in run else "– | – | –")
        print(f"| {db} | {rows:,} | {size_mb:.0f} | {bare:.1f} | {rows / bare:,.0f} | {run['seconds']:.1f} | {rate:,.0f} | "
              f"{rate / (rows / bare):.3f} | {run['peak_mb']:.0f} | {floor} | "
              + (f"{run['reimport_seconds']:.1f} ({run['seconds'] / run['reimport_seconds']:.1f}×) |"
                 if run["reimport_seconds"] else "– |"))


if __name__ == "__main__":
    main()
