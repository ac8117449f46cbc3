"""The one way audit rows may be removed: Django's ``flush`` (a whole-database reset, which tests run between
transactional tests). Everything else is refused by triggers on both databases (migrations 0002-0004):

- SQLite: the DELETE triggers call ``pubcredit_audit_erasable()``, a function this module gives every connection the
  platform opens; it answers 1 only while ``flush`` runs. Any other program (the ``sqlite3`` shell) lacks the
  function, so its DELETE fails too.
- PostgreSQL: row DELETE is always refused; TRUNCATE (what ``flush`` uses) only when the session setting
  ``pubcredit.audit_erasable`` is ``on``, which ``flush`` sets.

A database administrator can drop triggers; that is what the signed checkpoints are for (audit/checkpoints.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

_erasing = False


def _erasable() -> int:
    return 1 if _erasing else 0


def connection_prepare(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: give a new SQLite connection the function the DELETE triggers ask."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("pubcredit_audit_erasable", 0, _erasable)


@contextmanager
def whole_database_reset(connection) -> Iterator[None]:
    """Let ``flush`` empty the audit tables with the rest of the database."""
    global _erasing
    _erasing = True
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pubcredit.audit_erasable', 'on', false)")
    try:
        yield
    finally:
        _erasing = False
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('pubcredit.audit_erasable', 'off', false)")
