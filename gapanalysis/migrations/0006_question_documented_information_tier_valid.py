"""The tier is set exactly when a question asks for documented information (a migration of its own:
PostgreSQL cannot add the constraint in the transaction that filled the column)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("gapanalysis", "0005_question_documented_information_tier")]

    operations = [
        migrations.AddConstraint(
            model_name="question",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("documented_information", "none"), ("documented_information_tier", "")),
                    models.Q(
                        models.Q(("documented_information", "none"), _negated=True),
                        ("documented_information_tier__in", ["required", "recommended"]),
                    ),
                    _connector="OR",
                ),
                name="question_documented_information_tier_valid",
            ),
        ),
    ]
