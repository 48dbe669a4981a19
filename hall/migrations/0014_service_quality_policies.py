from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hall", "0013_area_managers"),
    ]

    operations = [
        migrations.AlterField(
            model_name="slapolicy",
            name="key",
            field=models.SlugField(
                choices=[
                    ("repair-respond-1", "Repair response, urgency 1 (critical)"),
                    ("repair-respond-2", "Repair response, urgency 2 (serious)"),
                    ("repair-respond-3", "Repair response, urgency 3 (normal)"),
                    ("repair-callback", "Repair callback"),
                    ("complaint-first-contact", "Complaint: first contact"),
                    ("complaint-progress", "Complaint: progress report"),
                    ("complaint-result", "Complaint: result"),
                    ("complaint-follow-up", "Complaint: follow-up"),
                    ("duty-done", "Chore done on time"),
                    ("handover-ack", "Handover acknowledged"),
                    ("suggestion-reply", "Suggestion: reply"),
                    ("assessment-appeal", "Assessment appeal decided"),
                    ("rectification", "Patrol finding rectified"),
                ],
                verbose_name="clock",
            ),
        ),
    ]
