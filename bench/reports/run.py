"""Benchmark (issue 16): one subject with N records (default 500) → time of the report page's HTML, of the signed
PDF (snapshot + WeasyPrint + pyHanko), and reports per second for a batch of the same subject.

    .venv/bin/python bench/reports/run.py [--records 500] [--batch 20]

Runs on a fresh SQLite database in a temporary directory; prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=500)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    os.environ.update(PUBCREDIT_DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}", PUBCREDIT_VAR_DIR=str(work),
                      PUBCREDIT_SECRET_KEY=os.environ.get("PUBCREDIT_SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
                      DJANGO_SETTINGS_MODULE="pubcredit.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from pubcredit.accounts.services import department_create
    from pubcredit.audit.services import SystemActor
    from pubcredit.reports import render, services
    from pubcredit.subjects.models import Subject
    from tests.factories import uscc
    from tests.publicity.factories import ndrc_penalty, submit

    actor = SystemActor("bench")
    department = department_create(code="SCJGJ", name="淄博市市场监督管理局", uscc="11370300MB2851234B", actor=actor)
    rows = [ndrc_penalty(i + 1, subject_name="淄博基准测试有限公司", subject_uscc=uscc(1)) for i in range(args.records)]
    submit(rows, department=department, actor=actor)
    subject = Subject.objects.get(uscc=uscc(1))

    def timed(fn):
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return times

    def page():
        snapshot = services.build_snapshot(number="ZBXY0", kind="query", subject=subject,
                                           issued_at=services.clock.now(), requester="x", purpose="x",
                                           procedure="x", period=None)
        render.report_html(snapshot, web=True)

    def pdf():
        services.report_issue(kind="query", subject=subject, actor=actor, requester="x", purpose="招投标",
                              procedure="ZB", department=department)

    page_times, pdf_times = timed(page), timed(pdf)
    start = time.perf_counter()
    for _ in range(args.batch):
        pdf()
    rate = args.batch / (time.perf_counter() - start)
    p95 = lambda xs: statistics.quantiles(xs, n=20)[-1] if len(xs) >= 2 else xs[0]  # noqa: E731
    print(json.dumps({"records": args.records, "page_html_median_s": round(statistics.median(page_times), 3),
                      "page_html_p95_s": round(p95(page_times), 3),
                      "signed_pdf_median_s": round(statistics.median(pdf_times), 3),
                      "signed_pdf_p95_s": round(p95(pdf_times), 3), "batch_reports_per_s": round(rate, 2)}))


if __name__ == "__main__":
    main()
