"""A small pre-forking WSGI server from the standard library, for the check benchmark.

No production WSGI server (gunicorn, uWSGI, uvicorn…) is installed, and Django's ``runserver`` is one process
(one core under the GIL). This binds one listening socket, forks ``--workers`` processes, and each serves the
Django application with a fixed pool of ``--threads`` threads, so every thread keeps its database connection
(``CONN_MAX_AGE``) across requests. Connections are HTTP/1.0 (one request each), as ``wsgiref`` does.

    DJANGO_SETTINGS_MODULE=bench.checks.settings python bench/checks/serve.py --port 8765 --workers 2 --threads 8
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


class PoolServer(WSGIServer):
    """A WSGIServer on an inherited listening socket, handing each connection to a fixed thread pool."""

    def __init__(self, sock: socket.socket, threads: int):
        super().__init__(sock.getsockname(), QuietHandler, bind_and_activate=False)
        self.socket.close()
        self.socket = sock
        host, port = sock.getsockname()[:2]
        self.server_name, self.server_port = host, port
        self.setup_environ()
        self.pool = ThreadPoolExecutor(max_workers=threads)

    def process_request(self, request, client_address):
        self.pool.submit(self._handle, request, client_address)

    def _handle(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        except Exception:  # noqa: BLE001 - a broken connection must not kill the worker
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


def _worker(sock: socket.socket, threads: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.checks.settings")
    from pubcredit.wsgi import application  # loaded and frozen out of the garbage collector's reach (see there)

    server = PoolServer(sock, threads)
    server.set_app(application)
    server.serve_forever(poll_interval=0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=8)
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
            _worker(sock, args.threads)
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
