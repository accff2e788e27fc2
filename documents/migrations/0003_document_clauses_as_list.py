"""A document's clauses become a JSON list (["5.2.1", "5.2.2"]) instead of comma-separated text
("5.2.1, 5.2.2"), on the document and on its history rows. The reverse turns the list back into
the text.

Frozen: the splitting and ordering are written out here, so later changes to the live clause module
cannot change what this migration does. The column changes type through a second column because
PostgreSQL cannot cast "5.2.1, 5.2.2" to jsonb.
"""

import re

from django.db import migrations, models

MODELS = ("Document", "HistoricalDocument")


def _key(number):
    return tuple(int(part) for part in re.findall(r"\d+", number))


def text_to_list(text):
    numbers = [part for part in re.split(r"[\s,;]+", text or "") if part]
    return sorted(dict.fromkeys(numbers), key=_key)


def list_to_text(numbers):
    return ", ".join(dict.fromkeys(numbers or []))


def forwards(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("documents", name)
        rows = list(model.objects.exclude(clauses="").only("pk", "clauses"))
        for row in rows:
            row.clauses_list = text_to_list(row.clauses)
        model.objects.bulk_update(rows, ["clauses_list"], batch_size=500)


def backwards(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("documents", name)
        rows = list(model.objects.only("pk", "clauses_list"))
        for row in rows:
            row.clauses = list_to_text(row.clauses_list)
        model.objects.bulk_update([r for r in rows if r.clauses], ["clauses"], batch_size=500)


def _list_field():
    return models.JSONField(
        blank=True, default=list, help_text="Clause numbers separated by commas, e.g. 8.5.1.2, 8.5.1.3."
    )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_seed_existing_projects"),
    ]

    operations = [
        *(migrations.AddField(name.lower(), "clauses_list", _list_field()) for name in MODELS),
        migrations.RunPython(forwards, backwards),
        *(migrations.RemoveField(name.lower(), "clauses") for name in MODELS),
        *(migrations.RenameField(name.lower(), "clauses_list", "clauses") for name in MODELS),
    ]
