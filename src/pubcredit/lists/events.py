"""The lists' domain event (名单条目变更事件): published when list entries are created, moved or removed, so that the
publicity state of their records (名单公示 follows the entry) is re-assessed without lists importing publicity.
Publicity subscribes in its ``AppConfig.ready`` (in the transaction: docs/architecture.md "Records changed")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pubcredit.domain_events import Topic


@dataclass(frozen=True)
class ListEntriesChanged:
    """The entries of these records were created, changed or removed (``record_ids``: the list records)."""

    record_ids: tuple[int, ...]
    actor: Any


list_entries_changed: Topic[ListEntriesChanged] = Topic("lists.entries_changed")
