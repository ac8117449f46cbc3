"""Benchmark of the incremental refresh (增量刷新) of the evaluation on a database: N organisations with their records
and list entries, one full run, then ``--changed`` subjects get a new penalty and the refresh is timed.

    scripts/pg-cluster run .venv/bin/python bench/evaluation/refresh.py --subjects 600000 --records 10000000 \\
        --entries 100000 --changed 1000

1. A fresh database (PostgreSQL: ``pubcredit_bench_refresh`` on the server of ``PUBCREDIT_DATABASE_URL``; without it
   a SQLite file under ``var/bench-evaluation/``, a copy of the migrated template), migrated.
2. **Load** (bench data, not through the services, as ``bench/checks/load.py``): organisations, administrative
   penalties (``admin_penalty``) with their publicity states, list entries (each with the record of its list's class),
   written with ``pubcredit.bulk.bulk_insert`` (``COPY`` on PostgreSQL) in chunks, the four tables' indexes that back
   no constraint dropped before and built again after (PostgreSQL); the same distributions as
   ``run.py`` (penalties 2022-01 … yesterday, 60 % minor, 30 % general, 10 % serious, 5 % repaired, 1 % revoked; list
   entries over the six lists, those more than 200 days old removed by repair in 30 % of cases). Every row was
   received and last written a day before the run, so it is neither new to the refresh nor after the evaluation
   date. Skipped, because the evaluation reads none of them: record versions, audit events, change-feed rows, name
   history, list changes; the penalties' payload (``fields``) is empty. ``VACUUM ANALYZE`` at the end, as a database
   in service would be.
3. **Full run** through the service, as ``pubcredit evaluate --all`` runs it (``evaluation_run_start`` then
   ``evaluation_run_execute``, 2,000 subjects per partition), but as of today (on demand): the refresh scores as of
   today, so every unchanged subject's latest result then equals what a refresh would compute.
4. The first refresh (it only sets the watermark), then the **change**: one new penalty (general: a fine of 100万元)
   for each of ``--changed`` subjects spread evenly over the city, submitted as one department batch through
   ``records.services.records_submit`` (validation, subject resolution, version, publicity state, audit), not timed.
5. **The refresh, timed**: ``evaluation.services.evaluation_refresh_changed``, the code the worker runs every minute.
   Checked: its run holds exactly the changed subjects, the result table grew by exactly that many rows, and each
   changed subject's latest result is the refresh's and has a line for its new penalty. Then a **second refresh**
   with nothing new, timed too: the refresh looks 15 minutes back (``REFRESH_OVERLAP``), so it reads and re-scores the
   same subjects again and must write nothing.

``--reuse`` keeps a database already loaded at the same size (PostgreSQL: ``pubcredit_bench_refresh`` holds
``--subjects`` organisations and ``--entries`` list entries): no drop, no load; the evaluation's runs, results and
refresh watermark are emptied (``TRUNCATE``) so every full run writes into an empty result table as after a load.
``--only load`` stops after the load, ``--only full`` after the full run (so a loaded database can be timed again
and again as the code improves).

Prints one JSON line per step (seconds, rows, the process's peak RSS, the load average) and a summary line
``"what": "refresh"``. Target (issue 14): the refresh of 1,000 changed subjects under 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from migrated import prepare  # noqa: E402  (bench/migrated.py: a migrated SQLite template, copied)

DB_NAME = "pubcredit_bench_refresh"
CHUNK = 50_000
AUTHORITY = "11370300MB2851234B"  # the department's USCC, as the records' 处罚机关
# list code → kind (black/red) and the term in years the load gives it (None: no fixed term), as bench/checks/load.py
LISTS = {"business_anomaly": ("black", None), "court_dishonest_debtor": ("black", 2),
         "major_tax_violator": ("black", 3), "samr_serious_violation": ("black", 3), "integrity_honor": ("red", 3),
         "tax_a_level": ("red", 1)}


def _say(what: str, started: float, **figures) -> None:
    print(json.dumps({"what": what, "seconds": round(time.perf_counter() - started, 2), **figures,
                      "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                      "load_average": [round(x, 2) for x in os.getloadavg()]}, ensure_ascii=False), flush=True)


def _database(workdir: Path, reuse: bool = False) -> tuple[str, bool]:
    """A fresh database: on the PostgreSQL server of PUBCREDIT_DATABASE_URL if set, else a SQLite file; with
    ``reuse``, the existing one if there is one. The URL, and whether it existed (to be checked before use)."""
    server = os.environ.get("PUBCREDIT_DATABASE_URL", "")
    if server.startswith("postgres"):
        import psycopg

        url = server.rsplit("/", 1)[0] + "/" + DB_NAME
        with psycopg.connect(server, autocommit=True) as conn:
            if reuse and conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
                return url, True
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {DB_NAME} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
                         "LC_CTYPE 'C.UTF-8'")
        return url, False
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "refresh.sqlite3"
    if reuse and path.exists():
        return f"sqlite:///{path}", True
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    prepare(url)
    return url, False


def _reusable(args) -> bool:
    """The reused database holds a complete load of this size (the load's last table written, its indexes built)."""
    from django.db import connection

    from pubcredit.lists.models import ListEntry
    from pubcredit.subjects.models import Subject

    if Subject.objects.count() != args.subjects or ListEntry.objects.count() != args.entries:
        return False
    with connection.cursor() as cursor:  # the load analyzes last: without statistics it was cut short
        if connection.vendor == "postgresql":
            cursor.execute("SELECT last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL FROM pg_stat_user_tables "
                           "WHERE relname = %s", [ListEntry._meta.db_table])
            return bool(cursor.fetchone()[0])
    return True


def _empty_evaluation() -> None:
    """Forget every evaluation run, result and the refresh watermark, as right after a load."""
    from django.db import connection

    from pubcredit.evaluation.models import EvaluationResult, EvaluationRun, RefreshWatermark

    tables = [m._meta.db_table for m in (EvaluationResult, EvaluationRun, RefreshWatermark)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def bench_uscc(i: int) -> str:
    from pubcredit.rules.identifiers import uscc_check_char

    first17 = f"91370303MA{i:07d}"
    return first17 + uscc_check_char(first17)


def bench_name(i: int) -> str:
    return f"淄博基准评价企业{i}有限公司"


def _frames(n_subjects: int, n_records: int, n_entries: int, today: dt.date, seed: int):
    """The synthetic penalties and list entries (subject by index 0…N−1), with run.py's distributions."""
    import polars as pl
    from evaluation.run import _rand  # bench/evaluation/run.py: the same generator

    start = dt.date(2022, 1, 1)
    days = (today - start).days - 1  # up to yesterday
    severity = _rand(n_records, seed + 3, 10)
    records = pl.select(
        subject=_rand(n_records, seed + 1, n_subjects),
        decision_date=pl.lit(start) + pl.duration(days=_rand(n_records, seed + 2, days)),
        severity=pl.when(severity < 6).then(pl.lit("minor")).when(severity < 9).then(pl.lit("general"))
        .otherwise(pl.lit("serious")),
        repaired=_rand(n_records, seed + 4, 100) < 5, revoked=_rand(n_records, seed + 5, 100) < 1,
    )
    codes = list(LISTS)
    effective = pl.lit(start) + pl.duration(days=_rand(n_entries, seed + 7, days))
    entries = pl.select(
        subject=_rand(n_entries, seed + 6, n_subjects), effective_date=effective,
        list_code=_rand(n_entries, seed + 9, len(codes)).replace_strict(dict(enumerate(codes)),
                                                                        return_dtype=pl.String),
        removed_on=pl.when((_rand(n_entries, seed + 8, 10) < 3)
                           & (effective + pl.duration(days=200) < pl.lit(today)))
        .then(effective + pl.duration(days=200)).otherwise(None),
    )
    return records, entries


def _drop_indexes(models) -> list[str]:
    """PostgreSQL: drop the tables' indexes that back no constraint (they are built again after the load, one sort
    each instead of millions of random insertions, as a first load of a database is done); their definitions. The
    database ends with exactly the indexes the migrations made. SQLite: nothing (the tiny sizes only)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND NOT EXISTS "
                       "(SELECT 1 FROM pg_constraint WHERE conname = indexname)",
                       [[m._meta.db_table for m in models]])
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [definition for _, definition in found]


def load(args, department, yesterday: dt.datetime) -> list[int]:
    """Organisations, penalties with publicity states, list entries (bulk, in chunks); the subjects' ids by index."""
    from django.db import connection, transaction

    from pubcredit.bulk import RawJSON, bulk_insert
    from pubcredit.lists.models import ListEntry
    from pubcredit.publicity.models import PublicityState
    from pubcredit.records.models import CreditRecord
    from pubcredit.rules import clock
    from pubcredit.rules.lists import add_years
    from pubcredit.subjects.models import Subject

    today = clock.today()
    started = time.perf_counter()
    rebuild = _drop_indexes([Subject, CreditRecord, PublicityState, ListEntry])
    subject_fields = ("kind", "name", "uscc", "id_hash", "id_encrypted", "id_masked", "district_id", "created_at",
                      "updated_at")
    for base in range(0, args.subjects, CHUNK):
        with transaction.atomic():
            bulk_insert(Subject, ({"kind": "legal_person", "name": bench_name(i), "uscc": bench_uscc(i),
                                   "id_hash": None, "id_encrypted": "", "id_masked": "", "district_id": None,
                                   "created_at": yesterday, "updated_at": yesterday}
                                  for i in range(base, min(base + CHUNK, args.subjects))), subject_fields)
    subject_ids = list(Subject.objects.order_by("id").values_list("id", flat=True))
    _say("load subjects", started, rows=len(subject_ids))

    records, entries = _frames(args.subjects, args.records, args.entries, today, args.seed)
    empty = RawJSON("{}")
    record_fields = ("class_code", "subject_id", "department_id", "key_hash", "decision_no", "decision_date",
                     "received_at", "updated_at", "version", "fields", "content_hash", "status", "status_reason",
                     "delay_working_days", "on_time", "rulebook_version")

    def record_row(n: int, class_code: str, subject: int, decided: dt.date, revoked: bool = False) -> dict:
        return {"class_code": class_code, "subject_id": subject_ids[subject], "department_id": department.pk,
                "key_hash": f"bench{n:059d}", "decision_no": f"基准〔{decided.year}〕{n}号", "decision_date": decided,
                "received_at": yesterday, "updated_at": yesterday, "version": 1, "fields": empty,
                "content_hash": "0" * 64, "status": "revoked" if revoked else "active",
                "status_reason": "基准撤销" if revoked else "", "delay_working_days": 5, "on_time": True,
                "rulebook_version": "bench"}

    def new_ids(after: int) -> list[int]:
        # one session writes into a fresh table: the chunk's rows are those after the last id, in their order
        return list(CreditRecord.objects.filter(id__gt=after).order_by("id").values_list("id", flat=True))

    state_fields = ("record_id", "state", "severity", "regime", "published", "publish_from", "repairable_from",
                    "publish_until", "ended_on", "provisional", "shared", "reason_zh", "reason_en", "rule_version",
                    "rulebook_version", "record_version", "assessed_on", "class_code", "decision_date", "subject_id",
                    "department_id", "updated_at")
    started, last_id, n = time.perf_counter(), 0, 0
    for chunk in records.iter_slices(CHUNK):
        rows = chunk.rows(named=True)
        with transaction.atomic():
            bulk_insert(CreditRecord, [record_row(n + k, "admin_penalty", r["subject"], r["decision_date"],
                                                  r["revoked"]) for k, r in enumerate(rows)], record_fields)
            ids = new_ids(last_id)
            states = []
            for record_id, r in zip(ids, rows, strict=True):
                decided = r["decision_date"]
                state = "revoked" if r["revoked"] else "repaired" if r["repaired"] else "published"
                ended = min(decided + dt.timedelta(days=120), today - dt.timedelta(days=1)) \
                    if state in ("repaired", "revoked") else None
                states.append({
                    "record_id": record_id, "state": state, "severity": r["severity"], "regime": "bench",
                    "published": True, "publish_from": decided, "repairable_from": None,
                    "publish_until": decided + dt.timedelta(days=1095), "ended_on": ended, "provisional": False,
                    "shared": True, "reason_zh": "基准数据", "reason_en": "bench data", "rule_version": "bench",
                    "rulebook_version": "bench", "record_version": 1, "assessed_on": yesterday.date(),
                    "class_code": "admin_penalty", "decision_date": decided, "subject_id": subject_ids[r["subject"]],
                    "department_id": department.pk, "updated_at": yesterday})
            bulk_insert(PublicityState, states, state_fields)
        last_id, n = ids[-1], n + len(rows)
    _say("load penalties and publicity states", started, rows=n)

    entry_fields = ("record_id", "list_code", "kind", "subject_id", "department_id", "identifying_unit", "decision_no",
                    "decision_date", "effective_date", "planned_end", "term_source", "term_reason", "legal_basis",
                    "status", "removal_reason", "removal_note", "removed_on", "removed_at", "push_delay_working_days",
                    "push_deadline_working_days", "pushed_late", "record_version", "rule_version", "created_at",
                    "updated_at", "facts")
    started, entered = time.perf_counter(), 0
    for chunk in entries.iter_slices(CHUNK):
        rows = chunk.rows(named=True)
        with transaction.atomic():
            bulk_insert(CreditRecord, [record_row(n + k, r["list_code"], r["subject"], r["effective_date"])
                                       for k, r in enumerate(rows)], record_fields)
            ids = new_ids(last_id)
            listed = []
            for record_id, r in zip(ids, rows, strict=True):
                kind, years = LISTS[r["list_code"]]
                decided, removed = r["effective_date"], r["removed_on"]
                planned = None if years is None else add_years(decided, years) - dt.timedelta(days=1)
                listed.append({
                    "record_id": record_id, "list_code": r["list_code"], "kind": kind,
                    "subject_id": subject_ids[r["subject"]], "department_id": department.pk,
                    "identifying_unit": "基准认定单位", "decision_no": f"基准认定〔2026〕{record_id}号",
                    "decision_date": decided, "effective_date": decided, "planned_end": planned,
                    "term_source": "rulebook" if planned else "none", "term_reason": "bench", "legal_basis": "bench",
                    "status": "removed" if removed else "in_force", "removal_reason": "repaired" if removed else "",
                    "removal_note": "基准移出" if removed else "", "removed_on": removed,
                    "removed_at": yesterday if removed else None, "push_delay_working_days": 3,
                    "push_deadline_working_days": 7, "pushed_late": False, "record_version": 1,
                    "rule_version": f"list:{r['list_code']}@bench", "created_at": yesterday, "updated_at": yesterday,
                    "facts": {}})
            bulk_insert(ListEntry, listed, entry_fields)
        last_id, n, entered = ids[-1], n + len(rows), entered + len(rows)
    _say("load list entries", started, rows=entered)

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for definition in rebuild:
            cursor.execute(definition)
    _say("build the indexes dropped for the load", started, indexes=len(rebuild))
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE")
    _say("analyze", started)
    return subject_ids


def penalty_row(i: int, n: int, decided: dt.date) -> dict[str, str]:
    """A general penalty (a fine of 100万元) of organisation ``i``, as a department submits it."""
    return {"subject_name": bench_name(i), "subject_category": "法人及非法人组织", "subject_uscc": bench_uscc(i),
            "legal_rep": "王伟", "decision_no": f"淄市监罚〔{decided.year}〕基{n}号", "violation_type": "销售不合格产品",
            "violation_facts": "经查，当事人销售不合格产品。", "penalty_basis": "《中华人民共和国产品质量法》第四十九条",
            "penalty_types": "罚款", "penalty_content": "罚款100万元", "fine_amount": "100",
            "decision_date": decided.isoformat(), "valid_until": (decided + dt.timedelta(days=365)).isoformat(),
            "authority_name": "淄博市市场监督管理局", "authority_uscc": AUTHORITY, "source_name": "淄博市市场监督管理局",
            "source_uscc": AUTHORITY}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=600_000)
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--changed", type=int, default=1_000, help="subjects given a new penalty before the refresh")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--workdir", default=str(ROOT / "var" / "bench-evaluation"))
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database already loaded at this size (its evaluation results emptied)")
    parser.add_argument("--only", choices=("load", "full"), help="stop after the load, or after the full run")
    parser.add_argument("--subset", type=int, metavar="N",
                        help="with --only full: the run scores N subjects spread evenly over the city (a run of "
                             "given subjects, as evaluation_run_start(subject_ids=...)), not the whole city")
    parser.add_argument("--profile", metavar="PATH", help="profile the full run (cProfile), its statistics to PATH")
    args = parser.parse_args()
    if not 0 < args.changed <= args.subjects:
        parser.error("--changed must be between 1 and --subjects")
    if args.subset is not None and (args.only != "full" or not 0 < args.subset <= args.subjects):
        parser.error("--subset goes with --only full, between 1 and --subjects")

    started = time.perf_counter()
    url, existed = _database(Path(args.workdir), args.reuse)
    os.environ.update({"PUBCREDIT_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "pubcredit.settings",
                       "PUBCREDIT_VAR_DIR": args.workdir})
    os.environ.setdefault("PUBCREDIT_SECRET_KEY", "bench-" + "k" * 50)
    # not debug: Django's debug mode keeps every query's SQL, which would grow this process's memory
    for name in ("PUBCREDIT_DEBUG", "PUBCREDIT_TODAY"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    reused = existed and _reusable(args)
    if existed and not reused:
        sys.exit(f"--reuse: the database {url} holds no complete load of this size; run without --reuse")
    _say("database", started, vendor=connection.vendor, reused=reused)

    import polars as pl

    from pubcredit.accounts.services import department_create
    from pubcredit.audit.services import SystemActor
    from pubcredit.catalog.registry import get_class
    from pubcredit.evaluation import services
    from pubcredit.evaluation.choices import RunTrigger
    from pubcredit.evaluation.models import EvaluationResult
    from pubcredit.evaluation.selectors import latest_results
    from pubcredit.records.models import CreditRecord
    from pubcredit.records.services import records_submit
    from pubcredit.rules import clock

    from pubcredit.accounts.models import Department
    from pubcredit.subjects.models import Subject

    actor = SystemActor("bench:evaluation-refresh")
    if reused:
        department = Department.objects.get(code="SCJGJ")
        subject_ids = list(Subject.objects.filter(uscc__startswith="91370303MA").order_by("id")
                           .values_list("id", flat=True))
        _empty_evaluation()
    else:
        department = department_create(code="SCJGJ", name="淄博市市场监督管理局", uscc=AUTHORITY, actor=actor)
        subject_ids = load(args, department, clock.now() - dt.timedelta(days=1))
    if args.only == "load":
        return

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    started = time.perf_counter()
    chosen = subject_ids[::args.subjects // args.subset][:args.subset] if args.subset else None
    run = services.evaluation_run_start(actor=actor, trigger=RunTrigger.ON_DEMAND, enqueue=False,
                                        subject_ids=chosen)
    if profiler:
        profiler.enable()
    run = services.evaluation_run_execute(run_id=run.pk, actor=actor)
    full_seconds = time.perf_counter() - started
    if profiler:
        import pstats

        profiler.disable()
        profiler.dump_stats(args.profile)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(r"pubcredit|polars|psycopg", 25)
    _say("full run (evaluation_run_execute)", started, subjects=run.done,
         subjects_per_s=round(run.done / max(full_seconds, 1e-9)), results=EvaluationResult.objects.count())
    if args.only == "full":
        print(json.dumps({"what": "full run" if chosen is None else f"run of {len(chosen)} subjects",
                          "vendor": connection.vendor, "subjects": args.subjects,
                          "records": args.records, "entries": args.entries, "reused": reused,
                          "full_run_s": round(full_seconds, 2), "subjects_per_s": round(run.done / full_seconds),
                          **({"target_s": 300, "met": full_seconds < 300} if chosen is None else {}),
                          "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                          "load_average": [round(x, 2) for x in os.getloadavg()]}, ensure_ascii=False), flush=True)
        return
    assert services.evaluation_refresh_changed(actor=actor) is None  # the first refresh sets its watermark only

    started = time.perf_counter()
    step = args.subjects // args.changed
    chosen = [k * step for k in range(args.changed)]
    changed_ids = sorted(subject_ids[i] for i in chosen)
    decided = clock.today() - dt.timedelta(days=10)
    # numbered after the penalties earlier runs on a reused database gave, so that each is a new record
    earlier = CreditRecord.objects.filter(department=department, class_code="admin_penalty",
                                          decision_no__startswith="淄市监罚").count()
    rows = [penalty_row(i, earlier + n, decided) for n, i in enumerate(chosen)]
    frame = pl.DataFrame(rows, schema={k: pl.String for k in rows[0]})
    submitted = records_submit(info_class=get_class("admin_penalty"), frame=frame, department=department, actor=actor,
                               batch_ref="bench-refresh")
    assert not submitted.rejected and submitted.created == args.changed, (submitted.rejected[:3], submitted.created)
    new_records = dict(CreditRecord.objects.filter(id__in=submitted.record_ids).values_list("subject_id", "id"))
    _say("change (records_submit, not timed)", started, records=submitted.created)

    results_before = EvaluationResult.objects.count()
    started = time.perf_counter()
    refreshed = services.evaluation_refresh_changed(actor=actor)
    refresh_seconds = time.perf_counter() - started
    _say("refresh (evaluation_refresh_changed)", started, written=refreshed.done if refreshed else 0)
    # exactly the changed subjects got a new result, each the refresh's and with a line for its new penalty
    assert refreshed is not None and sorted(refreshed.subject_ids) == changed_ids, "the refresh's subjects differ"
    assert EvaluationResult.objects.count() - results_before == args.changed
    for subject_id, result in latest_results(subject_ids=changed_ids).items():
        assert result.run_id == refreshed.pk, subject_id
        assert any(line["source_kind"] == "record" and line["source_id"] == new_records[subject_id]
                   for line in result.items), subject_id

    started = time.perf_counter()
    again = services.evaluation_refresh_changed(actor=actor)
    again_seconds = time.perf_counter() - started
    assert again is None and EvaluationResult.objects.count() - results_before == args.changed
    _say("refresh again, nothing new (the 15-minute overlap re-reads the same subjects)", started, written=0)

    print(json.dumps({"what": "refresh", "vendor": connection.vendor, "subjects": args.subjects,
                      "records": args.records, "entries": args.entries, "changed": args.changed,
                      "full_run_s": round(full_seconds, 2), "refresh_s": round(refresh_seconds, 2),
                      "refresh_again_s": round(again_seconds, 2), "target_s": 5, "met": refresh_seconds < 5,
                      "checked": "exactly the changed subjects got new results",
                      "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                      "load_average": [round(x, 2) for x in os.getloadavg()]}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
