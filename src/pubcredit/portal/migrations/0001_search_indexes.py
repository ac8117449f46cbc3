"""Name-search indexes for the public site over ``subjects_subject.name`` (whoever creates the subjects).

- SQLite: an external-content FTS5 table with the trigram tokenizer, kept in sync by triggers on insert, delete
  and rename, and filled from the existing rows. A SQLite without FTS5 gets no index (search falls back to LIKE).
- PostgreSQL: ``pg_trgm`` and a GIN ``gin_trgm_ops`` index (the database needs a UTF-8 LC_CTYPE for Chinese).
"""

import logging

from django.db import migrations
from django.db.utils import OperationalError

log = logging.getLogger(__name__)

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE portal_subject_fts USING fts5(name, content='subjects_subject', content_rowid='id', "
    "tokenize='trigram')",
    "CREATE TRIGGER portal_subject_fts_ai AFTER INSERT ON subjects_subject BEGIN "
    "INSERT INTO portal_subject_fts(rowid, name) VALUES (new.id, new.name); END",
    "CREATE TRIGGER portal_subject_fts_ad AFTER DELETE ON subjects_subject BEGIN "
    "INSERT INTO portal_subject_fts(portal_subject_fts, rowid, name) VALUES ('delete', old.id, old.name); END",
    "CREATE TRIGGER portal_subject_fts_au AFTER UPDATE OF name ON subjects_subject BEGIN "
    "INSERT INTO portal_subject_fts(portal_subject_fts, rowid, name) VALUES ('delete', old.id, old.name); "
    "INSERT INTO portal_subject_fts(rowid, name) VALUES (new.id, new.name); END",
    "INSERT INTO portal_subject_fts(portal_subject_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS portal_subject_fts_au",
    "DROP TRIGGER IF EXISTS portal_subject_fts_ad",
    "DROP TRIGGER IF EXISTS portal_subject_fts_ai",
    "DROP TABLE IF EXISTS portal_subject_fts",
]
PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS portal_subject_name_trgm ON subjects_subject USING gin (name gin_trgm_ops)",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS portal_subject_name_trgm"]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        try:
            _run(schema_editor, SQLITE_FORWARD[:1])
        except OperationalError as exc:  # no FTS5 in this SQLite build
            log.warning("portal: FTS5 unavailable (%s); public name search falls back to LIKE", exc)
            return
        _run(schema_editor, SQLITE_FORWARD[1:])
    elif vendor == "postgresql":
        _run(schema_editor, PG_FORWARD)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_BACKWARD)
    elif vendor == "postgresql":
        _run(schema_editor, PG_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("subjects", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
