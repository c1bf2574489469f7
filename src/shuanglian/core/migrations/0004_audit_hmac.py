from django.db import migrations, models


class Migration(migrations.Migration):
    """Events written before the audit chain was keyed keep their plain SHA-256 (version 1) and still
    verify; every event from now on is an HMAC (version 2), and the chain head notes the first of them."""

    dependencies = [("core", "0003_calendarday_periodictaskstate_taskrun")]

    operations = [
        migrations.AddField(model_name="auditevent", name="hash_version",
                            field=models.PositiveSmallIntegerField(default=1), preserve_default=False),
        migrations.AlterField(model_name="auditevent", name="hash_version",
                              field=models.PositiveSmallIntegerField(default=2)),
        migrations.AddField(model_name="auditchainhead", name="hmac_from",
                            field=models.PositiveBigIntegerField(blank=True, null=True)),
    ]
