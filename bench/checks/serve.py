"""A small pre-forking WSGI server from the standard library, for the check benchmark.

No production WSGI server (gunicorn, uWSGI, uvicorn…) is installed, and Django's ``runserver`` is one process
(one core under the GIL). This binds one listening socket, forks ``--workers`` processes, and each serves the
Django application with a fixed pool of ``--threads`` threads, so every thread keeps its database connection
(``CONN_MAX_AGE``) across requests. Connections are HTTP/1.0 (one request each), as ``wsgiref`` does.

    DJANGO_SETTINGS_MODULE=bench.checks.settings python bench/checks/serve.py --port 8765 --workers 2 --threads 8

``--trace DIR``: each worker keeps, per request, the monotonic clock times of its accept, of the pool thread taking
it up, and of the application's start and end (with the ``X-Bench-Seq`` the load generator sent), and the times it
opened a database connection, and its garbage collections; on SIGTERM it writes them to ``DIR/server-<pid>.csv``,
``DIR/connections-<pid>.csv`` and ``DIR/collections-<pid>.csv``. Per request it also sums the time spent in database
calls (``execute_wrapper``: round trip plus getting the GIL back) and the thread's CPU time.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import signal
import socket
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


class Trace:
    """Per-request times of one worker process (``--trace``), written out when the worker is stopped."""

    def __init__(self, directory: str):
        self.directory = directory
        self.requests: list[tuple] = []
        self.connections: list[tuple] = []
        self.collections: list[tuple] = []
        self.local = threading.local()

    def wrap(self, app):
        from django.db import connection

        def traced(environ, start_response):
            database = [0.0]

            def timed(execute, sql, params, many, context):
                began = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    database[0] += time.perf_counter() - began

            started, cpu = time.perf_counter(), time.thread_time()
            try:
                with connection.execute_wrapper(timed):
                    return app(environ, start_response)
            finally:
                self.requests.append((environ.get("PATH_INFO", ""), environ.get("HTTP_X_BENCH_SEQ", ""),
                                      threading.get_ident(), getattr(self.local, "accepted", 0.0),
                                      getattr(self.local, "taken", 0.0), started, time.perf_counter(),
                                      database[0], time.thread_time() - cpu))
        return traced

    def collection(self, phase: str, info: dict) -> None:
        if phase == "start":
            self.local.gc_start = time.perf_counter()
        else:
            began = getattr(self.local, "gc_start", time.perf_counter())
            self.collections.append((info["generation"], began, time.perf_counter()))

    def connection_opened(self, **_):
        self.connections.append((threading.get_ident(), time.perf_counter()))

    def write(self) -> None:
        pid = os.getpid()
        for name, header, rows in (("server", ["path", "seq", "thread", "accepted", "taken", "app_start", "app_end",
                                               "database", "cpu"], self.requests),
                                   ("connections", ["thread", "opened"], self.connections),
                                   ("collections", ["generation", "start", "end"], self.collections)):
            with open(os.path.join(self.directory, f"{name}-{pid}.csv"), "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(header)
                writer.writerows(rows)


class PoolServer(WSGIServer):
    """A WSGIServer on an inherited listening socket, handing each connection to a fixed thread pool."""

    trace: Trace | None = None

    def __init__(self, sock: socket.socket, threads: int):
        super().__init__(sock.getsockname(), QuietHandler, bind_and_activate=False)
        self.socket.close()
        self.socket = sock
        host, port = sock.getsockname()[:2]
        self.server_name, self.server_port = host, port
        self.setup_environ()
        self.pool = ThreadPoolExecutor(max_workers=threads)

    def process_request(self, request, client_address):
        self.pool.submit(self._handle, request, client_address, time.perf_counter())

    def _handle(self, request, client_address, accepted):
        if self.trace is not None:
            self.trace.local.accepted, self.trace.local.taken = accepted, time.perf_counter()
        try:
            self.finish_request(request, client_address)
        except Exception:  # noqa: BLE001 - a broken connection must not kill the worker
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


def _worker(sock: socket.socket, threads: int, trace_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.checks.settings")
    from pubcredit.wsgi import application  # loaded and frozen out of the garbage collector's reach (see there)

    server = PoolServer(sock, threads)
    if trace_dir:
        from django.db.backends.signals import connection_created

        trace = server.trace = Trace(trace_dir)
        connection_created.connect(trace.connection_opened, weak=False)
        gc.callbacks.append(trace.collection)
        application = trace.wrap(application)

        def stop(*_):
            trace.write()
            os._exit(0)

        signal.signal(signal.SIGTERM, stop)
    server.set_app(application)
    server.serve_forever(poll_interval=0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--trace", default="", help="a directory: write each worker's request times there on exit")
    args = parser.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    sock.listen(2048)
    children = []
    for _ in range(args.workers):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            _worker(sock, args.threads, args.trace)
            os._exit(0)
        children.append(pid)
    print(f"serving on http://{args.host}:{args.port} with {args.workers}×{args.threads}", flush=True)

    def stop(*_):
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for pid in children:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
