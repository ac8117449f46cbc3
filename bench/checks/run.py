"""Benchmark: ``POST /api/v1/checks`` against a bare Ninja endpoint doing one indexed lookup, same server, same run.

    scripts/pg-cluster run .venv/bin/python bench/checks/run.py --subjects 1000000 --entries 100000

1. a fresh database (PostgreSQL: ``pubcredit_bench_checks`` on the server of ``PUBCREDIT_DATABASE_URL``; without it a
   SQLite file under ``var/bench-checks``) is migrated and loaded (``load.py``);
2. gunicorn as deployed (``deploy/gunicorn.conf.py``: preloaded, gthread workers; ``--server serve`` for the
   earlier stdlib pre-forking server ``serve.py``, which ``--trace`` needs) serves the platform plus the baseline on
   loopback;
3. the load generator (``loadgen.py``, another process) runs, for each endpoint, a warm-up, a closed-loop
   throughput run (bounded by ``--requests`` and ``--seconds``) and an open-loop run at ``--rate`` requests/s;
4. the figures, the machine and the date are appended to ``bench/checks/RESULTS.md`` (``--no-write`` prints only).

``--trace DIR`` also keeps, for the open-loop runs, every request's times on the client and in the server, the
times the server opened database connections, PostgreSQL's log of checkpoints, autovacuum runs and statements
slower than 20 ms, and samples of the backends' wait events and of the machine's CPU split (``sampler.py``); ``trace_report.py DIR`` then says where the slowest requests spent their time.

Target (issue 5): on PostgreSQL the check sustains ≥ 0.5 of the baseline's throughput, and p99 < 50 ms at 200/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sampler import Sampler, cpu_share, cpu_ticks

ROOT = Path(__file__).resolve().parents[2]

sys.path.insert(0, str(ROOT / "bench"))
from migrated import prepare  # noqa: E402  (bench/migrated.py: a migrated SQLite template, copied)
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
DB_NAME = "pubcredit_bench_checks"
SERVERS = {"gunicorn": "gunicorn (`deploy/gunicorn.conf.py`, gthread, preloaded)", "serve": "`serve.py`"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fresh_pg_url(server_url: str) -> str:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
                     "LC_CTYPE 'C.UTF-8'")
    return server_url.rsplit("/", 1)[0] + "/" + DB_NAME


def _env(url: str, settings: str = "pubcredit.settings") -> dict[str, str]:
    return {**os.environ, "PUBCREDIT_DATABASE_URL": url, "PUBCREDIT_SECRET_KEY": "bench-" + "k" * 50,
            "PUBCREDIT_DEBUG": "0", "PUBCREDIT_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SETTINGS_MODULE": settings, "PUBCREDIT_VAR_DIR": str(ROOT / "var" / "bench-checks"),
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}


def _machine() -> str:
    memory = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.splitlines()
    total = memory[1].split()[1] if len(memory) > 1 else "?"
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return f"{os.cpu_count()} cores ({cpu}), {total} GiB RAM, {platform.platform()}, Python {platform.python_version()}"


def _wait(port: int, seconds: float = 300) -> None:
    # generous: on a loaded machine the first answer (the OpenAPI description, built once per process) takes a while
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=30)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the benchmark server did not come up")


def _load(env: dict, args) -> dict:
    saved = ROOT / "var" / "bench-checks" / "loaded.json"
    if args.reuse and saved.exists():
        return json.loads(saved.read_text())
    prepare(env["PUBCREDIT_DATABASE_URL"], env)
    subprocess.run([PYTHON, "-m", "django", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    started = time.perf_counter()
    out = subprocess.run([PYTHON, str(HERE / "load.py"), "--subjects", str(args.subjects), "--entries",
                          str(args.entries), "--history", str(args.history), "--out",
                          str(ROOT / "var" / "bench-checks")],
                         env=env, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    loaded = json.loads(out.strip().splitlines()[-1])
    loaded["load_s"] = round(time.perf_counter() - started, 1)
    saved.write_text(json.dumps(loaded))
    return loaded


def _gen(port: int, mode: str, path: str, payloads: str, token: str, args, **extra) -> dict:
    cmd = [PYTHON, str(HERE / "loadgen.py"), mode, "--port", str(port), "--path", path, "--payloads", payloads,
           "--token", token, "--concurrency", str(args.concurrency), "--rate", str(args.rate)]
    for key, value in extra.items():
        cmd += [f"--{key}", str(value)]
    before = cpu_ticks()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    # the host's steal varies from run to run on a shared machine and moves every figure: kept with each phase
    return {**json.loads(out.strip().splitlines()[-1]), "cpu": cpu_share(before, cpu_ticks())}


def _load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _postgres_log(url: str) -> Path | None:
    """Turn on PostgreSQL's logging of checkpoints, autovacuum and slow statements; the server log's path
    (``scripts/pg-cluster`` writes it beside the data directory), or None when it is not there."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for name, value in (("log_checkpoints", "on"), ("log_autovacuum_min_duration", "0"),
                            ("log_min_duration_statement", "20"), ("log_line_prefix", "%m [%p] ")):
            conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
        conn.execute("SELECT pg_reload_conf()")
        data = Path(conn.execute("SHOW data_directory").fetchone()[0])
    log = data.parent / "server.log"
    return log if log.exists() else None


