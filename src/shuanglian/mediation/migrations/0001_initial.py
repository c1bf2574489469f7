"""Disputes and mediation, which were models of `matters` until the split: state only, the tables
(matters_dispute, ...) exist since matters 0001."""

import django.db.models.deletion
import shuanglian.core.pii
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('archives', '0007_hash_collation_and_led_scope_indexes'),
        ('matters', '0002_attendee_mediator_user_set_null'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Dispute',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('screened_on', models.DateField(db_index=True, verbose_name='screened on')),
                        ('facts', models.TextField(blank=True, verbose_name='main facts')),
                        ('issues', models.TextField(blank=True, verbose_name='disputed issues')),
                        ('outcome', models.CharField(blank=True, choices=[('mediated', 'mediated'), ('failed', 'failed'), ('withdrawn', 'withdrawn')], max_length=10, verbose_name='outcome')),
                        ('outcome_on', models.DateField(blank=True, null=True, verbose_name='outcome date')),
                        ('remedies_told', models.JSONField(blank=True, default=list, verbose_name='remedies told')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('matter', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='dispute', to='matters.matter')),
                    ],
                    options={
                        'verbose_name': 'dispute',
                        'db_table': 'matters_dispute',
                        'ordering': ['-screened_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='DisputeParty',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('applicant', 'applicant'), ('respondent', 'respondent'), ('other', 'other party')], max_length=12, verbose_name='role')),
                        ('name', models.CharField(max_length=60, verbose_name='name')),
                        ('sex', models.CharField(blank=True, max_length=6, verbose_name='sex')),
                        ('id_number', shuanglian.core.pii.PIIField(blank=True, default='', kind='id_number', verbose_name='ID number')),
                        ('phone', shuanglian.core.pii.PIIField(blank=True, default='', kind='phone', verbose_name='phone')),
                        ('address', models.CharField(blank=True, max_length=200, verbose_name='address')),
                        ('dispute', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='parties', to='mediation.dispute')),
                        ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='archives.person')),
                    ],
                    options={
                        'verbose_name': 'party',
                        'db_table': 'matters_disputeparty',
                        'ordering': ['dispute_id', 'role', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='MediationAgreement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.CharField(max_length=30, unique=True, verbose_name='number')),
                        ('facts', models.TextField(verbose_name='main facts')),
                        ('issues', models.TextField(verbose_name='disputed issues')),
                        ('responsibilities', models.TextField(verbose_name='responsibilities')),
                        ('terms', models.TextField(verbose_name='agreed terms')),
                        ('performance', models.TextField(verbose_name='how and when the terms are performed')),
                        ('effective_on', models.DateField(verbose_name='effective on')),
                        ('parties_signed', models.BooleanField(default=False, verbose_name='signed by the parties')),
                        ('mediator_signed', models.BooleanField(default=False, verbose_name='signed by the mediator, committee seal affixed')),
                        ('copies', models.PositiveSmallIntegerField(default=3, verbose_name='copies')),
                        ('confirmation_applied_on', models.DateField(blank=True, null=True, verbose_name='judicial confirmation applied for on')),
                        ('confirmation_result', models.CharField(blank=True, max_length=100, verbose_name='judicial confirmation result')),
                        ('dispute', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='agreement', to='mediation.dispute')),
                    ],
                    options={
                        'verbose_name': 'mediation agreement',
                        'db_table': 'matters_mediationagreement',
                    },
                ),
                migrations.CreateModel(
                    name='MediationSession',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('held_on', models.DateField(verbose_name='held on')),
                        ('place', models.CharField(blank=True, max_length=100, verbose_name='place')),
                        ('notes', models.TextField(blank=True, verbose_name='record')),
                        ('dispute', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sessions', to='mediation.dispute')),
                    ],
                    options={
                        'verbose_name': 'mediation session',
                        'db_table': 'matters_mediationsession',
                        'ordering': ['dispute_id', 'held_on', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Mediator',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=60, verbose_name='name')),
                        ('committee', models.CharField(blank=True, max_length=100, verbose_name='mediation committee')),
                        ('dispute', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mediators', to='mediation.dispute')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'mediator',
                        'db_table': 'matters_mediator',
                        'ordering': ['dispute_id', 'id'],
                    },
                ),
                migrations.AddIndex(
                    model_name='dispute',
                    index=models.Index(fields=['outcome', 'screened_on'], name='dispute_outcome_idx'),
                ),
            ],
        ),
    ]
