"""Benchmark (issue 16): one subject with N records (default 500) → time of the report page's HTML, of the signed
PDF (snapshot + WeasyPrint + pyHanko), each stage on its own, and reports per second for a batch of the same subject.

    .venv/bin/python bench/reports/run.py [--records 500] [--repeat 5] [--batch 10] [--baseline] [--profile FILE]
    .venv/bin/python bench/reports/run.py --batch-subjects 1000 [--batch-records 3]

``--batch-subjects N``: instead, N subjects with ``--batch-records`` penalties each, one department batch of all their
codes rendered by the worker's function (``services.report_batch_render``: one report per subject, then the ZIP with
its manifest) in this process; reports per second, wall and CPU.

``--baseline`` also renders the same snapshot with ``baseline_report.html`` (the template before this change: one
table per record) in the same run, so both figures come from the same machine under the same load.
Runs on a fresh SQLite database in a temporary directory; prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))


def summary(times: list[float]) -> dict[str, float]:
    p95 = statistics.quantiles(times, n=20, method="inclusive")[-1] if len(times) >= 2 else times[0]
    return {"median_s": round(statistics.median(times), 3), "p95_s": round(p95, 3), "n": len(times)}


def timed(fn, repeat: int, cpu: list[float] | None = None) -> list[float]:
    """Wall seconds of each call; with ``cpu``, this process's CPU seconds of each call are appended to it."""
    times = []
    for _ in range(repeat):
        c0 = time.process_time()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - c0)
    return times


def batch_run(args, department, actor) -> dict:
    """A department's bidder list of ``--batch-subjects`` codes rendered as one batch (the task's own function)."""
    from pubcredit.reports import services
    from pubcredit.reports.models import ReportBatch
    from tests.factories import uscc
    from tests.publicity.factories import ndrc_penalty, submit

    codes = [uscc(1000 + i) for i in range(args.batch_subjects)]
    for start in range(0, len(codes), 200):  # one collection per 200 subjects
        submit([ndrc_penalty(i * args.batch_records + k + 1, subject_name=f"淄博批量测试有限公司{i}",
                             subject_uscc=codes[i]) for i in range(start, min(start + 200, len(codes)))
                for k in range(args.batch_records)], department=department, actor=actor)
    batch = ReportBatch.objects.create(department=department, requester_label="bench", kind="query", purpose="招投标",
                                       procedure="ZB-bench", codes=codes, created_at=services.clock.now())
    load_before = round(os.getloadavg()[0], 1)
    c0, t0 = time.process_time(), time.perf_counter()
    services.report_batch_render(batch.pk, actor_label="bench")
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    batch.refresh_from_db()
    issued = sum(1 for row in batch.manifest if row["number"])
    return {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "subjects": len(codes),
            "records_per_subject": args.batch_records, "issued": issued, "zip_mib": round(len(batch.archive) / 2**20, 1),
            "wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "reports_per_s_wall": round(issued / wall, 2),
            "reports_per_s_cpu": round(issued / cpu, 2), "load_before": load_before,
            "load_after": round(os.getloadavg()[0], 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=500)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", action="store_true", help="also time the previous template in the same run")
    parser.add_argument("--batch-subjects", type=int, default=0, help="time one batch of this many subjects instead")
    parser.add_argument("--batch-records", type=int, default=3, help="records per subject of --batch-subjects")
    parser.add_argument("--profile", help="write cProfile statistics (CPU time) of one report_issue to this file")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    os.environ.update(PUBCREDIT_DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}", PUBCREDIT_VAR_DIR=str(work),
                      PUBCREDIT_SECRET_KEY=os.environ.get("PUBCREDIT_SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
                      DJANGO_SETTINGS_MODULE="pubcredit.settings")
    sys.path.insert(0, str(ROOT / "bench"))
    from migrated import prepare  # bench/migrated.py: a migrated SQLite template, copied

    prepare(os.environ["PUBCREDIT_DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.template import engines
    from weasyprint import HTML

    from pubcredit.accounts.services import department_create
    from pubcredit.audit.services import SystemActor
    from pubcredit.reports import render, services, signing
    from pubcredit.subjects.models import Subject
    from tests.factories import uscc
    from tests.publicity.factories import ndrc_penalty, submit

    actor = SystemActor("bench")
    department = department_create(code="SCJGJ", name="淄博市市场监督管理局", uscc="11370300MB2851234B", actor=actor)
    rows = [ndrc_penalty(i + 1, subject_name="淄博基准测试有限公司", subject_uscc=uscc(1)) for i in range(args.records)]
    if args.batch_subjects:
        print(json.dumps(batch_run(args, department, actor), ensure_ascii=False, indent=1))
        return
    submit(rows, department=department, actor=actor)
    subject = Subject.objects.get(uscc=uscc(1))

    def snapshot():
        return services.build_snapshot(number="ZBXY0", kind="query", subject=subject, issued_at=services.clock.now(),
                                       requester="x", purpose="x", procedure="x", period=None)

    snap = snapshot()
    templates = {"current": lambda: render.report_html(snap)}
    if args.baseline:
        baseline = engines["django"].from_string((HERE / "baseline_report.html").read_text())
        templates["baseline"] = lambda: baseline.render(render.report_context(snap))

    def issue():
        services.report_issue(kind="query", subject=subject, actor=actor, requester="x", purpose="招投标",
                              procedure="ZB", department=department)

    issue()  # warm: fonts found, signing pair made, templates compiled
    result: dict = {"records": args.records, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                    "machine": f"{platform.node()} {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}",
                    "page_html": summary(timed(lambda: render.report_html(snapshot(), web=True), args.repeat))}
    for name, html_of in templates.items():
        html = html_of()
        stages = {"html": [], "layout": [], "write_pdf": [], "sign": []}
        cpu = []  # this process's CPU seconds: less affected by the other engineers' load than wall time
        for _ in range(args.repeat):
            c0 = time.process_time()
            t0 = time.perf_counter()
            html = html_of()
            t1 = time.perf_counter()
            document = HTML(string=html).render()
            t2 = time.perf_counter()
            pdf = document.write_pdf()
            t3 = time.perf_counter()
            signing.sign_pdf(pdf, reason="bench")
            t4 = time.perf_counter()
            cpu.append(time.process_time() - c0)
            for key, value in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                stages[key].append(value)
        result[name] = {"pages": len(document.pages), "pdf_kib": len(pdf) // 1024,
                        **{key: summary(values) for key, values in stages.items()},
                        "html_to_signed_pdf": summary([sum(v) for v in zip(*stages.values(), strict=True)]),
                        "html_to_signed_pdf_cpu": summary(cpu)}
    issue_cpu: list[float] = []
    result["issue_signed_pdf"] = summary(timed(issue, args.repeat, issue_cpu))
    result["issue_signed_pdf_cpu"] = summary(issue_cpu)
    start = time.perf_counter()
    for _ in range(args.batch):
        issue()
    result["batch_reports_per_s"] = round(args.batch / (time.perf_counter() - start), 2)
    result["load_after"] = round(os.getloadavg()[0], 1)
    if args.profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)  # CPU time: the other engineers' load does not count
        profiler.runcall(issue)
        profiler.dump_stats(args.profile)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
