"""Where an import's time goes: wall time per pipeline stage for N generated rows (default 20 000).

    .venv/bin/python bench/ingest/breakdown.py --rows 20000                       # SQLite
    scripts/pg-cluster run .venv/bin/python bench/ingest/breakdown.py --rows 20000  # PostgreSQL

Runs `pubcredit import_records` in a child process on a fresh database with the stages below wrapped in timers
(wall time, nested: ``records_submit`` contains the others; on PostgreSQL file imports take the set-based
path, ``setwise.chunk_submit``, with its own stages). Not a benchmark of its own: it explains run.py's
figures and tells the next optimisation where to look. ``--profile FILE`` also runs the import under ``cProfile``
and writes its statistics to FILE (read them with ``python -m pstats FILE``); stage times are then inflated (and
the helper threads' work is not in it). ``--statements`` times every statement, ``COPY`` and commit the importing
thread waits for: how much of the import is the database's own work.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402

CHILD = r'''
import collections, functools, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pubcredit.settings")
import django; django.setup()
from io import StringIO
from django.core.management import call_command
import pubcredit.audit.services as audit
import pubcredit.ingest.services as ingest
import pubcredit.publicity.services as publicity
import pubcredit.records.services as records
import pubcredit.ingest.setwise as setwise

spent = collections.Counter()
order = []

def timed(module, name, label):
    original = getattr(module, name, None)
    if original is None:  # a stage the code no longer has under that name (the row path moved on)
        return
    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - start
    setattr(module, name, wrapper)
    order.append(label)

timed(ingest, "records_submit", "records_submit (all below)")
timed(records, "validate_frame", "  validation plan (Polars)")
timed(records, "subjects_resolve", "  subject resolution (with its audit)")
timed(records, "_existing_records", "  upsert lookups")
timed(records, "bulk_insert", "  records + versions written")
timed(publicity, "publicity_assess", "  publicity assessment (with its audit and feed)")
timed(publicity, "record_facts", "    facts from records")
timed(publicity.rules, "assess", "    publicity rule")
timed(publicity, "bulk_insert", "    states + feed written")
timed(setwise, "chunk_submit", "set-based chunk, PostgreSQL (all below)")
timed(setwise, "validate_frame", "  validation plan (Polars; in the read-ahead thread)")
timed(setwise, "chunk_prepare", "  chunk prepared: plan, hashes, JSON (read-ahead thread)")
timed(setwise, "_subjects", "  subjects staged and resolved")
timed(setwise, "_copy", "  COPY into staging (subjects and rows)")
timed(setwise, "_decide_penalties", "  publicity of new penalty records decided (helper thread)")
timed(setwise, "new_states_frame", "  states and feed rows of new records built (frames)")
timed(setwise, "copy_frame", "  states and feed rows written (COPY)")
timed(setwise, "_row_hashes", "  chunk digest (row hashes read back)")
timed(audit, "record_many", "audit events (all stages)")
timed(ingest, "_quarantine", "quarantine bookkeeping")
waits = collections.Counter()  # --statements: the importing thread's waits for PostgreSQL, by statement
if os.environ.get("BREAKDOWN_STATEMENTS"):
    import re, psycopg
    from psycopg import _copy

    def waited(label, started):
        waits[label] += time.perf_counter() - started

    def execute(self, query, *args, _original=psycopg.Cursor.execute, **kwargs):
        started = time.perf_counter()
        try:
            return _original(self, query, *args, **kwargs)
        finally:
            waited(re.sub(r"\s+", " ", str(query)).strip()[:80], started)

    def commit(self, _original=psycopg.Connection.commit):
        started = time.perf_counter()
        try:
            return _original(self)
        finally:
            waited("COMMIT (deferred foreign-key checks)", started)

    def copy_end(self, *args, _original=_copy.Copy.__exit__):
        started = time.perf_counter()
        try:
            return _original(self, *args)
        finally:
            waited("COPY (end of the data)", started)
    psycopg.Cursor.execute, psycopg.Connection.commit, _copy.Copy.__exit__ = execute, commit, copy_end
profile = None
if sys.argv[3:]:
    import cProfile
    profile = cProfile.Profile()
    profile.enable()
start = time.perf_counter()
call_command("import_records", sys.argv[1], "--class", "admin_penalty", "--department", "SCJGJ", stdout=StringIO())
total = time.perf_counter() - start
if profile:
    profile.disable()
    profile.dump_stats(sys.argv[3])
rows = int(sys.argv[2])
print(f"| whole import | {total:.2f} | {total / rows * 1e6:.0f} |")
for label in order:
    print(f"| {label} | {spent[label]:.2f} | {spent[label] / rows * 1e6:.0f} |")
if waits:
    print(f"\nThe importing thread waited for PostgreSQL {sum(waits.values()):.2f} s of {total:.2f} s:\n")
    print("| statement | seconds | µs per row |\n|---|---|---|")
    for label, seconds in waits.most_common(15):
        print(f"| `{label}` | {seconds:.2f} | {seconds / rows * 1e6:.0f} |")
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--profile", metavar="FILE", help="also write cProfile statistics of the import to FILE")
    parser.add_argument("--statements", action="store_true",
                        help="also time each statement, COPY and commit the importing thread waits for (PostgreSQL)")
    args = parser.parse_args()
    pg_url = bench.os.environ.get("PUBCREDIT_DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="pubcredit-breakdown-") as tmp:
        csv_path = Path(tmp) / "penalties.csv"
        bench.generate(csv_path, args.rows)
        if pg_url.startswith("postgres"):
            url, drop = bench.fresh_postgres(pg_url)
        else:
            url, drop = f"sqlite:///{tmp}/breakdown.sqlite3", (lambda: None)
        try:
            env = {**bench._env(url), **({"BREAKDOWN_STATEMENTS": "1"} if args.statements else {})}
            bench.set_up(env)
            profile = [str(Path(args.profile).resolve())] if args.profile else []
            out = subprocess.run([sys.executable, "-c", CHILD, str(csv_path), str(args.rows), *profile], env=env,
                                 capture_output=True, text=True)
            if out.returncode:
                sys.exit(f"the import failed:\n{out.stderr}")
        finally:
            drop()
    print(f"{'PostgreSQL' if pg_url.startswith('postgres') else 'SQLite'}, {args.rows:,} rows\n")
    print("| stage | seconds | µs per row |\n|---|---|---|")
    print(out.stdout.strip())


if __name__ == "__main__":
    main()
