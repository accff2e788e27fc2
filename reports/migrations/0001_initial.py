"""Report and ReportSchedule, moved from sms_tracker with their rows: step 2 of 3 (see sms_tracker 0009)."""

import django.db.models.deletion
import reports.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('sms_tracker', '0009_tables_to_their_apps'),
        ('projects', '0006_readinesssnapshot'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # State only: the table is already there (sms_tracker 0009 renamed it).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Report',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('kind', models.CharField(max_length=20)),
                        ('subject_id', models.PositiveIntegerField(blank=True, null=True)),
                        ('title', models.CharField(blank=True, max_length=200)),
                        ('trigger', models.CharField(choices=[('manual', 'Asked for'), ('scheduled', 'Monthly schedule')], default='manual', max_length=20)),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=20)),
                        ('error', models.TextField(blank=True)),
                        ('file', models.FileField(blank=True, max_length=300, upload_to=reports.models.report_upload_to)),
                        ('page_count', models.PositiveIntegerField(blank=True, null=True)),
                        ('size_bytes', models.PositiveIntegerField(blank=True, null=True)),
                        ('checksum', models.CharField(blank=True, max_length=64)),
                        ('queued_at', models.DateTimeField(blank=True, null=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('requeues', models.PositiveSmallIntegerField(default=0)),
                        ('claimed_by', models.CharField(blank=True, max_length=200)),
                        ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='projects.project')),
                        ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['project', '-created_at'], name='reports_rep_project_636f22_idx'), models.Index(fields=['status', 'started_at'], name='reports_rep_status_887e0c_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['queued', 'running', 'done', 'failed'])), name='report_status_valid')],
                    },
                ),
                migrations.CreateModel(
                    name='ReportSchedule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('enabled', models.BooleanField(default=True)),
                        ('day_of_month', models.PositiveSmallIntegerField(default=1)),
                        ('last_run_month', models.DateField(blank=True, null=True)),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('project', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='report_schedule', to='projects.project')),
                    ],
                    options={
                        'constraints': [models.CheckConstraint(condition=models.Q(('day_of_month__gte', 1), ('day_of_month__lte', 28)), name='schedule_day_1_to_28')],
                    },
                ),
            ],
        ),
    ]
