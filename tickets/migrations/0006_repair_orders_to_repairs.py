from django.db import migrations

MOVED_MODELS = ["repairorder", "repairphoto"]


def content_types_to(app_label: str, from_label: str):
    """SLA clocks, timeline events and permissions point at repair orders through their content type: the rows
    keep their ids and only change app."""

    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        ContentType.objects.filter(app_label=from_label, model__in=MOVED_MODELS).update(app_label=app_label)

    return move


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("tickets", "0005_queue_models_from_hall"),
    ]

    # Repair orders move to the repairs app on the same tables (repairs 0001 takes them into its state). The
    # models leave before they arrive, so no migrate that stops in between creates content types for both apps.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="RepairPhoto"),
                migrations.DeleteModel(name="RepairOrder"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to("repairs", "tickets"), content_types_to("tickets", "repairs")),
    ]
