"""Household tags as keyed blind indexes (issue 13, finding 10): a link holds HMAC(index key, "tag:" + code)
instead of the tag's id, so the database no longer tells which households are low-income, five-guarantee or
have a left-behind child (PIPL Art. 28); tag lists in the households' change history are sealed. Audit events
keep what they recorded, as in 0008: the audit chain hashes each event."""
import json

from django.db import migrations, models

import shuanglian.core.pii
from shuanglian.core import pii

BATCH = 2000


def _index_links(apps, schema_editor):
    tag_model = apps.get_model("archives", "Tag")
    link_model = apps.get_model("archives", "HouseholdTag")
    for tag in tag_model.objects.all():  # one UPDATE per tag: a handful, whatever the number of households
        link_model.objects.filter(tag_id=tag.pk).update(tag_index=pii.blind_index("tag", tag.code))


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
        value = changes.get("tags")
        if not isinstance(value, list) or not value:
            continue
        changes["tags"] = [seal(side) for side in value]  # [before, after] lists, or a snapshot's codes
        changed.append(version)
        if len(changed) >= BATCH:
            version_model.objects.bulk_update(changed, ["changes"])
            changed = []
    if changed:
        version_model.objects.bulk_update(changed, ["changes"])


def forwards(apps, schema_editor):
    _index_links(apps, schema_editor)
    _seal_history(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('archives', '0008_seal_health_and_income'),
    ]

    operations = [
        migrations.AddField(
            model_name='householdtag',
            name='tag_index',
            field=shuanglian.core.pii.BlindIndexField(blank=True, default='', editable=False, max_length=64,
                                                      verbose_name='tag'),
            preserve_default=False,
        ),
        # Not reversible: the links no longer say which tag they are without the key.
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='householdtag',
            name='household_tag_uniq',
        ),
        migrations.RemoveIndex(
            model_name='householdtag',
            name='household_tag_idx',
        ),
        migrations.RemoveField(
            model_name='household',
            name='tags',
        ),
        migrations.RemoveField(
            model_name='householdtag',
            name='tag',
        ),
        migrations.AddIndex(
            model_name='householdtag',
            index=models.Index(fields=['tag_index', 'household'], name='household_tag_index_idx'),
        ),
        migrations.AddConstraint(
            model_name='householdtag',
            constraint=models.UniqueConstraint(fields=('household', 'tag_index'), name='household_tag_index_uniq'),
        ),
    ]
