"""Contact days and visits, which were models of `matters` until the split: state only, the tables
(matters_contactday, ...) exist since matters 0001."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('matters', '0002_attendee_mediator_user_set_null'),
        ('archives', '0007_hash_collation_and_led_scope_indexes'),
        ('divisions', '0002_ordering_by_code_key'),
        ('organizations', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ContactDay',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('township_village', 'township-village (the 10th)'), ('county_township', 'county-township (the 20th)')], max_length=20, verbose_name='kind')),
                        ('date', models.DateField(verbose_name='date')),
                        ('agenda', models.TextField(blank=True, verbose_name='agenda')),
                        ('held', models.BooleanField(default=False, verbose_name='held')),
                        ('summary', models.TextField(blank=True, verbose_name='summary')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('county', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.division')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('division', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='divisions.division')),
                        ('grid', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.division')),
                        ('township', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.division')),
                        ('village', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.division')),
                    ],
                    options={
                        'verbose_name': 'contact day',
                        'db_table': 'matters_contactday',
                        'ordering': ['-date', 'division_id'],
                    },
                ),
                migrations.CreateModel(
                    name='ContactDayAttendee',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=60, verbose_name='name')),
                        ('role', models.CharField(choices=[('leader', 'leader'), ('cadre', 'cadre'), ('department', 'department'), ('police', 'police'), ('judge', 'judge'), ('lawyer', 'lawyer'), ('other', 'other')], default='cadre', max_length=12, verbose_name='role')),
                        ('attended', models.BooleanField(default=False, verbose_name='attended')),
                        ('contact_day', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendees', to='outreach.contactday')),
                        ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organization')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'attendee',
                        'db_table': 'matters_contactdayattendee',
                        'ordering': ['contact_day_id', 'role', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='ContactDayVisit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('visitors', models.CharField(max_length=300, verbose_name='visitors')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('households_visited', models.PositiveIntegerField(default=0, verbose_name='households visited')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('contact_day', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='visits', to='outreach.contactday')),
                        ('village', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='divisions.division')),
                    ],
                    options={
                        'verbose_name': 'contact-day visit',
                        'db_table': 'matters_contactdayvisit',
                        'ordering': ['contact_day_id', 'village_id'],
                    },
                ),
                migrations.CreateModel(
                    name='Visit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('visited_on', models.DateField(verbose_name='visited on')),
                        ('visitor_names', models.CharField(blank=True, max_length=200, verbose_name='visitors')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('county', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.division')),
                        ('division', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='divisions.division')),
                        ('grid', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.division')),
                        ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='archives.household')),
                        ('township', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.division')),
                        ('village', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.division')),
                        ('visitor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'visit',
                        'db_table': 'matters_visit',
                        'ordering': ['-visited_on', '-id'],
                    },
                ),
                migrations.AddIndex(
                    model_name='contactday',
                    index=models.Index(fields=['township', 'date'], name='contact_day_township_idx'),
                ),
                migrations.AddIndex(
                    model_name='contactday',
                    index=models.Index(fields=['date', 'kind'], name='contact_day_date_idx'),
                ),
                migrations.AddConstraint(
                    model_name='contactday',
                    constraint=models.UniqueConstraint(fields=('division', 'kind', 'date'), name='contact_day_uniq'),
                ),
                migrations.AddIndex(
                    model_name='visit',
                    index=models.Index(fields=['grid', 'visited_on'], name='visit_grid_date_idx'),
                ),
                migrations.AddIndex(
                    model_name='visit',
                    index=models.Index(fields=['village', 'visited_on'], name='visit_village_date_idx'),
                ),
                migrations.AddIndex(
                    model_name='visit',
                    index=models.Index(fields=['township', 'visited_on'], name='visit_township_date_idx'),
                ),
                migrations.AddIndex(
                    model_name='visit',
                    index=models.Index(fields=['household', 'visited_on'], name='visit_household_idx'),
                ),
            ],
        ),
    ]
