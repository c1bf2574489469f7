"""The split of matters: disputes and mediation went to `mediation`, contact days and visits to `outreach`.
Tables keep their names (each model sets db_table), so only Django's idea of where the models live
changes: no table, column or row moves."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("matters", "0002_attendee_mediator_user_set_null"),
        ("outreach", "0001_initial"),
        ("mediation", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='contactday',
                    name='county',
                ),
                migrations.RemoveField(
                    model_name='contactday',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='contactday',
                    name='division',
                ),
                migrations.RemoveField(
                    model_name='contactday',
                    name='grid',
                ),
                migrations.RemoveField(
                    model_name='contactday',
                    name='township',
                ),
                migrations.RemoveField(
                    model_name='contactday',
                    name='village',
                ),
                migrations.RemoveField(
                    model_name='contactdayvisit',
                    name='contact_day',
                ),
                migrations.AlterField(
                    model_name='matter',
                    name='contact_day',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='matters', to='outreach.contactday', verbose_name='contact day'),
                ),
                migrations.RemoveField(
                    model_name='contactdayattendee',
                    name='contact_day',
                ),
                migrations.RemoveField(
                    model_name='contactdayattendee',
                    name='organization',
                ),
                migrations.RemoveField(
                    model_name='contactdayattendee',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='contactdayvisit',
                    name='village',
                ),
                migrations.RemoveField(
                    model_name='dispute',
                    name='matter',
                ),
                migrations.RemoveField(
                    model_name='mediator',
                    name='dispute',
                ),
                migrations.RemoveField(
                    model_name='disputeparty',
                    name='dispute',
                ),
                migrations.RemoveField(
                    model_name='mediationsession',
                    name='dispute',
                ),
                migrations.RemoveField(
                    model_name='mediationagreement',
                    name='dispute',
                ),
                migrations.RemoveField(
                    model_name='disputeparty',
                    name='person',
                ),
                migrations.RemoveField(
                    model_name='mediator',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='visit',
                    name='county',
                ),
                migrations.RemoveField(
                    model_name='visit',
                    name='division',
                ),
                migrations.RemoveField(
                    model_name='visit',
                    name='grid',
                ),
                migrations.RemoveField(
                    model_name='visit',
                    name='household',
                ),
                migrations.RemoveField(
                    model_name='visit',
                    name='township',
                ),
                migrations.RemoveField(
                    model_name='visit',
                    name='village',
                ),
                migrations.RemoveField(
                    model_name='visit',
                    name='visitor',
                ),
                migrations.AlterField(
                    model_name='matter',
                    name='visit',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='matters', to='outreach.visit'),
                ),
                migrations.DeleteModel(
                    name='ContactDay',
                ),
                migrations.DeleteModel(
                    name='ContactDayAttendee',
                ),
                migrations.DeleteModel(
                    name='ContactDayVisit',
                ),
                migrations.DeleteModel(
                    name='MediationSession',
                ),
                migrations.DeleteModel(
                    name='Dispute',
                ),
                migrations.DeleteModel(
                    name='MediationAgreement',
                ),
                migrations.DeleteModel(
                    name='DisputeParty',
                ),
                migrations.DeleteModel(
                    name='Mediator',
                ),
                migrations.DeleteModel(
                    name='Visit',
                ),
            ],
        ),
    ]
