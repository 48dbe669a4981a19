from django.db import migrations


def seed(apps, schema_editor):
    from hall.calendar import load_holidays
    from hall.sla import DEFAULT_POLICIES

    load_holidays(apps.get_model("hall", "CalendarDay"))
    Hall = apps.get_model("hall", "Hall")
    SlaPolicy = apps.get_model("hall", "SlaPolicy")
    for hall in Hall.objects.all():
        for key, policy in DEFAULT_POLICIES.items():
            SlaPolicy.objects.get_or_create(
                hall=hall,
                key=key,
                defaults={"amount": policy.amount, "unit": policy.unit, "urgent_percent": policy.urgent_percent},
            )


class Migration(migrations.Migration):
    dependencies = [("hall", "0004_clock_labels_skills_sequences")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
