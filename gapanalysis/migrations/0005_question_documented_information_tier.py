"""Questions say whether the documented information they ask about is required by the standard or
good practice. The shipped v1 checklist gets the tiers of the reference (frozen list below); any
other template's questions that ask for documented information keep the old meaning, required."""

from django.db import migrations, models

# v1 questions whose documented information the standard does not itself require (the reference's
# D*/R* tiers, or an item other than the one the clause requires).
V1_RECOMMENDED = {
    "GA-10.2-01", "GA-4.1-01", "GA-4.1-03", "GA-4.2-01", "GA-4.2-02", "GA-4.4-01", "GA-4.4-02",
    "GA-5.1-01", "GA-5.2.2-02", "GA-5.3-01", "GA-5.3-02", "GA-6.1-04", "GA-6.2.1-03", "GA-6.2.2-01",
    "GA-6.2.2-02", "GA-6.3-03", "GA-7.1-02", "GA-7.2-01", "GA-7.3-02", "GA-7.4-01", "GA-7.5.1-02",
    "GA-7.5.2-01", "GA-7.5.2-02", "GA-7.5.2-03", "GA-7.5.3-02", "GA-7.5.3-03", "GA-7.5.4-02",
    "GA-7.6-01", "GA-8.1-01", "GA-8.2.2-03", "GA-8.2.2-04", "GA-8.2.3-01", "GA-8.2.3-02",
    "GA-8.2.3-03", "GA-8.2.4-03", "GA-8.2.5-01", "GA-8.2.6-04", "GA-8.3.1-01", "GA-8.3.1-02",
    "GA-8.3.2-02", "GA-8.3.2-03", "GA-8.3.2-04", "GA-8.3.3-03", "GA-8.3.3-04", "GA-8.3.4.1-03",
    "GA-8.3.4.2-02", "GA-8.4.1-01", "GA-8.4.1-02", "GA-8.4.2-01", "GA-8.4.2-02", "GA-8.4.3-02",
    "GA-8.4.3-03", "GA-8.5.2.1-01", "GA-8.5.2.1-02", "GA-8.5.2.1-03", "GA-8.5.2.3-01",
    "GA-8.5.2.3-02", "GA-8.5.3-02", "GA-8.6.2-02", "GA-8.7.3.1-02", "GA-8.7.3.2-03", "GA-9.1-01",
    "GA-9.4-01", "GA-9.4-02", "GA-9.4-03",
}


def set_tiers(apps, schema_editor):
    Question = apps.get_model("gapanalysis", "Question")
    asked = Question.objects.exclude(documented_information="none")
    asked.update(documented_information_tier="required")
    asked.filter(
        template__project__isnull=True, template__slug="iso20000-1-2018", template__version=1,
        code__in=V1_RECOMMENDED,
    ).update(documented_information_tier="recommended")


class Migration(migrations.Migration):
    dependencies = [("gapanalysis", "0004_checklist_template_project")]

    operations = [
        migrations.AddField(
            model_name="question",
            name="documented_information_tier",
            field=models.CharField(
                blank=True,
                choices=[("required", "Required by the standard"), ("recommended", "Good practice")],
                default="",
                max_length=12,
            ),
        ),
        migrations.RunPython(set_tiers, migrations.RunPython.noop),
    ]
