"""Where the slowest requests of a traced check benchmark spent their time (``run.py --trace DIR``).

    python bench/checks/trace_report.py var/bench-checks/trace [--endpoint check] [--slowest 0.01]

Joins each open-loop request's client times (``client-<endpoint>.csv``) with the server's times of the same request
(``server-*.csv``, by path and ``X-Bench-Seq``) and splits its latency into:

- ``late``: the load generator started it after its scheduled time (its own event loop was busy or descheduled);
- ``connect``: TCP connect on loopback, as the client saw it;
- ``backlog``: connected until a worker's main thread accepted it;
- ``queue``: accepted until a pool thread took it up;
- ``read``: the thread reading the request, up to the application's start;
- ``app``: Django and the view (token, facts, insert), of which ``database`` was spent in database calls (round trip
  and getting the GIL back) and ``cpu`` was the thread's own CPU time; the rest (``app`` less both) is the thread
  waiting for the GIL or for a core;
- ``return``: the application's end until the client had the whole answer (write, close, client loop).

Then it prints, for the slowest share, the mean of each part against all requests, the seconds of the run in which
the slow ones fall, and what else happened in those seconds: the machine's CPU use and steal, what the active
backends were waiting on (``sampler.py``), database connections opened by the server, garbage collections, and
PostgreSQL's log lines (checkpoints, autovacuum, slow statements).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import statistics
from collections import Counter
from pathlib import Path

PATHS = {"check": "/api/v1/checks", "bare": "/bench/lookup"}
PARTS = ("late", "connect", "backlog", "queue", "read", "app", "return")
APP_PARTS = ("database", "cpu", "waiting")
PG_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) (\w+) \[(\d+)\] (.*)$")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def requests(trace: Path, endpoint: str) -> list[dict[str, float]]:
    server = {}
    for file in trace.glob("server-*.csv"):
        for row in _rows(file):
            if row["path"] == PATHS[endpoint] and row["seq"]:
                server[int(row["seq"])] = {k: float(row[k]) for k in ("accepted", "taken", "app_start", "app_end",
                                                                      "database", "cpu")}
    joined = []
    for row in _rows(trace / f"client-{endpoint}.csv"):
        c = {k: float(row[k]) for k in ("scheduled", "started", "connected", "done")}
        s = server.get(int(row["seq"]))
        if s is None:
            continue
        joined.append({"seq": int(row["seq"]), "at": c["scheduled"], "latency": c["done"] - c["scheduled"],
                       "late": c["started"] - c["scheduled"], "connect": c["connected"] - c["started"],
                       "backlog": s["accepted"] - c["connected"], "queue": s["taken"] - s["accepted"],
                       "read": s["app_start"] - s["taken"], "app": s["app_end"] - s["app_start"],
                       "return": c["done"] - s["app_end"], "database": s["database"], "cpu": s["cpu"],
                       "waiting": s["app_end"] - s["app_start"] - s["database"] - s["cpu"]})
    return joined


def events(trace: Path) -> list[tuple[float, str]]:
    """Connections the server opened and PostgreSQL's log lines, on the monotonic clock."""
    found = []
    for file in trace.glob("connections-*.csv"):
        found += [(float(r["opened"]), f"server {file.stem.split('-')[1]} opened a database connection")
                  for r in _rows(file)]
    for file in trace.glob("collections-*.csv"):
        found += [(float(r["start"]), f"server {file.stem.split('-')[1]} gc gen{r['generation']} "
                   f"{(float(r['end']) - float(r['start'])) * 1000:.0f} ms") for r in _rows(file)
                  if r["generation"] == "2" or float(r["end"]) - float(r["start"]) > 0.002]
    log = trace / "postgres.log"
    if log.exists():
        clock = json.loads((trace / "clock.json").read_text())
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            match = PG_LINE.match(line)
            if match:
                wall = dt.datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=dt.timezone.utc)
                found.append((wall.timestamp() - clock["wall"] + clock["monotonic"], f"postgres: {match[4][:160]}"))
    return sorted(found)


