"""Producing the next item while the caller works on the current one (预读), on the second core.

Used where a long run alternates between Python work and waiting for the database: a file import reads and prepares
its next chunk while the current one is written (issue 18: decoding, the chunk's frame, ``setwise.chunk_prepare``),
and an evaluation run reads its next partition while the current one is scored and written (issue 14). The thread
runs at most ``depth`` items ahead, so memory stays flat (the item in use, the one ready, the one being produced).
Everything that writes stays in the caller's thread, so kill-safety and resume are unchanged; an error met while
producing is raised to the caller where that item would have been, after the items before it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

__all__ = ["read_ahead"]

T = TypeVar("T")
_ITEM, _END, _ERROR = "item", "end", "error"


def read_ahead(items: Iterable[T], *, depth: int = 1, name: str = "read-ahead",
               finish: Callable[[], None] | None = None) -> Iterator[T]:
    """``items`` in order, produced by a daemon thread at most ``depth`` items ahead of the consumer. When it ends
    (exhausted, failed, or the consumer stopped) the thread closes ``items`` and calls ``finish`` (e.g. closing the
    thread's own database connections); the consumer waits for it on leaving, so no reader is left behind."""
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
            try:
                for item in items:
                    if not put((_ITEM, item)):
                        return
                put((_END, None))
            finally:
                close = getattr(items, "close", None)
                if close:
                    close()
        except BaseException as exc:  # noqa: BLE001 -- handed to the consumer, raised there
            put((_ERROR, exc))
        finally:
            if finish:
                finish()

    thread = threading.Thread(target=produce, name=name, daemon=True)
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
        stop.set()  # the consumer stopped (done, failed or interrupted): the producer stops at its next item
        while not ready.empty():
            ready.get_nowait()
        thread.join(timeout=60)
