"""Issue 19, audit integrity: links say which hash scheme sealed them, signed checkpoints get a table, and removal
is refused by triggers on both databases.

- ``AuditSeal.scheme``: the links sealed before this migration keep their hashes and verify as scheme 1; new links
  are sealed with scheme 2, whose hash covers every column (audit/services.py).
- DELETE of events, links and checkpoints is refused on SQLite too, except during Django's ``flush`` (the
  connection function ``pubcredit_audit_erasable()``, audit/guard.py); TRUNCATE is refused on PostgreSQL except
  during ``flush`` (the session setting ``pubcredit.audit_erasable``). Checkpoints cannot be updated either.

SQLite rebuilds a table to add a column with a default, which drops its triggers: the link table's UPDATE trigger
is created again here.
"""

from django.db import migrations, models

TABLES = ("audit_auditevent", "audit_auditseal", "audit_auditcheckpoint")
SHORT = {"audit_auditevent": "event", "audit_auditseal": "seal", "audit_auditcheckpoint": "checkpoint"}

SQLITE_SEAL_UPDATE = """CREATE TRIGGER IF NOT EXISTS audit_seal_no_update BEFORE UPDATE ON audit_auditseal
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END"""
SQLITE_CREATE = [
    SQLITE_SEAL_UPDATE,
    """CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_auditcheckpoint
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END""",
    *[f"""CREATE TRIGGER audit_{SHORT[table]}_no_delete BEFORE DELETE ON {table}
          WHEN NOT pubcredit_audit_erasable()
          BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END""" for table in TABLES],
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_checkpoint_no_update",
               *[f"DROP TRIGGER IF EXISTS audit_{SHORT[table]}_no_delete" for table in TABLES]]

# audit_event_append_only() comes from migration 0002
POSTGRES_CREATE = [
    """CREATE OR REPLACE FUNCTION audit_truncate_guard() RETURNS trigger AS $$
       BEGIN
         IF coalesce(current_setting('pubcredit.audit_erasable', true), '') <> 'on' THEN
           RAISE EXCEPTION 'audit trail is append-only';
         END IF;
         RETURN NULL;
       END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_checkpoint_no_change BEFORE UPDATE OR DELETE ON audit_auditcheckpoint
       FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
    *[f"""CREATE TRIGGER audit_{SHORT[table]}_no_truncate BEFORE TRUNCATE ON {table}
          FOR EACH STATEMENT EXECUTE FUNCTION audit_truncate_guard()""" for table in TABLES],
]
POSTGRES_DROP = ["DROP TRIGGER IF EXISTS audit_checkpoint_no_change ON audit_auditcheckpoint",
                 *[f"DROP TRIGGER IF EXISTS audit_{SHORT[table]}_no_truncate ON {table}" for table in TABLES],
                 "DROP FUNCTION IF EXISTS audit_truncate_guard()"]


def _run(schema_editor, sqlite, postgres):
    for sql in postgres if schema_editor.connection.vendor == "postgresql" else sqlite:
        schema_editor.execute(sql)


def guards_create(apps, schema_editor):
    _run(schema_editor, SQLITE_CREATE, POSTGRES_CREATE)


def guards_drop(apps, schema_editor):
    _run(schema_editor, SQLITE_DROP, POSTGRES_DROP)


def seal_update_trigger_again(apps, schema_editor):
    """Backwards: removing the column rebuilds the link table on SQLite; its UPDATE trigger (0003) comes back."""
    _run(schema_editor, [SQLITE_SEAL_UPDATE], [])


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_seal_chain_apart_from_events'),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, seal_update_trigger_again),
        migrations.CreateModel(
            name='AuditCheckpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.BigIntegerField(verbose_name='链位置')),
                ('head_hash', models.CharField(max_length=64, verbose_name='链头哈希')),
                ('first_hash', models.CharField(max_length=64, verbose_name='首条哈希')),
                ('made_at', models.DateTimeField(verbose_name='签署时间')),
                ('key_id', models.CharField(max_length=64, verbose_name='密钥标识')),
                ('signature', models.TextField(verbose_name='签名')),
            ],
            options={
                'verbose_name': '审计链检查点 (audit checkpoint)',
                'verbose_name_plural': '审计链检查点 (audit checkpoint)',
                'ordering': ['position', 'id'],
            },
        ),
        # the links already sealed are scheme 1; the model's default (new links) is scheme 2
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AddField(
                model_name='auditseal', name='scheme',
                field=models.PositiveSmallIntegerField(default=1, verbose_name='哈希方案'))],
            state_operations=[migrations.AddField(
                model_name='auditseal', name='scheme',
                field=models.PositiveSmallIntegerField(default=2, verbose_name='哈希方案'))],
        ),
        migrations.RunPython(guards_create, guards_drop),
    ]
