from django.db import migrations, models

import feedback.models


def give_references(apps, schema_editor):
    """Each suggestion or praise received before references existed gets its own."""
    Feedback = apps.get_model("feedback", "Feedback")
    given = set()
    batch = []
    for row in Feedback.objects.filter(reference__isnull=True).only("pk").iterator(chunk_size=1000):
        reference = feedback.models.new_reference()
        while reference in given:
            reference = feedback.models.new_reference()
        given.add(reference)
        row.reference = reference
        batch.append(row)
    Feedback.objects.bulk_update(batch, ["reference"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0002_evidence_from_hall"),
    ]

    operations = [
        migrations.AddField(
            model_name="feedback",
            name="reference",
            field=models.CharField(editable=False, max_length=12, null=True, verbose_name="reference"),
        ),
        migrations.RunPython(give_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="feedback",
            name="reference",
            field=models.CharField(
                default=feedback.models.new_reference,
                editable=False,
                max_length=12,
                unique=True,
                verbose_name="reference",
            ),
        ),
    ]
