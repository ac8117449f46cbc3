"""PostgreSQL: an index for 2-character name queries, which trigrams cannot serve.

``portal_name_bigrams(name)`` is the set of lower-cased 2-character substrings of a name; a GIN index over it
answers ``portal_name_bigrams(name) @> ARRAY['鑫源']`` (then ``ILIKE`` confirms). Without it a 2-character query
reads every name (~1 s per million on PostgreSQL). SQLite has no equivalent without a custom tokenizer: there,
2-character queries scan (docs/portal.md).
"""

from django.db import migrations

PG_FORWARD = [
    # COST 1: the planner must not think a sequential scan evaluates it on every row (LIKE is checked first and
    # only matching rows reach it); otherwise frequent pairs get a slow bitmap scan of a huge posting list.
    """CREATE OR REPLACE FUNCTION portal_name_bigrams(name text) RETURNS text[]
       LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1 AS $$
         SELECT ARRAY(SELECT substr(lower(name), i, 2) FROM generate_series(1, char_length(name) - 1) AS i)
       $$""",
    "CREATE INDEX IF NOT EXISTS portal_subject_name_bigram ON subjects_subject USING gin (portal_name_bigrams(name))",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS portal_subject_name_bigram",
    "DROP FUNCTION IF EXISTS portal_name_bigrams(text)",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_FORWARD:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_search_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
