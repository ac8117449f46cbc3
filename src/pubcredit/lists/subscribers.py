"""What lists do when records change (subscribed in ``ListsConfig.ready``): a list-class record's entry follows it."""

from __future__ import annotations

from pubcredit.lists.rulebook import is_list
from pubcredit.lists.services import list_entries_sync
from pubcredit.records.events import LISTS_ORDER, RecordsChanged, records_changed


def sync_entries(event: RecordsChanged) -> None:
    """Derive or update the entries of the list records among those written (红黑名单: entries follow their records),
    in the writer's transaction."""
    if any(is_list(code) for code in event.class_codes):
        list_entries_sync(event.record_ids, actor=event.actor)


def connect() -> None:
    records_changed.subscribe(sync_entries, name="lists.sync_entries", order=LISTS_ORDER)
