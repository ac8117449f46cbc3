"""The records' domain event (信用记录变更事件): published by every write in ``records.services`` so that what is
derived from records (publicity state, list entries, the evaluation) follows without the writer importing it.

Subscribers (each registered in its app's ``AppConfig.ready``; docs/architecture.md "Records changed"):
publicity (order 10, in the transaction), lists (order 20, in the transaction), evaluation (on commit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pubcredit.domain_events import Topic

# the orders of the in-transaction subscribers: publicity first (a list record is assessed from the record as its
# entry will be derived), then the list entries (whose own event re-assesses the records whose entries moved)
PUBLICITY_ORDER = 10
LISTS_ORDER = 20


@dataclass(frozen=True)
class RecordsChanged:
    """These records changed (信用记录变更).

    ``changed_ids``: records created, given a new version or revoked. ``record_ids``: every record the write touched,
    including those resubmitted unchanged (a list entry missing for one of them is derived again).
    """

    class_codes: frozenset[str]
    changed_ids: tuple[int, ...]
    record_ids: tuple[int, ...]
    actor: Any
    cause: str  # "submit" or "revoke"


records_changed: Topic[RecordsChanged] = Topic("records.changed")
