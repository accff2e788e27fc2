"""Ships version 2 of the ISO/IEC 20000-1:2018 checklist: required/recommended tiers, 16 questions
for the gaps an auditor raises (5.1, 6.1, 8.3.2, 8.3.4.1, 8.3.4.2, 8.5.1.3, 8.5.2.3, 8.5.3, 8.6.3,
9.2, 10.2), GA-6.1-03 asking for documented customer impact, 8.4.3 worded around capacity
requirements. Version 1 stays: existing assessments keep the template they were made with; new
ones default to the newest version.

Frozen like 0002: the data is the copy next to this file, not the live gapanalysis/data file.
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
    library = ChecklistTemplate.objects.filter(project__isnull=True)
    if library.filter(slug=data["slug"], version=data["version"]).exists():
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
            documented_information_tier=row["documented_information_tier"],
            guidance=row.get("guidance", ""),
            order=order,
        )
        for order, row in enumerate(data["questions"], 1)
    )


def unload(apps, schema_editor):
    ChecklistTemplate = apps.get_model("gapanalysis", "ChecklistTemplate")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    ChecklistTemplate.objects.filter(
        project__isnull=True, slug=data["slug"], version=data["version"], assessments=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("gapanalysis", "0006_question_documented_information_tier_valid")]

    operations = [migrations.RunPython(load, unload)]
