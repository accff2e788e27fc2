"""Projects created before the documents app existed get the mandatory items, marked missing.

Frozen: the mandatory list is the copy next to this file (0002_seed_existing_projects.json) and the
seeding is written out here, so later changes to the live data or services cannot change what this
migration does.
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).with_suffix(".json")


def seed_existing_projects(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    Document = apps.get_model("documents", "Document")
    items = json.loads(DATA.read_text(encoding="utf-8"))["items"]
    for project_id in Project.objects.values_list("id", flat=True):
        existing = Document.objects.filter(project_id=project_id).values_list("code", "mandatory_code")
        codes = {code for code, _ in existing}
        present = {mandatory for _, mandatory in existing if mandatory}
        Document.objects.bulk_create(
            Document(
                project_id=project_id,
                code=item["code"] if item["code"] not in codes else f"ISO-{item['code']}",
                title=item["title"],
                doc_type=item["doc_type"],
                clauses=", ".join(item["clauses"]),
                status="missing",
                mandatory_code=item["code"],
            )
            for item in items
            if item["code"] not in present
        )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("projects", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed_existing_projects, migrations.RunPython.noop)]
