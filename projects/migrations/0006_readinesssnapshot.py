"""ReadinessSnapshot, moved from sms_tracker with its rows: step 2 of 3 (see sms_tracker 0009)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sms_tracker', '0009_tables_to_their_apps'),
        ('projects', '0005_project_require_mfa'),
    ]

    operations = [
        # State only: the table is already there (sms_tracker 0009 renamed it).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ReadinessSnapshot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('fingerprint', models.CharField(max_length=64)),
                        ('generation', models.PositiveIntegerField(default=0)),
                        ('project', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='projects.project')),
                    ],
                ),
            ],
        ),
    ]
