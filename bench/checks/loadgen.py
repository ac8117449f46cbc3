"""Load generator for the check benchmark (asyncio, loopback, bounded requests and time).

Two modes, both printing one JSON line:

- ``closed``: ``--concurrency`` workers send back to back until ``--requests`` are done or ``--seconds`` passed:
  the throughput the server sustains;
- ``open``: requests start at a fixed ``--rate`` per second for ``--seconds`` (at most ``--requests``), whether or
  not earlier ones finished; latency is counted from the scheduled start, so a slow server cannot hide queueing
  (no coordinated omission).

Bodies are JSON built from ``--payloads`` (a JSON file: a list of objects, used round robin), POSTed to ``--path``
with an optional bearer ``--token``; each request is a new HTTP/1.0 connection (the server closes it).

``--trace FILE`` (open mode) writes one CSV line per request with its monotonic clock times (scheduled, task started,
connected, answered) and sends its number in an ``X-Bench-Seq`` header, so that ``trace_report.py`` can put it
beside the server's own times of the same request.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import statistics
import time


def _request(host: str, port: int, path: str, body: bytes, token: str) -> bytes:
    head = [f"POST {path} HTTP/1.0", f"Host: {host}:{port}", "Content-Type: application/json",
            f"Content-Length: {len(body)}"]
    if token:
        head.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def _one(host: str, port: int, raw: bytes, timeout: float, times: list[float] | None = None) -> int:
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    if times is not None:
        times.append(time.perf_counter())
    try:
        writer.write(raw)
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    return int(data[9:12]) if len(data) >= 12 else 0


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _summary(mode: str, latencies: list[float], statuses: dict[int, int], errors: int, elapsed: float,
             **extra) -> dict:
    ms = [x * 1000 for x in latencies]
    ok = statuses.get(200, 0)
    return {"mode": mode, "requests": len(latencies) + errors, "ok": ok, "statuses": statuses, "errors": errors,
            "seconds": round(elapsed, 3), "throughput_rps": round(ok / elapsed, 1) if elapsed else 0.0,
            "p50_ms": round(_percentile(ms, 0.50), 2), "p95_ms": round(_percentile(ms, 0.95), 2),
            "p99_ms": round(_percentile(ms, 0.99), 2), "max_ms": round(max(ms), 2) if ms else None,
            "mean_ms": round(statistics.fmean(ms), 2) if ms else None, **extra}


async def closed(args, payloads: list[bytes]) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    counter = 0
    deadline = time.perf_counter() + args.seconds

    async def worker():
        nonlocal counter, errors
        while counter < args.requests and time.perf_counter() < deadline:
            raw = payloads[counter % len(payloads)]
            counter += 1
            start = time.perf_counter()
            try:
                status = await _one(args.host, args.port, raw, args.timeout)
            except (OSError, asyncio.TimeoutError):
                errors += 1
                continue
            latencies.append(time.perf_counter() - start)
            statuses[status] = statuses.get(status, 0) + 1

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(args.concurrency)))
    return _summary("closed", latencies, statuses, errors, time.perf_counter() - began, concurrency=args.concurrency)


async def open_loop(args, payloads: list[bytes]) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    total = min(args.requests, int(args.rate * args.seconds))
    interval = 1.0 / args.rate
    trace: list[tuple] = []
    began = time.perf_counter()

    async def fire(i: int, scheduled: float):
        nonlocal errors
        raw = payloads[i % len(payloads)]
        times = None
        if args.trace:
            raw = raw.replace(b"\r\n\r\n", f"\r\nX-Bench-Seq: {i}\r\n\r\n".encode(), 1)
            times = [time.perf_counter()]
        try:
            status = await _one(args.host, args.port, raw, args.timeout, times)
        except (OSError, asyncio.TimeoutError):
            errors += 1
            return
        done = time.perf_counter()
        latencies.append(done - scheduled)
        statuses[status] = statuses.get(status, 0) + 1
        if times is not None:
            trace.append((i, scheduled, *times, done, status))

    tasks = []
    for i in range(total):
        scheduled = began + i * interval
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(fire(i, scheduled)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - began
    if args.trace:
        with open(args.trace, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["seq", "scheduled", "started", "connected", "done", "status"])
            writer.writerows(sorted(trace))
    return _summary("open", latencies, statuses, errors, elapsed, rate=args.rate)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["closed", "open"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--payloads", required=True)
    parser.add_argument("--token", default="")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--trace", default="", help="open mode: write each request's times to this CSV file")
    args = parser.parse_args()
    with open(args.payloads, encoding="utf-8") as fh:
        bodies = [json.dumps(p, ensure_ascii=False).encode() for p in json.load(fh)]
    payloads = [_request(args.host, args.port, args.path, b, args.token) for b in bodies]
    result = asyncio.run(closed(args, payloads) if args.mode == "closed" else open_loop(args, payloads))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
