"""The hash chain moves out of the event rows into its own table of links (审计链), filled by a sealing job.

Events already written keep their chain: each becomes the link at its place in id order, with its old
``prev_hash``/``hash`` unchanged (the link hash is computed exactly as the old row hash was), so a chain that
verified before still verifies, and one that was broken is still found broken.

SQLite rebuilds a table to drop a unique column, which drops its triggers: they are created again at the end.
The links get the same append-only triggers as the events.
"""

import django.db.models.deletion
import django.db.models.functions.datetime
from django.db import migrations, models

SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_event_no_update"]
SQLITE_CREATE = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END""",
    """CREATE TRIGGER audit_seal_no_update BEFORE UPDATE ON audit_auditseal
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_seal_no_update"]
# the function audit_event_append_only() comes from migration 0002
POSTGRES_CREATE = [
    """CREATE TRIGGER audit_seal_no_change BEFORE UPDATE OR DELETE ON audit_auditseal
       FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
]
POSTGRES_REVERSE = ["DROP TRIGGER IF EXISTS audit_seal_no_change ON audit_auditseal"]


def _run(schema_editor, sqlite, postgres):
    for sql in postgres if schema_editor.connection.vendor == "postgresql" else sqlite:
        schema_editor.execute(sql)


def copy_chain(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditSeal = apps.get_model("audit", "AuditSeal")
    rows = AuditEvent.objects.order_by("id").values_list("id", "prev_hash", "hash")
    links = []
    for position, (event_id, prev_hash, row_hash) in enumerate(rows.iterator(chunk_size=5000), start=1):
        links.append(AuditSeal(position=position, event_id=event_id, prev_hash=prev_hash, hash=row_hash))
        if len(links) >= 5000:
            AuditSeal.objects.bulk_create(links)
            links = []
    AuditSeal.objects.bulk_create(links)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditSeal',
            fields=[
                ('position', models.BigIntegerField(primary_key=True, serialize=False, verbose_name='链位置')),
                ('prev_hash', models.CharField(max_length=64, verbose_name='前一条哈希')),
                ('hash', models.CharField(max_length=64, unique=True, verbose_name='本条哈希')),
                ('sealed_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), verbose_name='封存时间')),
                ('event', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='seal', to='audit.auditevent', verbose_name='审计事件')),
            ],
            options={
                'verbose_name': '审计链节 (audit seal)',
                'verbose_name_plural': '审计链节 (audit seal)',
                'ordering': ['position'],
            },
        ),
        migrations.RunPython(copy_chain, migrations.RunPython.noop),
        migrations.RunPython(lambda apps, se: _run(se, SQLITE_DROP, []), lambda apps, se: _run(se, SQLITE_CREATE[:1], [])),
        migrations.RemoveField(
            model_name='auditevent',
            name='hash',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='prev_hash',
        ),
        migrations.AddField(
            model_name='auditevent',
            name='appended_at',
            field=models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), db_index=True, verbose_name='写入时间'),
        ),
        migrations.RunPython(lambda apps, se: _run(se, SQLITE_CREATE, POSTGRES_CREATE),
                             lambda apps, se: _run(se, SQLITE_DROP + SQLITE_REVERSE, POSTGRES_REVERSE)),
    ]