def _per_second(trace: Path, start: float) -> tuple[dict[int, str], dict[int, str]]:
    """Per second of the run: the CPU split (busy %, steal %) and the active backends' commonest waits."""
    cpu: dict[int, str] = {}
    if (trace / "cpu.csv").exists():
        samples = [[float(x) for x in r.values()] for r in _rows(trace / "cpu.csv")]
        for before, after in zip(samples, samples[1:]):
            user, system, idle, iowait, steal = (b - a for a, b in zip(before[1:], after[1:]))
            total = (user + system + idle + iowait + steal) or 1
            cpu.setdefault(int(after[0] - start), f"{(user + system) / total:.0%} busy, {steal / total:.0%} steal")
    waits: dict[int, str] = {}
    if (trace / "activity.csv").exists():
        by_second: dict[int, Counter] = {}
        ticks: dict[int, set] = {}
        for r in _rows(trace / "activity.csv"):
            second = int(float(r["at"]) - start)
            by_second.setdefault(second, Counter())[f"{r['wait_type']}:{r['wait_event']}".rstrip(":")] += 1
            ticks.setdefault(second, set()).add(r["at"])
        for second, counts in by_second.items():
            n = len(ticks[second])
            waits[second] = ", ".join(f"{what} {count / n:.1f}" for what, count in counts.most_common(3))
    return cpu, waits


def report(trace: Path, endpoint: str, slowest: float) -> str:
    joined = requests(trace, endpoint)
    if not joined:
        return f"no traced {endpoint} requests in {trace}"
    start = min(r["at"] for r in joined)
    end = max(r["at"] + r["latency"] for r in joined)
    ordered = sorted(joined, key=lambda r: r["latency"])
    cut = ordered[max(0, int(len(ordered) * (1 - slowest)) - 1)]["latency"]
    slow = [r for r in joined if r["latency"] > cut]

    def ms(rows: list[dict[str, float]], key: str) -> float:
        return statistics.fmean(r[key] for r in rows) * 1000

    lines = [f"{endpoint}: {len(joined)} requests, {len(slow)} slower than {cut * 1000:.1f} ms", "",
             "| part | mean ms, all | mean ms, slowest | max ms, slowest |", "|---|---|---|---|"]
    for part in ("latency", *PARTS, *APP_PARTS):
        lines.append(f"| {part} | {ms(joined, part):.2f} | {ms(slow, part):.2f} | "
                     f"{max(r[part] for r in slow) * 1000:.1f} |")
    by_second: dict[int, list[dict]] = {}
    for r in slow:
        by_second.setdefault(int(r["at"] - start), []).append(r)
    happened = [(t, what) for t, what in events(trace) if start - 1 <= t <= end + 1]
    cpu, waits = _per_second(trace, start)
    lines += ["", "Each second of the run: its slow requests, the machine's CPU, the active backends (mean number "
              "sampled in each wait, `CPU`: running), and other events.", "",
              "| second | slow requests | their worst ms | their largest part | CPU | backends | other events |",
              "|---|---|---|---|---|---|---|"]
    for second in range(int(end - start) + 1):
        rows = by_second.get(second, [])
        parts: dict[str, float] = {p: sum(r[p] for r in rows) for p in (*PARTS, *APP_PARTS)}
        seen = [what for t, what in happened if second <= t - start < second + 1]
        lines.append(f"| {second} | {len(rows)} | {max((r['latency'] for r in rows), default=0) * 1000:.1f} | "
                     f"{max(parts, key=parts.get) if rows else ''} | {cpu.get(second, '')} | {waits.get(second, '')} | "
                     f"{'; '.join(sorted(set(seen)))[:300]} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trace")
    parser.add_argument("--endpoint", choices=sorted(PATHS), default="check")
    parser.add_argument("--slowest", type=float, default=0.01, help="the share of requests to look at (0.01: 1 %%)")
    args = parser.parse_args()
    print(report(Path(args.trace), args.endpoint, args.slowest))


if __name__ == "__main__":
    main()
