"""Ships the ISO/IEC 20000-1:2018 gap-analysis checklist (clause tree and questions) as data.

Frozen: the checklist is the copy next to this file (0002_iso20000_checklist.json), not the live
gapanalysis/data file, so editing the shipped checklist later cannot change what this migration loads.
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().with_suffix(".json")


def load(apps, schema_editor):
    ChecklistTemplate = apps.get_model("gapanalysis", "ChecklistTemplate")
    TemplateClause = apps.get_model("gapanalysis", "TemplateClause")
    Question = apps.get_model("gapanalysis", "Question")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    if ChecklistTemplate.objects.filter(slug=data["slug"], version=data["version"]).exists():
        return
    template = ChecklistTemplate.objects.create(
        slug=data["slug"], name=data["name"], standard=data["standard"], version=data["version"]
    )
    clauses = {}
    for order, row in enumerate(data["clauses"], 1):
        clauses[row["number"]] = TemplateClause.objects.create(
            template=template,
            number=row["number"],
            title=row["title"],
            parent=clauses[row["parent"]] if row["parent"] else None,
            is_leaf=row["is_leaf"],
            order=order,
            guidance=row.get("guidance", ""),
        )
    Question.objects.bulk_create(
        Question(
            template=template,
            clause=clauses[row["clause"]],
            code=row["id"],
            text=row["text"],
            documented_information=row["documented_information"],
            guidance=row.get("guidance", ""),
            order=order,
        )
        for order, row in enumerate(data["questions"], 1)
    )


def unload(apps, schema_editor):
    ChecklistTemplate = apps.get_model("gapanalysis", "ChecklistTemplate")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    ChecklistTemplate.objects.filter(slug=data["slug"], version=data["version"], assessments=None).delete()


class Migration(migrations.Migration):
    dependencies = [("gapanalysis", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
