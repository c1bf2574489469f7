"""Carry the clear-text tokens of rest_framework.authtoken over as hashes, then drop its table.

Existing clients keep working (the same secret is accepted) until the token expires, API_TOKEN_DAYS
after this migration. They are marked as issued without a second factor, so where MFA is required the
account must obtain a new token with one. The old table is dropped so no clear-text secret stays in the
database."""
import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

OLD_TABLE = "authtoken_token"


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    now = timezone.now()
    expires = now + timedelta(days=getattr(settings, "API_TOKEN_DAYS", 30))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {OLD_TABLE}")  # noqa: S608 (a constant name)
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create([
        ApiToken(user_id=user_id, name="API (before hashing)", key_hash=hashlib.sha256(key.encode()).hexdigest(),
                 prefix=key[:8], created_at=created or now, expires_at=expires, second_factor=False)
        for key, user_id, created in rows])
    schema_editor.execute(f"DROP TABLE {OLD_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_api_tokens_recovery_codes")]
    # The secrets cannot be recovered from their hashes: going back leaves the new tokens in place.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
