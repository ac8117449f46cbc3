"""Every write to red and black lists: entries derived from list-class records, removals, the daily expiry, and the
identification workflow of lists decided in the city (认定程序).

A package by concept (every name importable from ``pubcredit.lists.services`` as before): ``entries`` (entries
follow their records, removal, expiry) and ``identification`` (the city's own identification cases).
"""

from __future__ import annotations

from pubcredit.lists.services.entries import (ExpireResult, list_entries_sync, list_entry_reinstate, list_entry_remove,
                                              lists_expire_due, subject_key, SyncResult)
from pubcredit.lists.services.identification import (CASE_FIELDS, identification_check_basis, identification_decide,
                                                     identification_drop, identification_notify, identification_open,
                                                     identification_push, identification_record_defence)

__all__ = ["ExpireResult", "list_entries_sync", "list_entry_reinstate", "list_entry_remove", "lists_expire_due", "subject_key", "SyncResult",
           "CASE_FIELDS", "identification_check_basis", "identification_decide", "identification_drop",
           "identification_notify", "identification_open", "identification_push", "identification_record_defence"]
