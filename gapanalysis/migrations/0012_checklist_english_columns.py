"""The English column of every checklist row from its original column: the translated columns read
English as the fallback (modeltranslation; docs/i18n.md), so it must hold the text the rows had."""

from django.db import migrations
from django.db.models import F


def copy_english(apps, schema_editor):
    apps.get_model("gapanalysis", "TemplateClause").objects.update(title_en=F("title"), guidance_en=F("guidance"))
    apps.get_model("gapanalysis", "Question").objects.update(text_en=F("text"), guidance_en=F("guidance"))


class Migration(migrations.Migration):
    dependencies = [("gapanalysis", "0011_translated_checklist_columns")]

    operations = [migrations.RunPython(copy_english, migrations.RunPython.noop)]
