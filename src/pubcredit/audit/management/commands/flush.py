"""Django's ``flush``, allowed to empty the audit tables (their triggers refuse every other removal: audit/guard.py)."""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections

from pubcredit.audit.guard import whole_database_reset


class Command(DjangoFlush):
    def handle(self, **options):
        with whole_database_reset(connections[options.get("database") or DEFAULT_DB_ALIAS]):
            return super().handle(**options)
