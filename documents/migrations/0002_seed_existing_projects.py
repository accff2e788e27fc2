"""Projects created before the documents app existed get the mandatory items, marked missing."""

from django.db import migrations


def seed_existing_projects(apps, schema_editor):
    from documents.services import seed_mandatory_items

    Project = apps.get_model("projects", "Project")
    Document = apps.get_model("documents", "Document")
    for project_id in Project.objects.values_list("id", flat=True):
        seed_mandatory_items(Document, project_id=project_id)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("projects", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed_existing_projects, migrations.RunPython.noop)]
