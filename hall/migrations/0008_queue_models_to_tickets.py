# Business types, counters and counter services now belong to the queue (tickets 0005): they leave the hall's
# migration state only; their tables stay as they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('hall', '0007_fewer_indexes_on_insert'),
        ('tickets', '0005_queue_models_from_hall'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name='counter', name='business_types'),
                migrations.DeleteModel(name='CounterService'),
                migrations.DeleteModel(name='Counter'),
                migrations.DeleteModel(name='BusinessType'),
            ],
            database_operations=[],
        ),
    ]
