"""What publicity does when records or list entries change (subscribed in ``PublicityConfig.ready``): the records'
publicity state is assessed again in the writer's transaction, so a record is never stored without it."""

from __future__ import annotations

from pubcredit.lists.events import ListEntriesChanged, list_entries_changed
from pubcredit.publicity.services import publicity_assess
from pubcredit.records.events import PUBLICITY_ORDER, RecordsChanged, records_changed


def assess_changed_records(event: RecordsChanged) -> None:
    """Severity, window and state of the records created, corrected or revoked (docs/publicity.md)."""
    publicity_assess(event.changed_ids, actor=event.actor)


def assess_moved_entries(event: ListEntriesChanged) -> None:
    """名单公示 follows the entry: the records whose entries were created, moved or removed."""
    publicity_assess(event.record_ids, actor=event.actor)


def connect() -> None:
    records_changed.subscribe(assess_changed_records, name="publicity.assess", order=PUBLICITY_ORDER)
    list_entries_changed.subscribe(assess_moved_entries, name="publicity.assess_entries")
