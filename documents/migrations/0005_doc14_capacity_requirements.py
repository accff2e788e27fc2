"""DOC-14 is "Capacity requirements": the standard requires the capacity requirements to be documented;
a capacity plan is good practice. Registers seeded with the old title get the new one.

Only entries that still carry the shipped title are renamed (a lead's own title stays); the entry is
updated in place, so its versions, approval and review dates stay as they are. Each rename bumps the
row version (an edit form opened before it gets a conflict instead of writing the old title back)
and adds a history row saying why.

Frozen: both titles are written out here, not read from the live data file.
"""

from django.db import migrations
from django.db.models import F
from django.utils import timezone

CODE = "DOC-14"
OLD_TITLE = "Capacity requirements and capacity plan"
NEW_TITLE = "Capacity requirements"
REASON = "DOC-14 renamed: the standard requires capacity requirements"


def _retitle(apps, old, new, reason):
    Document = apps.get_model("documents", "Document")
    HistoricalDocument = apps.get_model("documents", "HistoricalDocument")
    rows = Document.objects.filter(mandatory_code=CODE, title=old)
    ids = list(rows.values_list("pk", flat=True))
    if not ids:
        return
    now = timezone.now()
    Document.objects.filter(pk__in=ids).update(title=new, version=F("version") + 1, updated_at=now)
    fields = [f for f in HistoricalDocument._meta.concrete_fields if not f.name.startswith("history_")]
    HistoricalDocument.objects.bulk_create(
        HistoricalDocument(
            **{f.attname: getattr(document, f.attname) for f in fields},
            history_date=now,
            history_type="~",
            history_change_reason=reason,
            history_user=None,
        )
        for document in Document.objects.filter(pk__in=ids)
    )


def forwards(apps, schema_editor):
    _retitle(apps, OLD_TITLE, NEW_TITLE, REASON)


def backwards(apps, schema_editor):
    _retitle(apps, NEW_TITLE, OLD_TITLE, "DOC-14 title restored")


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_historicaloperatingprocess_operatingprocess_and_more")]

    operations = [migrations.RunPython(forwards, backwards)]
