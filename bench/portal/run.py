"""Benchmark: public name search and subject pages on a large city (issue 4), against the bare indexed query.

    .venv/bin/python bench/portal/run.py --subjects 1000000 --records 1000000                 # SQLite only
    scripts/pg-cluster run .venv/bin/python bench/portal/run.py --subjects 1000000 --records 1000000   # + PostgreSQL

Per database, a child process migrates a fresh database (SQLite file under var/bench-portal/; a new PostgreSQL
database `pubcredit_bench_portal` with LC_CTYPE C.UTF-8 on the server of PUBCREDIT_DATABASE_URL), loads N subjects
and M records with their publicity state by raw SQL (executemany on SQLite, COPY on PostgreSQL; the FTS5 triggers
of migration portal.0001 index every subject as it is inserted, the pg_trgm index is rebuilt after the load), then
times, for distinct queries each:

- search, 3+ characters (a piece of an existing name), 2 characters (common), 2 characters matching nothing (the
  worst case: the whole table is read), and USCC lookups;
- subject pages (subjects with records) and the 双公示 listing page;

at three levels: the bare indexed query (the SQL the selector runs, nothing else), the selector
(`disclosure.selectors`: ranking, fetching the page's subjects or records) and the whole page or API response through
Django's test client (URL routing, rate limiter, template). Writes bench/portal/RESULTS.md (date, machine, sizes,
load times, p50/p95/p99 in ms).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

sys.path.insert(0, str(ROOT / "bench"))
from migrated import prepare  # noqa: E402  (bench/migrated.py: a migrated SQLite template, copied)
HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
DB_NAME = "pubcredit_bench_portal"


# ------------------------------------------------------------------------------------------------------------
# The parent: one child per database, then the report


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "PUBCREDIT_DATABASE_URL": url, "PUBCREDIT_SECRET_KEY": "bench-" + "k" * 50,
            "PUBCREDIT_DEBUG": "1", "PUBCREDIT_TODAY": "2026-11-20", "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "pubcredit.settings"}


def _fresh_pg_url(server_url: str) -> str:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
                     "LC_CTYPE 'C.UTF-8'")
    return server_url.rsplit("/", 1)[0] + "/" + DB_NAME


def _run_child(url: str, args) -> dict:
    cmd = [sys.executable, __file__, "--child", "--subjects", str(args.subjects), "--records", str(args.records),
           "--queries", str(args.queries), "--seed", str(args.seed)]
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=_env(url), capture_output=True, text=True)
    sys.stderr.write(proc.stderr[-4000:])
    if proc.returncode != 0:
        raise SystemExit(f"child failed on {url}: {proc.stdout[-2000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_s"] = round(time.perf_counter() - started, 1)
    return result


def _machine() -> dict[str, str]:
    def sh(*cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
        except OSError:
            return "?"

    return {"nproc": sh("nproc"), "free": sh("free", "-g"), "uname": sh("uname", "-a"),
            "python": platform.python_version()}


def _row(name: str, stats: dict | None) -> str:
    if not stats:
        return "—"
    return f"{stats['p50']:.2f} / {stats['p95']:.2f} / {stats['p99']:.2f}"


NOTES = ("Notes: the sizes are in the Run line above; records matter only to subject pages and listings, which read them through indexes keyed by subject or by (class, state, date), so their cost grows with a subject's own records, not the table. PostgreSQL is the throwaway cluster of `scripts/pg-cluster` (default `shared_buffers` 128 MB, `fsync=off`, `synchronous_commit=off`: affects loading, not these reads). Client, Django and database share the 2 cores.")

LABELS = {
    "search_3plus": "search, 3+ characters (a piece of a name)", "search_2": "search, 2 characters (a brand pair)",
    "search_2_common": "search, 2 characters (very frequent: 有限, 科技 …)",
    "search_2_none": "search, 2 characters matching nothing (worst case)", "search_uscc": "search by USCC",
    "subject": "subject page", "listing": "双公示 listing (penalties, newest)",
    "listing_department": "双公示 listing filtered by department",
}


def report(results: list[dict], args, machine: dict) -> str:
    lines = [
        "# bench/portal — results",
        "",
        f"Run: {dt.datetime.now().astimezone().isoformat(timespec='seconds')} · "
        f"`bench/portal/run.py --subjects {args.subjects} --records {args.records} --queries {args.queries}`",
        "",
        f"Machine: {machine['nproc']} cores · Python {machine['python']} · `{machine['uname']}`",
        "",
        "```", machine["free"], "```", "",
        "Times in milliseconds, p50 / p95 / p99 over distinct queries (after a warm-up), one client, warm caches.",
        "*bare*: the indexed SQL alone (FTS5 MATCH / LIKE with the same LIMIT; the subject page's two "
        "indexed section queries); *selector*: `disclosure.selectors` (query + ranking + fetching the rows shown); "
        "*page*: the whole HTTP response through Django's test client (routing, rate limiter, template); *API*: "
        "`/api/v1/public/...`.", "",
        NOTES, "",
    ]
    for res in results:
        lines += [f"## {res['vendor']} {res['server_version']}", "",
                  f"Data: {res['subjects']:,} subjects ({res['searchable']:,} findable: organisations and "
                  f"individual businesses), {res['records']:,} records with their publicity state "
                  f"({res['published']:,} published). Load {res['load_s']:.0f} s "
                  f"(subjects {res['load_subjects_s']:.0f} s incl. the trigram index, records and states "
                  f"{res['load_records_s']:.0f} s); database size {res['size_mb']:,.0f} MB; child wall time "
                  f"{res['wall_s']:.0f} s.", "",
                  "| measure | n | bare | selector | page | API |", "|---|---|---|---|---|---|"]
        for key, label in LABELS.items():
            m = res["measures"].get(key)
            if not m:
                continue
            lines.append(f"| {label} | {m['n']} | {_row('bare', m.get('bare'))} | {_row('selector', m.get('selector'))} "
                         f"| {_row('page', m.get('page'))} | {_row('api', m.get('api'))} |")
        lines += ["", "Plans:", ""] + [f"- {k}: `{v}`" for k, v in res["plans"].items()] + [""]
    lines += [
        "Targets (issue 4, PostgreSQL): p95 under 50 ms for search and 100 ms for a subject page.",
        "On SQLite a 2-character query that matches few names reads every name (trigrams cannot narrow it; a frequent "
        "one stops at the 201st match); PostgreSQL answers it from the bigram index. See docs/portal.md.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--queries", type=int, default=200, help="distinct queries per measure")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="print the report instead of writing RESULTS.md")
    parser.add_argument("--skip-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    results = []
    sqlite_dir = ROOT / "var" / "bench-portal"
    sqlite_dir.mkdir(parents=True, exist_ok=True)
    sqlite_file = sqlite_dir / "portal.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(sqlite_file) + suffix).unlink(missing_ok=True)
    if not args.skip_sqlite:
        print(f"SQLite: {args.subjects:,} subjects, {args.records:,} records …", flush=True)
        prepare(f"sqlite:///{sqlite_file}", _env(f"sqlite:///{sqlite_file}"))
        results.append(_run_child(f"sqlite:///{sqlite_file}", args))
    server = os.environ.get("PUBCREDIT_DATABASE_URL", "")
    if server.startswith("postgres"):
        print("PostgreSQL …", flush=True)
        results.append(_run_child(_fresh_pg_url(server), args))
    else:
        print("PostgreSQL: PUBCREDIT_DATABASE_URL not set (run under scripts/pg-cluster run): skipped", flush=True)
    text = report(results, args, _machine())
    if args.no_write:
        print(text)
    else:
        RESULTS.write_text(text, encoding="utf-8")
        print(f"wrote {RESULTS}")
        print(text)


# ------------------------------------------------------------------------------------------------------------
# The child: migrate, load, measure (Django set up for one database)

TRADE = list("鑫源宏达金诚华瑞恒通齐鲁泰和丰博元中创汇永盛福临东岳聚安凯润德信稷下新天成万隆昌嘉禾世远正大蓝海"
             "兴旺隆盛茂祥瑞康宁泽腾飞跃龙凤祥云海川山峰林森晨光明辉煌锦绣华夏中鼎立信合力众邦亿家佳乐美")
INDUSTRIES = ["化工", "陶瓷", "机械制造", "医药", "建材", "纺织", "商贸", "食品", "物流", "电子科技", "耐火材料",
              "建筑工程", "餐饮管理", "环保科技", "汽车销售", "新材料", "玻璃", "塑料制品", "农业科技", "信息技术"]
SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司"]
PLACES = ["淄博", "张店", "淄川", "博山", "临淄", "周村", "桓台", "高青", "沂源"]
SHOPS = ["面馆", "超市", "烧烤店", "五金店", "理发店", "便利店", "水果店", "修车铺", "服装店", "药店"]
SURNAMES = list("王李张刘陈杨赵黄周吴孙马朱胡郭何高林罗郑")
RARE_PAIRS = ["龘靐", "齉龖", "爩鬱", "饕餮", "麤鱻", "灥麣", "靐齾", "厵爨"]


def _percentiles(samples: list[float]) -> dict[str, float]:
    data = sorted(samples)

    def pick(q):
        return data[min(len(data) - 1, max(0, round(q * (len(data) - 1))))] * 1000

    return {"p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99), "n": len(data)}


def _time(fn, items, warmup: int = 5) -> dict[str, float]:
    for item in items[:warmup]:
        fn(item)
    samples = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        samples.append(time.perf_counter() - started)
    return _percentiles(samples)


def child(args) -> None:  # noqa: C901  (one linear script)
    import random
    import uuid

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from pubcredit.accounts.models import Department, District
    from pubcredit.disclosure import selectors
    from pubcredit.publicity.models import PublicityState
    from pubcredit.records.models import CreditRecord
    from pubcredit.rules.identifiers import uscc_check_char
    from pubcredit.subjects.models import Subject

    settings.DEBUG = False  # no query log in the timed loops
    out = open(os.devnull, "w")  # noqa: SIM115
    call_command("migrate", verbosity=0, stdout=out)
    vendor = connection.vendor
    rng = random.Random(args.seed)
    log = sys.stderr.write

    # --- departments (the demo's) -----------------------------------------------------------------------------
    from pubcredit.rulebook.loader import load_yaml

    dept_ids = []
    for i, item in enumerate(load_yaml("demo.yaml")["departments"], start=1):
        first17 = f"11370300MB{i:06d}0"
        dept, _ = Department.objects.get_or_create(code=item["code"], defaults={
            "name": item["name"], "uscc": first17 + uscc_check_char(first17), "level": "city"})
        dept_ids.append(dept.pk)
    districts = list(District.objects.exclude(division_code="").values_list("id", "division_code"))

    connection.ensure_connection()
    raw = connection.connection  # sqlite3 / psycopg connection, in autocommit mode: transactions are explicit below
    now = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)

    # --- subjects ------------------------------------------------------------------------------------------------
    def subjects():
        for i in range(1, args.subjects + 1):
            district_id, division = districts[i % len(districts)]
            roll = i % 10
            if roll < 7:
                name = (f"{rng.choice(PLACES)}{rng.choice(TRADE)}{rng.choice(TRADE)}{rng.choice(INDUSTRIES)}"
                        f"{rng.choice(SUFFIXES)}")
                kind, reg = "legal_person", "91"
            elif roll < 9:
                name = f"{rng.choice(PLACES)}{rng.choice(SURNAMES)}记{rng.choice(TRADE)}{rng.choice(SHOPS)}"
                kind, reg = "individual_business", "92"
            else:
                name = rng.choice(SURNAMES) + rng.choice(TRADE) + rng.choice(TRADE)
                yield (i, "natural_person", name, None, f"{i:064x}", "x", f"370303********{i % 10000:04d}",
                       district_id, now, now)
                continue
            first17 = f"{reg}{division}{i:09d}A"[:17]
            yield (i, kind, name, first17 + uscc_check_char(first17), None, "", "", district_id, now, now)

    cols = "id, kind, name, uscc, id_hash, id_encrypted, id_masked, district_id, created_at, updated_at"
    started = time.perf_counter()
    if vendor == "sqlite":
        raw.execute("PRAGMA synchronous=OFF")
        raw.execute("BEGIN")
        batch = []
        for row in subjects():
            batch.append(row)
            if len(batch) >= 50_000:
                raw.executemany(f"INSERT INTO subjects_subject ({cols}) VALUES (?,?,?,?,?,?,?,?,?,?)", batch)
                batch = []
        if batch:
            raw.executemany(f"INSERT INTO subjects_subject ({cols}) VALUES (?,?,?,?,?,?,?,?,?,?)", batch)
        raw.execute("COMMIT")
    else:
        with raw.cursor() as cur:
            cur.execute("DROP INDEX IF EXISTS portal_subject_name_trgm")
            cur.execute("DROP INDEX IF EXISTS portal_subject_name_bigram")
            with cur.copy(f"COPY subjects_subject ({cols}) FROM STDIN") as copy:
                for row in subjects():
                    copy.write_row(row)
            cur.execute("CREATE INDEX portal_subject_name_trgm ON subjects_subject USING gin (name gin_trgm_ops)")
            cur.execute("CREATE INDEX portal_subject_name_bigram ON subjects_subject USING gin "
                        "(portal_name_bigrams(name))")
            cur.execute(f"SELECT setval(pg_get_serial_sequence('subjects_subject', 'id'), {args.subjects})")
    load_subjects = time.perf_counter() - started
    log(f"  subjects loaded in {load_subjects:.1f} s\n")

    # --- records and publicity states --------------------------------------------------------------------------
    fields_penalty = {"legal_rep": "王伟", "violation_type": "超标排放大气污染物", "violation_facts": "经查，当事人超标排放。",
                      "penalty_basis": "《中华人民共和国大气污染防治法》第九十九条", "penalty_types": ["fine"],
                      "penalty_content": "罚款10万元", "fine_amount": 10.0, "authority_name": "淄博市生态环境局"}
    fields_licence = {"legal_rep": "王伟", "license_doc_name": "排污许可决定书", "license_category": "general",
                      "certificate_name": "排污许可证", "license_content": "排污许可", "valid_from": "2026-01-01",
                      "valid_to": "2031-01-01", "authority_name": "淄博市生态环境局", "status": "valid"}
    findable = [i for i in range(1, args.subjects + 1) if i % 10 < 9]
    rec_cols = ("id, class_code, subject_id, department_id, key_hash, decision_no, decision_date, received_at, "
                "updated_at, version, fields, content_hash, status, status_reason, delay_working_days, on_time, "
                "rulebook_version")
    st_cols = ("record_id, state, severity, regime, published, publish_from, repairable_from, publish_until, ended_on, "
               "shared, reason_zh, reason_en, rule_version, rulebook_version, record_version, assessed_on, class_code, "
               "decision_date, subject_id, department_id, updated_at, provisional")
    day0 = dt.date(2024, 1, 1)

    def records():
        for i in range(1, args.records + 1):
            licence = i % 2 == 0
            subject_id = rng.choice(findable) if i % 20 else rng.randint(1, args.subjects)
            decided = day0 + dt.timedelta(days=rng.randrange(1050))
            dept = rng.choice(dept_ids)
            fields = fields_licence if licence else fields_penalty
            code = "admin_license" if licence else "admin_penalty"
            rec = (i, code, subject_id, dept, f"{i:064x}", f"淄环{'许' if licence else '罚'}〔{decided.year}〕{i}号",
                   decided, now, now, 1, json.dumps(fields | {"decision_date": decided.isoformat()},
                                                     ensure_ascii=False), "h", "active", "", 2, True, "bench")
            roll = rng.random()
            if licence:
                state, sev, regime, until, rep = ("published" if roll < 0.9 else "withheld"), "", "shuanggongshi", None, None
            else:
                state = "published" if roll < 0.55 else ("withheld" if roll < 0.8 else "expired")
                sev = "general" if roll < 0.4 else ("serious" if roll < 0.55 else "minor")
                regime, until, rep = "ndrc_order_36", decided + dt.timedelta(days=364), decided + dt.timedelta(days=90)
            published = state != "withheld"
            st = (i, state, sev, regime, published, decided if published else None, rep if published else None,
                  until if published else None, None, True, "bench", "bench", f"{regime}@1", "bench", 1,
                  dt.date(2026, 11, 20), code, decided, subject_id, dept, now, False)
            yield rec, st

    started = time.perf_counter()
    if vendor == "sqlite":
        rq = f"INSERT INTO records_creditrecord ({rec_cols}) VALUES ({','.join('?' * 17)})"
        sq = f"INSERT INTO publicity_publicitystate ({st_cols}) VALUES ({','.join('?' * 22)})"
        rb, sb = [], []
        raw.execute("BEGIN")
        for rec, st in records():
            rb.append(rec)
            sb.append(st)
            if len(rb) >= 50_000:
                raw.executemany(rq, rb)
                raw.executemany(sq, sb)
                rb, sb = [], []
        if rb:
            raw.executemany(rq, rb)
            raw.executemany(sq, sb)
        raw.execute("COMMIT")
        raw.execute("ANALYZE")
        raw.execute("PRAGMA synchronous=NORMAL")
    else:
        pending_states = []
        with raw.cursor() as cur:
            with cur.copy(f"COPY records_creditrecord ({rec_cols}) FROM STDIN") as copy:
                for rec, st in records():
                    copy.write_row(rec)
                    pending_states.append(st)
            with cur.copy(f"COPY publicity_publicitystate ({st_cols}) FROM STDIN") as copy:
                for st in pending_states:
                    copy.write_row(st)
            cur.execute(f"SELECT setval(pg_get_serial_sequence('records_creditrecord', 'id'), {args.records})")
        pending_states = []
        with raw.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    load_records = time.perf_counter() - started
    log(f"  records loaded in {load_records:.1f} s\n")

    # --- size and server --------------------------------------------------------------------------------------
    with connection.cursor() as cur:
        if vendor == "sqlite":
            cur.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
            size = cur.fetchone()[0]
            cur.execute("SELECT sqlite_version()")
        else:
            cur.execute("SELECT pg_database_size(current_database())")
            size = cur.fetchone()[0]
            cur.execute("SHOW server_version")
        server_version = cur.fetchone()[0]

    # --- queries ------------------------------------------------------------------------------------------------
    n = args.queries
    names = list(Subject.objects.filter(pk__in=rng.sample(findable, min(len(findable), n * 3)))
                 .values_list("name", "uscc", "pk"))
    rng.shuffle(names)
    q3 = []
    for name, _, _ in names:
        body = name[2:]  # past the place name: trade name and industry, as people type them
        length = rng.choice([3, 4, 4, 5, 6])
        start = rng.randrange(0, max(1, len(body) - length))
        q3.append(body[start:start + length])
    q3 = list(dict.fromkeys(q3))[:n]
    q2 = list(dict.fromkeys(name[2:4] for name, _, _ in names))[:n]
    q2_none = [a + b for a in "龘靐齉龖爩鬱饕餮麤鱻灥麣厵爨" for b in "龘靐齉龖爩鬱饕餮麤鱻灥麣厵爨" if a != b][:max(20, n // 4)]
    codes = [u for _, u, _ in names if u][:n]
    sampled = rng.sample(range(1, args.records + 1), min(args.records, n * 20))
    with_records = {sid for sid in PublicityState.objects.filter(record_id__in=sampled, state="published")
                    .values_list("subject_id", flat=True) if sid % 10 < 9}
    pages = sorted(with_records)[:n]
    rng.shuffle(pages)
    uscc_of = dict(Subject.objects.filter(pk__in=pages).values_list("pk", "uscc"))

    # the findable-subjects condition comes with its own parameters (since lists publish persons): bound each time
    kinds, kind_params = selectors._kind_filter_sql("s")

    def bare_search(q):
        with connection.cursor() as cur:
            like = "LIKE" if q.lower() == q.upper() else "ILIKE"  # as the selector does
            if vendor == "postgresql" and len(q) >= 3:
                cur.execute(f"SELECT s.id FROM subjects_subject s WHERE s.name {like} %s AND {kinds} LIMIT 201",
                            [f"%{q}%", *kind_params])
            elif vendor == "postgresql":
                cur.execute("SELECT s.id FROM subjects_subject s WHERE portal_name_bigrams(s.name) @> "
                            f"ARRAY[lower(%s)]::text[] AND s.name {like} %s AND {kinds} LIMIT 201", [q, f"%{q}%", *kind_params])
            elif len(q) >= 3:
                cur.execute("SELECT s.id FROM portal_subject_fts JOIN subjects_subject s ON s.id = "
                            f"portal_subject_fts.rowid WHERE portal_subject_fts MATCH %s AND {kinds} LIMIT 201",
                            [f'"{q}"', *kind_params])
            else:
                cur.execute(f"SELECT s.id FROM subjects_subject s WHERE s.name LIKE %s AND {kinds} LIMIT 201",
                            [f"%{q}%", *kind_params])
            cur.fetchall()

    def bare_code(code):
        with connection.cursor() as cur:
            cur.execute("SELECT id FROM subjects_subject WHERE uscc = %s", [code])
            cur.fetchall()

    def bare_subject(pk):
        with connection.cursor() as cur:
            for code in ("admin_license", "admin_penalty"):
                cur.execute("SELECT p.record_id, r.fields FROM publicity_publicitystate p JOIN records_creditrecord r "
                            "ON r.id = p.record_id WHERE p.subject_id = %s AND p.state = 'published' AND "
                            "p.class_code = %s ORDER BY p.decision_date DESC, p.record_id DESC LIMIT 21", [pk, code])
                cur.fetchall()

    client = Client()
    measures: dict[str, dict] = {}
    unlimited = override_settings(PUBCREDIT_PORTAL_RATE_LIMITS={"search": None, "page": None})
    unlimited.enable()

    def get(url, **params):
        response = client.get(url, params)
        assert response.status_code == 200, (url, params, response.status_code)

    q2_common = ["有限", "公司", "科技", "化工", "商贸", "淄博", "张店", "超市", "医药", "建材", "食品", "物流",
                 "面馆", "材料", "工程", "股份", "责任", "陶瓷", "机械", "纺织"]
    for key, queries in (("search_3plus", q3), ("search_2", q2), ("search_2_common", q2_common),
                         ("search_2_none", q2_none)):
        log(f"  {key}: {len(queries)} queries\n")
        measures[key] = {
            "n": len(queries), "bare": _time(bare_search, queries),
            "selector": _time(lambda q: selectors.subject_search_public(query=q), queries),
            "page": _time(lambda q: get("/public/search/", q=q), queries),
            "api": _time(lambda q: get("/api/v1/public/search", q=q), queries),
        }
    measures["search_uscc"] = {
        "n": len(codes), "bare": _time(bare_code, codes),
        "selector": _time(lambda c: selectors.subject_search_public(query=c), codes),
        "page": _time(lambda c: get("/public/search/", q=c), codes),
        "api": _time(lambda c: get("/api/v1/public/search", q=c), codes),
    }
    log(f"  subject pages: {len(pages)}\n")
    measures["subject"] = {
        "n": len(pages), "bare": _time(bare_subject, pages),
        "selector": _time(lambda pk: selectors.subject_sections(subject=Subject.objects.get(pk=pk)), pages),
        "page": _time(lambda pk: get(f"/public/subjects/{pk}/"), pages),
        "api": _time(lambda pk: get(f"/api/v1/public/subjects/{uscc_of[pk]}"), [p for p in pages if uscc_of.get(p)]),
    }
    page_numbers = [1 + i % 20 for i in range(min(n, 100))]
    measures["listing"] = {"n": len(page_numbers), "page": _time(lambda p: get("/public/penalties/", page=p),
                                                                   page_numbers)}
    dept_codes = list(Department.objects.values_list("code", flat=True))
    filters = [(dept_codes[i % len(dept_codes)], 1 + i % 5) for i in range(min(n, 100))]
    measures["listing_department"] = {"n": len(filters), "page": _time(
        lambda f: get("/public/penalties/", department=f[0], page=f[1]), filters)}
    unlimited.disable()

    # --- plans --------------------------------------------------------------------------------------------------
    plans = {}
    with connection.cursor() as cur:
        sample3, sample2 = q3[0], q2[0]
        if vendor == "sqlite":
            cur.execute("EXPLAIN QUERY PLAN SELECT s.id FROM portal_subject_fts JOIN subjects_subject s ON s.id = "
                        f"portal_subject_fts.rowid WHERE portal_subject_fts MATCH %s AND {kinds} LIMIT 201",
                        [f'"{sample3}"', *kind_params])
            plans["3+ chars"] = " | ".join(str(r[-1]) for r in cur.fetchall())
            cur.execute(f"EXPLAIN QUERY PLAN SELECT s.id FROM subjects_subject s WHERE s.name LIKE %s AND {kinds} "
                        "LIMIT 201", [f"%{sample2}%", *kind_params])
            plans["2 chars"] = " | ".join(str(r[-1]) for r in cur.fetchall())
        else:
            cur.execute(f"EXPLAIN SELECT s.id FROM subjects_subject s WHERE s.name LIKE %s AND {kinds} LIMIT 201",
                        [f"%{sample3}%", *kind_params])
            plans["3+ chars"] = " | ".join(r[0].strip() for r in cur.fetchall())
            cur.execute("EXPLAIN SELECT s.id FROM subjects_subject s WHERE portal_name_bigrams(s.name) @> "
                        f"ARRAY[lower(%s)]::text[] AND s.name LIKE %s AND {kinds} LIMIT 201",
                        [sample2, f"%{sample2}%", *kind_params])
            plans["2 chars"] = " | ".join(r[0].strip() for r in cur.fetchall())
        cur.execute("EXPLAIN " + ("QUERY PLAN " if vendor == "sqlite" else "") +
                    "SELECT p.record_id FROM publicity_publicitystate p WHERE p.subject_id = %s AND "
                    "p.state = 'published' AND p.class_code = 'admin_penalty' ORDER BY p.decision_date DESC, "
                    "p.record_id DESC LIMIT 21", [pages[0]])
        plans["subject section"] = " | ".join(str(r[-1] if vendor == "sqlite" else r[0]).strip() for r in cur.fetchall())

    print(json.dumps({
        "vendor": "SQLite" if vendor == "sqlite" else "PostgreSQL", "server_version": server_version,
        "subjects": args.subjects, "searchable": len(findable), "records": args.records,
        "published": PublicityState.objects.filter(state="published").count(),
        "load_subjects_s": load_subjects, "load_records_s": load_records, "load_s": load_subjects + load_records,
        "size_mb": size / 1e6, "measures": measures, "plans": plans,
        "sample_queries": {"3+": q3[:5], "2": q2[:5], "2_none": q2_none[:3]},
        "uuid": str(uuid.uuid4()),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
