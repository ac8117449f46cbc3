"""Domain events (领域事件): a lower app tells higher ones that something happened without importing them.

The publishing app declares a :class:`Topic` with its event type (``records.events.records_changed``); a higher app
subscribes in its ``AppConfig.ready`` and the publisher calls ``topic.publish(event)`` after its write. Two kinds of
subscriber (docs/architecture.md "Records changed"):

- **in the transaction** (default): called at once, inside the publisher's transaction, in ``order``. Its writes
  commit or roll back with the publisher's, and an exception it raises propagates: the publisher's write is undone.
  For derived state the platform must never be without (a record's publicity state, its list entry).
- **on commit** (``on_commit=True``): queued with ``transaction.on_commit`` and run once the outermost transaction
  commits, never for a rolled-back write; a failure is logged, not raised (the write it follows is already
  committed). For follow-ups that may lag by seconds: enqueueing a background job.

Not Django's ``Signal``: its receivers run in the order they were connected (the order of ``INSTALLED_APPS``, out of
sight of the reader) and are held by weak reference; here the order is written at the subscription and the list of
subscribers can be read (:meth:`Topic.subscribers`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db import transaction

E = TypeVar("E")


@dataclass(frozen=True)
class Subscriber(Generic[E]):
    name: str
    handler: Callable[[E], None]
    order: int
    on_commit: bool


class Topic(Generic[E]):
    """One kind of event and its subscribers, called in ``(order, name)`` order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._subscribers: dict[str, Subscriber[E]] = {}

    def subscribe(self, handler: Callable[[E], None], *, name: str, order: int = 100, on_commit: bool = False) -> None:
        """Add ``handler`` under ``name``; subscribing the same name again replaces it (``ready`` may run twice)."""
        self._subscribers[name] = Subscriber(name, handler, order, on_commit)

    def unsubscribe(self, name: str) -> None:
        self._subscribers.pop(name, None)

    def subscribers(self) -> list[Subscriber[E]]:
        return sorted(self._subscribers.values(), key=lambda s: (s.order, s.name))

    def publish(self, event: E) -> None:
        for subscriber in self.subscribers():
            if subscriber.on_commit:
                transaction.on_commit(functools.partial(subscriber.handler, event), robust=True)
            else:
                subscriber.handler(event)
