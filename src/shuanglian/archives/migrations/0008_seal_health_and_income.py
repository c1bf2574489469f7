"""Health and income encrypted at rest (issue 13, finding 10): the columns become text holding ciphertext,
the values already recorded are encrypted, and so are those in the households' change history. Audit events
keep what they recorded: the audit chain hashes each event, so rewriting them would break it (new events
hold the values sealed)."""
import json

from django.db import migrations

import shuanglian.core.pii
from shuanglian.core import pii

BATCH = 2000
SEALED = {"health", "annual_income"}


def _is_sealed(value) -> bool:
    return isinstance(value, str) and value.startswith(f"{pii.VERSION}:")


def _seal_columns(apps, schema_editor):
    connection = schema_editor.connection
    encrypt = pii.encryptor()
    for table, column in (("archives_person", "health"), ("archives_household", "annual_income")):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''")
            rows = [(pk, value) for pk, value in cursor.fetchall() if not _is_sealed(value)]
        for start in range(0, len(rows), BATCH):
            with connection.cursor() as cursor:
                cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE id = %s",
                                   [(encrypt(str(value)), pk) for pk, value in rows[start:start + BATCH]])


def _seal_history(apps, schema_editor):
    version_model = apps.get_model("archives", "HouseholdVersion")
    encrypt = pii.encryptor()

    def seal(value):
        if value in (None, "") or (isinstance(value, dict) and set(value) == {"sealed"}):
            return value
        return {"sealed": encrypt(json.dumps(value))}

    changed = []
    for version in version_model.objects.exclude(action="import").only("pk", "changes").iterator(chunk_size=BATCH):
        changes = version.changes or {}
        if not SEALED & set(changes):
            continue
        for name in SEALED & set(changes):
            value = changes[name]
            changes[name] = [seal(v) for v in value] if isinstance(value, list) else seal(value)
        changed.append(version)
        if len(changed) >= BATCH:
            version_model.objects.bulk_update(changed, ["changes"])
            changed = []
    if changed:
        version_model.objects.bulk_update(changed, ["changes"])


def seal(apps, schema_editor):
    _seal_columns(apps, schema_editor)
    _seal_history(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('archives', '0007_hash_collation_and_led_scope_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='household',
            name='annual_income',
            field=shuanglian.core.pii.SealedDecimalField(blank=True, decimal_places=2, default=None, max_digits=12, null=True, verbose_name='annual income'),
        ),
        migrations.AlterField(
            model_name='person',
            name='health',
            field=shuanglian.core.pii.SealedTextField(blank=True, default='', max_length=100, verbose_name='health'),
        ),
        # Not reversible: the plaintext is not written back.
        migrations.RunPython(seal, migrations.RunPython.noop),
    ]
