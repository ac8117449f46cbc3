"""Two checkouts importing the same file, one after the other (A/B under as close to the same load as a shared
machine allows): import and re-import times of each, with the load average.

    scripts/pg-cluster run .venv/bin/python bench/ingest/compare.py --rows 100000 /work/main /work/wt-bulkimport

Each run gets a freshly migrated database (migrated by that checkout's code) and imports the generated file with
``pubcredit import_records``, then imports it again (every row unchanged), in one child process whose
``PYTHONPATH`` is the checkout's ``src``; the checkouts share this virtualenv. ``--rounds N`` repeats the list, so
that ``A B A B`` alternates. Not a benchmark of its own: it tells whether a change shows above the machine's noise.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402

CHILD = r'''
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pubcredit.settings")
import django; django.setup()
from io import StringIO
from django.core.management import call_command
times = []
for _ in range(2):  # the import, then the same file again (every row unchanged)
    start = time.perf_counter()
    call_command("import_records", sys.argv[1], "--class", "admin_penalty", "--department", "SCJGJ", stdout=StringIO())
    times.append(time.perf_counter() - start)
print(*times)
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="+", type=Path, help="repository roots (their src/ is imported)")
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    pg_url = os.environ["PUBCREDIT_DATABASE_URL"]
    print("| checkout | import s | re-import s (× faster) | load while importing |\n|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="pubcredit-compare-") as tmp:
        csv_path = Path(tmp) / "penalties.csv"
        bench.generate(csv_path, args.rows)
        for checkout in args.checkouts * args.rounds:
            url, drop = bench.fresh_postgres(pg_url)
            try:
                env = {**bench._env(url), "PYTHONPATH": str(checkout.resolve() / "src")}
                bench.set_up(env)
                before = os.getloadavg()[0]
                out = subprocess.run([sys.executable, "-c", CHILD, str(csv_path)], env=env, check=True,
                                     capture_output=True, text=True)
                first, again = map(float, out.stdout.split())
                print(f"| {checkout.resolve().name} | {first:.1f} | {again:.1f} ({first / again:.1f}×) | "
                      f"{before:.1f}–{os.getloadavg()[0]:.1f} |", flush=True)
            finally:
                drop()


if __name__ == "__main__":
    main()