def _trace_start(url: str, trace: Path) -> tuple[Path | None, int]:
    trace.mkdir(parents=True, exist_ok=True)
    for old in trace.glob("*.csv"):
        old.unlink()
    # one reading of both clocks, so PostgreSQL's wall-clock log lines can be set beside the monotonic traces
    (trace / "clock.json").write_text(json.dumps({"wall": time.time(), "monotonic": time.perf_counter()}))
    log = _postgres_log(url) if url.startswith("postgres") else None
    return log, (log.stat().st_size if log else 0)


def _run(url: str, args) -> dict:
    env = _env(url)
    load_before = _load_average()
    loaded = _load(env, args)
    port = _free_port()
    trace = Path(args.trace).resolve() if args.trace else None
    if trace:
        pg_log, pg_log_offset = _trace_start(url, trace)
    server_env = _env(url, "bench.checks.settings")
    if args.server == "gunicorn":  # as deployed: the repository's configuration, sized by its environment settings
        serve = [str(Path(PYTHON).parent / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
        server_env.update({"PUBCREDIT_BIND": f"127.0.0.1:{port}", "PUBCREDIT_WEB_WORKERS": str(args.workers),
                           "PUBCREDIT_WEB_THREADS": str(args.threads), "PUBCREDIT_WEB_ACCESS_LOG": ""})
    else:
        serve = [PYTHON, str(HERE / "serve.py"), "--port", str(port), "--workers", str(args.workers),
                 "--threads", str(args.threads)] + (["--trace", str(trace)] if trace else [])
    server = subprocess.Popen(serve, env=server_env, cwd=ROOT)
    try:
        _wait(port)
        token = loaded["token"]
        endpoints = {"bare": ("/bench/lookup", loaded["payloads"]["bare"], ""),
                     "check": ("/api/v1/checks", loaded["payloads"]["checks"], token)}
        results: dict[str, dict] = {}
        for name, (path, payloads, tok) in endpoints.items():
            _gen(port, "closed", path, payloads, tok, args, requests=args.warmup, seconds=30)  # warm caches, pools
        for name, (path, payloads, tok) in endpoints.items():
            results[f"{name}_closed"] = _gen(port, "closed", path, payloads, tok, args, requests=args.requests,
                                             seconds=args.seconds)
        sampler = Sampler(url if url.startswith("postgres") else None, trace) if trace else None
        if sampler:
            sampler.start()
        for name, (path, payloads, tok) in endpoints.items():
            extra = {"trace": trace / f"client-{name}.csv"} if trace else {}
            results[f"{name}_open"] = _gen(port, "open", path, payloads, tok, args,
                                           requests=int(args.rate * args.seconds), seconds=args.seconds, **extra)
        if sampler:
            sampler.stop()
    finally:
        server.terminate()
        server.wait(timeout=30)
    if trace and pg_log:
        with pg_log.open("rb") as fh:
            fh.seek(pg_log_offset)
            (trace / "postgres.log").write_bytes(fh.read())
    check_rows = subprocess.run([PYTHON, "-c", "import django; django.setup(); from pubcredit.sanctions.models import "
                                 "Check; from django.db import connection; print(Check.objects.count(), "
                                 "Check.objects.filter(hit_count__gt=0).count(), connection.vendor, "
                                 "connection.cursor().connection.info.server_version if connection.vendor == "
                                 "'postgresql' else __import__('sqlite3').sqlite_version)"],
                                env=env, capture_output=True, text=True, check=True).stdout.split()
    return {"vendor": check_rows[2], "server_version": check_rows[3], "loaded": loaded, "results": results,
            "checks_written": int(check_rows[0]) - loaded.get("history", 0), "checks_with_hits": int(check_rows[1]),
            "load_average": f"{load_before} before, {_load_average()} after"}


def _markdown(run: dict, args) -> str:
    r = run["results"]
    ratio = r["check_closed"]["throughput_rps"] / r["bare_closed"]["throughput_rps"]
    lines = [f"## {dt.date.today().isoformat()} · {run['vendor']} {run['server_version']}", "",  # noqa: DTZ011
             f"- machine: {_machine()}; load average (1/5/15 min) {run['load_average']}",
             f"- data: {run['loaded']['subjects']:,} subjects, {run['loaded']['entries']:,} list entries, "
             f"{run['loaded'].get('history', 0):,} earlier checks "
             f"(loaded in {run['loaded']['load_s']} s: {run['loaded']['timings']}); "
             f"{run['loaded']['listed_share_of_sample']:.1%} of the sampled subjects are listed",
             f"- server: {SERVERS[args.server]} {args.workers} processes × {args.threads} threads; load generator: asyncio, "
             f"same machine, new connection per request; closed loop: {args.concurrency} concurrent, ≤ "
             f"{args.requests} requests / {args.seconds} s; open loop: {args.rate:g}/s for {args.seconds} s",
             f"- checks written during the run: {run['checks_written']:,} ({run['checks_with_hits']:,} with hits)", "",
             "| endpoint | mode | requests | ok | throughput (req/s) | p50 ms | p95 ms | p99 ms | max ms | "
             "CPU busy / stolen |", "|---|---|---|---|---|---|---|---|---|---|"]
    for key, label in (("bare_closed", "bare lookup"), ("check_closed", "POST /api/v1/checks"),
                       ("bare_open", "bare lookup"), ("check_open", "POST /api/v1/checks")):
        x = r[key]
        mode = f"closed ×{x.get('concurrency')}" if x["mode"] == "closed" else f"open {x.get('rate'):g}/s"
        lines.append(f"| {label} | {mode} | {x['requests']} | {x['ok']} | {x['throughput_rps']} | {x['p50_ms']} | "
                     f"{x['p95_ms']} | {x['p99_ms']} | {x['max_ms']} | {x['cpu']['busy']:.0%} / "
                     f"{x['cpu']['steal']:.1%} |")
    p99 = r["check_open"]["p99_ms"]
    lines += ["", f"Check throughput / bare throughput: **{ratio:.2f}** (target ≥ 0.5); check p99 at "
                  f"{args.rate:g}/s: **{p99} ms** (target < 50 ms).", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--history", type=int, default=500_000, help="checks made before the run (load.py)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--server", choices=sorted(SERVERS), default="gunicorn",
                        help="gunicorn as deployed (default) or the stdlib serve.py (needed by --trace)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--warmup", type=int, default=2000)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--trace", default="", help="a directory: keep per-request times there (trace_report.py)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database and payloads of the previous run (PostgreSQL), skip the load")
    args = parser.parse_args()
    if args.trace and args.server != "serve":
        parser.error("--trace records the server's side through serve.py: add --server serve")
    server = os.environ.get("PUBCREDIT_DATABASE_URL", "")
    if args.reuse and server.startswith("postgres"):
        url = server.rsplit("/", 1)[0] + "/" + DB_NAME
    elif server.startswith("postgres"):
        url = _fresh_pg_url(server)
    else:
        path = ROOT / "var" / "bench-checks" / "checks.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            if not args.reuse:
                Path(str(path) + suffix).unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    run = _run(url, args)
    text = _markdown(run, args)
    print(text)
    print(json.dumps(run["results"]), file=sys.stderr)
    if not args.no_write:
        results = HERE / "RESULTS.md"
        head = "" if results.exists() else ("# bench/checks — results\n\nNewest first is not guaranteed: each run "
                                             "appends a dated section. How to run: `README.md`.\n\n")
        with results.open("a", encoding="utf-8") as fh:
            fh.write(head + text + "\n")


if __name__ == "__main__":
    main()
