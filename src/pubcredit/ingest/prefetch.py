"""Reading a file's next chunk while the current one is written (预读, issue 18).

A bulk import alternates between Python work (decoding the file, building the chunk's frame, masking sensitive
cells) and waiting for the database (``COPY``, the set statements, the commit). :func:`read_ahead` moves the reading
(and, for the set-based path, the chunk's database-free preparation: ``setwise.chunk_prepare``) to a thread so it
overlaps the waits: the thread reads at most ``depth`` chunks ahead, so memory stays flat (the
chunk being written, the one ready, the one being read). Everything that writes stays in the caller's thread, in the
chunk's transaction, so kill-safety and resume are unchanged; an error met while reading (an unreadable part further
down the file) is raised to the caller where that chunk would have been, after the chunks before it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

__all__ = ["read_ahead"]

T = TypeVar("T")
_ITEM, _END, _ERROR = "item", "end", "error"


def read_ahead(items: Iterable[T], *, depth: int = 1) -> Iterator[T]:
    """``items`` in order, produced by a daemon thread at most ``depth`` items ahead of the consumer."""
    ready: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(message: tuple) -> bool:
        while not stop.is_set():
            try:
                ready.put(message, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((_ITEM, item)):
                    return
            put((_END, None))
        except BaseException as exc:  # noqa: BLE001 -- handed to the consumer, raised there
            put((_ERROR, exc))

    thread = threading.Thread(target=produce, name="ingest-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = ready.get()
            if kind == _ITEM:
                yield value
            elif kind == _END:
                return
            else:
                raise value
    finally:
        stop.set()  # the consumer stopped (done, failed or interrupted): the reader stops at its next chunk
        while not ready.empty():
            ready.get_nowait()
        thread.join(timeout=5)
