"""Ships version 3 of the ISO/IEC 20000-1:2018 checklist, labelled "ISO/IEC 20000-1:2018 + Amd 1:2024".

- 4.1: deciding whether climate change is a relevant issue is a requirement since Amd 1:2024
  (GA-4.1-03 asks for the decision; GA-4.1-04, good practice, for a record of it); 4.2 keeps the
  amendment's note as good practice (GA-4.2-03).
- Partial leaves completed: 5.1 (strategic direction, intended outcomes, other management roles),
  6.1 (built on the 4.1 issues and 4.2 requirements), 8.5.1.3 (benefit, feasibility, cost), 10.1
  (similar nonconformities, actions in proportion to the effects).
- Documented information the standard does not require is good practice, not required; GA-8.5.3-03
  asks for a document (the acceptance criteria); GA-9.2-05 and GA-8.5.3-05 follow the 2018 wording.
- 8.3.1 is explanatory (TemplateClause.informative): its answers are not scored and raise no
  nonconformity.

Versions 1 and 2 stay: existing assessments keep the template they were made with; new ones take
the newest version. Frozen like 0002 and 0007: the data is the copy next to this file, not the live
gapanalysis/data file.
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
            informative=row.get("informative", False),
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
    dependencies = [("gapanalysis", "0008_templateclause_informative")]

    operations = [migrations.RunPython(load, unload)]
