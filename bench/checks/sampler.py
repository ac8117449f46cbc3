"""What the machine and PostgreSQL were doing during a traced benchmark run (``run.py --trace``).

A thread samples, until stopped, the wait events of the benchmark database's active backends (``pg_stat_activity``,
every 25 ms) and the machine's CPU time split (``/proc/stat``: user, system, idle, iowait, steal; every 100 ms), on
the monotonic clock, and writes them to ``activity.csv`` and ``cpu.csv``; ``slru.json`` has PostgreSQL's SLRU
cache counters (transaction status, multixacts…) at start and stop.
"""

from __future__ import annotations

import csv
import json
import threading
import time
from pathlib import Path

ACTIVITY = ("SELECT coalesce(wait_event_type, 'CPU'), coalesce(wait_event, ''), left(query, 30) FROM pg_stat_activity "
            "WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()")


def cpu_ticks() -> list[int]:
    """The machine's CPU time so far, in ticks: user (with nice), system, idle, iowait, steal."""
    with open("/proc/stat", encoding="ascii") as fh:
        user, nice, system, idle, iowait, _irq, _softirq, steal = (int(x) for x in fh.readline().split()[1:9])
    return [user + nice, system, idle, iowait, steal]


class Sampler(threading.Thread):
    def __init__(self, url: str | None, directory: Path):
        super().__init__(daemon=True)
        self.url, self.directory = url, directory
        self.halt = threading.Event()
        self.activity: list[tuple] = []
        self.cpu: list[tuple] = []

    def run(self) -> None:
        conn = None
        if self.url:
            import psycopg

            conn = psycopg.connect(self.url, autocommit=True)
        if conn is not None:
            self.slru_before = self._slru(conn)
        tick = 0
        while not self.halt.wait(0.025):
            now = time.perf_counter()
            if conn is not None:
                self.activity += [(now, *row) for row in conn.execute(ACTIVITY).fetchall()]
            if tick % 4 == 0:
                self.cpu.append((now, *cpu_ticks()))
            tick += 1
        if conn is not None:
            self.slru_after = self._slru(conn)
            conn.close()

    @staticmethod
    def _slru(conn) -> dict[str, list[int]]:
        """PostgreSQL's SLRU caches (transaction status, multixacts…): pages zeroed, hit, read, written."""
        rows = conn.execute("SELECT name, blks_zeroed, blks_hit, blks_read, blks_written FROM pg_stat_slru").fetchall()
        return {name: list(values) for name, *values in rows}

    def stop(self) -> None:
        self.halt.set()
        self.join()
        if self.url:
            (self.directory / "slru.json").write_text(json.dumps({"before": self.slru_before,
                                                                  "after": self.slru_after}))
        for name, header, rows in (("activity", ["at", "wait_type", "wait_event", "query"], self.activity),
                                   ("cpu", ["at", "user", "system", "idle", "iowait", "steal"], self.cpu)):
            with (self.directory / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(header)
                writer.writerows(rows)


def cpu_share(before: list[int], after: list[int]) -> dict[str, float]:
    """The share of the machine's CPU time between two ``cpu_ticks()`` that was busy, and that the host stole."""
    user, system, idle, iowait, steal = (b - a for a, b in zip(before, after))
    total = (user + system + idle + iowait + steal) or 1
    return {"busy": round((user + system) / total, 3), "steal": round(steal / total, 3)}
