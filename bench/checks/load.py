"""Load the check benchmark's data fast (bench data, not through the services): N subjects and M list entries
(each with its credit record), a department and its API token; write the request payloads.

    PUBCREDIT_DATABASE_URL=… python bench/checks/load.py --subjects 1000000 --entries 100000 --out var/bench-checks

Rows go in with ``pubcredit.bulk.bulk_insert`` (``COPY`` on PostgreSQL, ``executemany`` on SQLite) in chunks.
Every ``subjects / entries``-th subject is on one list (court 40 %, anomaly 20 %, SAMR 15 %, tax 15 %, tax A 7 %,
honours 3 %); a tenth of the entries are already removed. ``--history`` earlier checks (default 500 000, spread over
the past year) stand for a platform in service: the check table is not new, so its indexes have their working size
and autovacuum takes it in hand at the rate a table of that size gets, not every minute as a fresh one would. Payloads: ``--sample`` subjects drawn uniformly, so
about ``entries / subjects`` of the checks hit; scenarios round robin over the eight of the contract.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

LISTS = [("court_dishonest_debtor", 40, "black", 2), ("business_anomaly", 20, "black", None),
         ("samr_serious_violation", 15, "black", 3), ("major_tax_violator", 15, "black", 3),
         ("tax_a_level", 7, "red", 1), ("integrity_honor", 3, "red", 3)]
SCENARIOS = ["government_procurement", "bidding", "administrative_approval", "fiscal_funding", "honors",
             "market_access", "qualification_review", "financing"]
CHUNK = 50_000


def bench_uscc(i: int) -> str:
    from pubcredit.rules.identifiers import uscc_check_char

    first17 = f"91370303MA{i:07d}"
    return first17 + uscc_check_char(first17)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-checks"))
    parser.add_argument("--history", type=int, default=500_000, help="checks already made before the benchmark")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pubcredit.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils.timezone import localdate

    from pubcredit.accounts.services import department_create, token_create
    from pubcredit.audit.services import SystemActor
    from pubcredit.bulk import bulk_insert
    from pubcredit.lists.models import ListEntry
    from pubcredit.records.models import CreditRecord
    from pubcredit.rules import clock
    from pubcredit.rules.lists import add_years
    from pubcredit.sanctions.models import Check
    from pubcredit.subjects.models import Subject

    rng = random.Random(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    actor = SystemActor("bench:checks")
    today, now = clock.today(), clock.now()

    start = time.perf_counter()
    department = department_create(code="BENCH", name="基准测试采购中心", uscc="11370300MB2851234B", actor=actor)
    token = token_create(department=department, label="bench", actor=actor)

    fields = ("kind", "name", "uscc", "id_hash", "id_encrypted", "id_masked", "district_id", "created_at", "updated_at")
    for base in range(0, args.subjects, CHUNK):
        rows = [{"kind": "legal_person", "name": f"淄博基准测试企业{i}有限公司", "uscc": bench_uscc(i), "id_hash": None,
                 "id_encrypted": "", "id_masked": "", "district_id": None, "created_at": now, "updated_at": now}
                for i in range(base, min(base + CHUNK, args.subjects))]
        with transaction.atomic():
            bulk_insert(Subject, rows, fields)
    timings["subjects_s"] = round(time.perf_counter() - start, 1)

    start = time.perf_counter()
    subject_ids = list(Subject.objects.order_by("id").values_list("id", flat=True))
    step = max(1, len(subject_ids) // max(1, args.entries))
    listed = subject_ids[::step][:args.entries]
    weights = [w for _, w, _, _ in LISTS]
    plan = []
    record_fields = ("class_code", "subject_id", "department_id", "key_hash", "decision_no", "decision_date",
                     "received_at", "updated_at", "version", "fields", "content_hash", "status", "status_reason",
                     "delay_working_days", "on_time", "rulebook_version")
    for n, subject_id in enumerate(listed):
        code, _, kind, years = rng.choices(LISTS, weights)[0]
        decided = today - dt.timedelta(days=rng.randrange(1, 700))
        plan.append((subject_id, code, kind, years, decided, n))
    for base in range(0, len(plan), CHUNK):
        rows = [{"class_code": code, "subject_id": sid, "department_id": department.pk, "key_hash": f"bench{n:064d}"[-64:],
                 "decision_no": f"基准〔2026〕{n}号", "decision_date": decided, "received_at": now, "updated_at": now,
                 "version": 1, "fields": {}, "content_hash": "0" * 64, "status": "active", "status_reason": "",
                 "delay_working_days": rng.randrange(1, 10), "on_time": True, "rulebook_version": "bench"}
                for sid, code, kind, years, decided, n in plan[base:base + CHUNK]]
        with transaction.atomic():
            bulk_insert(CreditRecord, rows, record_fields)
    record_ids = dict(CreditRecord.objects.filter(rulebook_version="bench").values_list("key_hash", "id"))
    entry_fields = ("record_id", "list_code", "kind", "subject_id", "department_id", "identifying_unit", "decision_no",
                    "decision_date", "effective_date", "planned_end", "term_source", "term_reason", "legal_basis",
                    "status", "removal_reason", "removal_note", "removed_on", "removed_at", "push_delay_working_days",
                    "push_deadline_working_days", "pushed_late", "record_version", "rule_version", "created_at",
                    "updated_at", "facts")
    for base in range(0, len(plan), CHUNK):
        rows = []
        for sid, code, kind, years, decided, n in plan[base:base + CHUNK]:
            planned = None if years is None else add_years(decided, years) - dt.timedelta(days=1)
            removed = rng.random() < 0.1
            delay = rng.randrange(1, 10)
            rows.append({"record_id": record_ids[f"bench{n:064d}"[-64:]], "list_code": code, "kind": kind,
                         "subject_id": sid, "department_id": department.pk, "identifying_unit": "基准认定单位",
                         "decision_no": f"基准〔2026〕{n}号", "decision_date": decided, "effective_date": decided,
                         "planned_end": planned, "term_source": "rulebook" if planned else "none",
                         "term_reason": "bench", "legal_basis": "bench",
                         "status": "removed" if removed else "in_force", "removal_reason": "repaired" if removed else "",
                         "removal_note": "bench" if removed else "", "removed_on": today if removed else None,
                         "removed_at": now if removed else None, "push_delay_working_days": delay,
                         "push_deadline_working_days": 7, "pushed_late": delay > 7, "record_version": 1,
                         "rule_version": f"list:{code}@2026.1", "created_at": now, "updated_at": now,
                         "facts": {}})
        with transaction.atomic():
            bulk_insert(ListEntry, rows, entry_fields)
    timings["entries_s"] = round(time.perf_counter() - start, 1)

    start = time.perf_counter()
    check_fields = ("check_id", "department_id", "channel", "actor_label", "scenario", "reference", "identifier_kind",
                    "subject_id", "subject_kind", "subject_code", "subject_name", "as_of", "as_of_date",
                    "rulebook_version", "hits", "hit_count", "measure_count", "feedback_required", "feedback_complete",
                    "explanation")
    for base in range(0, args.history, CHUNK):
        rows = []
        for n in range(base, min(base + CHUNK, args.history)):
            i = rng.randrange(args.subjects)
            at = now - dt.timedelta(seconds=rng.randrange(365 * 86400))
            rows.append({"check_id": uuid.UUID(int=rng.getrandbits(128), version=4).hex,
                         "department_id": department.pk, "channel": "api", "actor_label": "token:BENCH:history",
                         "scenario": SCENARIOS[n % len(SCENARIOS)], "reference": f"H-{n}", "identifier_kind": "uscc",
                         "subject_id": subject_ids[i], "subject_kind": "legal_person", "subject_code": bench_uscc(i),
                         "subject_name": f"淄博基准测试企业{i}有限公司", "as_of": at, "as_of_date": localdate(at),
                         "rulebook_version": "bench", "hits": [], "hit_count": 0, "measure_count": 0,
                         "feedback_required": False, "feedback_complete": False, "explanation": []})
        with transaction.atomic():
            bulk_insert(Check, rows, check_fields)
    timings["history_s"] = round(time.perf_counter() - start, 1)

    start = time.perf_counter()
    with connection.cursor() as cursor:
        # PostgreSQL: vacuum too, as a database in service would be; otherwise autovacuum takes the freshly loaded
        # million rows (and their trigram index) in hand while the load runs, at a moment that differs run to run
        cursor.execute("VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE")
    timings["analyze_s"] = round(time.perf_counter() - start, 1)

    sample = [rng.randrange(args.subjects) for _ in range(args.sample)]
    listed_set = set(listed)
    hits_expected = sum(1 for i in sample if subject_ids[i] in listed_set)
    checks = [{"subject": {"uscc": bench_uscc(i)}, "scenario": SCENARIOS[k % len(SCENARIOS)], "reference": f"B-{k}"}
              for k, i in enumerate(sample)]
    bare = [{"uscc": bench_uscc(i)} for i in sample]
    (out / "checks.json").write_text(json.dumps(checks, ensure_ascii=False), encoding="utf-8")
    (out / "bare.json").write_text(json.dumps(bare), encoding="utf-8")
    print(json.dumps({"token": token.plaintext, "subjects": args.subjects, "entries": len(plan), "history": args.history,
                      "listed_share_of_sample": round(hits_expected / len(sample), 3), "timings": timings,
                      "payloads": {"checks": str(out / "checks.json"), "bare": str(out / "bare.json")}}))


if __name__ == "__main__":
    main()
