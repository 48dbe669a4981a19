"""A duty's note takes 2,000 characters like every note (hall.limits.TEXT_MAX), a chore's checklist 4,000 like a
handover note (LONG_TEXT_MAX): the pages and the API refuse longer text, never cut it."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('staff', '0003_duty_reason_codes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='chore',
            name='checklist',
            field=models.TextField(blank=True, max_length=4000, verbose_name='description or checklist'),
        ),
        migrations.AlterField(
            model_name='duty',
            name='note',
            field=models.CharField(blank=True, max_length=2000, verbose_name='note'),
        ),
    ]
