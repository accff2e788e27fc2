"""OutboxMessage and NotificationPreference, moved from sms_tracker with their rows: step 2 of 3 (see sms_tracker 0009)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('sms_tracker', '0009_tables_to_their_apps'),
        ('reports', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # State only: the table is already there (sms_tracker 0009 renamed it).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='NotificationPreference',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('digest_enabled', models.BooleanField(default=True)),
                        ('calendar_token', models.CharField(blank=True, max_length=64, null=True, unique=True)),
                        ('calendar_token_created_at', models.DateTimeField(blank=True, null=True)),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preference', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='OutboxMessage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('subject_type', models.CharField(max_length=40)),
                        ('subject_id', models.PositiveIntegerField()),
                        ('kind', models.CharField(choices=[('digest', 'Daily reminder digest'), ('monthly_report', 'Monthly management report'), ('invitation', 'Invitation to a project'), ('mention', 'Mention in a task comment'), ('review_request', 'Document version to approve')], max_length=30)),
                        ('day', models.DateField()),
                        ('to_email', models.EmailField(max_length=254)),
                        ('subject', models.CharField(max_length=250)),
                        ('body_text', models.TextField()),
                        ('body_html', models.TextField(blank=True)),
                        ('items', models.JSONField(blank=True, default=list)),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed')], default='pending', max_length=20)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('last_error', models.TextField(blank=True)),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('report', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='reports.report')),
                    ],
                    options={
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['status', 'created_at'], name='notificatio_status_6badff_idx')],
                        'constraints': [models.UniqueConstraint(fields=('recipient', 'subject_type', 'subject_id', 'kind', 'day'), name='outbox_unique_key'), models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'sending', 'sent', 'failed'])), name='outbox_status_valid')],
                    },
                ),
            ],
        ),
    ]
