"""ThrottleEvent, moved from sms_tracker with their rows: step 2 of 3 (see sms_tracker 0009)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('sms_tracker', '0009_tables_to_their_apps'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # State only: the table is already there (sms_tracker 0009 renamed it).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ThrottleEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('scope', models.CharField(choices=[('second_factor', 'Wrong second-factor code or security key'), ('invitation', 'Invitation sent')], max_length=30)),
                        ('session', models.CharField(blank=True, max_length=64)),
                        ('detail', models.CharField(blank=True, max_length=100)),
                        ('ip_address', models.GenericIPAddressField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'indexes': [models.Index(fields=['scope', 'user', 'created_at'], name='throttle_user_recent'), models.Index(fields=['scope', 'session', 'created_at'], name='throttle_session_recent')],
                    },
                ),
            ],
        ),
    ]
