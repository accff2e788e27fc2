"""Review actions keep their own copy (title, assignee, due date) so final minutes never change
when the task is edited or deleted; the task link becomes SET_NULL."""

import django.db.models.deletion
from django.db import migrations, models


def copy_tasks(apps, schema_editor):
    ReviewAction = apps.get_model("audits", "ReviewAction")
    actions = list(ReviewAction.objects.select_related("task__assignee"))
    for action in actions:
        action.title = action.task.title
        action.assignee_name = action.task.assignee.username if action.task.assignee_id else ""
        action.due_date = action.task.due_date
    ReviewAction.objects.bulk_update(actions, ["title", "assignee_name", "due_date"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0001_initial"),
        ("projects", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewaction",
            name="title",
            field=models.CharField(default="", max_length=200),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="reviewaction",
            name="assignee_name",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AddField(
            model_name="reviewaction",
            name="due_date",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(copy_tasks, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reviewaction",
            name="task",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="review_action",
                to="projects.task",
            ),
        ),
    ]
