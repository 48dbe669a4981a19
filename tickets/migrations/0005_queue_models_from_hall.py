# The queue's reference data (business types, counters and what each counter serves) moves from the hall core to
# the queue: only the migration state changes, the tables keep their names (hall_*) and their rows.

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["businesstype", "counter", "counterservice"]


def relabel(old: str, new: str):
    """Content types follow the models, so timeline events, permissions and admin history keep pointing at them."""

    def run(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        types = ContentType.objects.using(schema_editor.connection.alias)
        present = set(types.filter(app_label=new, model__in=MOVED).values_list("model", flat=True))
        types.filter(app_label=old, model__in=[m for m in MOVED if m not in present]).update(app_label=new)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('hall', '0007_fewer_indexes_on_insert'),
        ('tickets', '0004_fewer_indexes_on_insert'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='BusinessType',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=1, validators=[django.core.validators.RegexValidator('^[A-Z]$', 'One capital letter, A to Z.')], verbose_name='letter')),
                        ('name', models.CharField(max_length=50, verbose_name='name')),
                        ('name_en', models.CharField(blank=True, max_length=50, verbose_name='English name')),
                        ('daily_quota', models.PositiveIntegerField(blank=True, help_text='Tickets per day; empty for no limit.', null=True, verbose_name='daily quota')),
                        ('default_service_minutes', models.PositiveSmallIntegerField(default=5, help_text='Used for predicted waits until enough tickets of this type were served.', validators=[django.core.validators.MinValueValidator(1)], verbose_name='default service minutes')),
                        ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('is_active', models.BooleanField(default=True, verbose_name='active')),
                        ('hall', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='business_types', to='hall.hall', verbose_name='hall')),
                    ],
                    options={
                        'verbose_name': 'business type',
                        'verbose_name_plural': 'business types',
                        'db_table': 'hall_businesstype',
                        'ordering': ['hall', 'sort_order', 'code'],
                        'constraints': [models.UniqueConstraint(fields=('hall', 'code'), name='unique_business_type_code')],
                    },
                ),
                migrations.CreateModel(
                    name='Counter',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='number')),
                        ('name', models.CharField(blank=True, max_length=50, verbose_name='name')),
                        ('status', models.CharField(choices=[('open', 'Open'), ('paused', 'Paused'), ('closed', 'Closed')], default='closed', max_length=10, verbose_name='status')),
                        ('priority_streak', models.PositiveSmallIntegerField(default=0, editable=False, verbose_name='priority calls in a row')),
                        ('clerk', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='counters', to=settings.AUTH_USER_MODEL, verbose_name='clerk')),
                        ('hall', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='counters', to='hall.hall', verbose_name='hall')),
                    ],
                    options={
                        'verbose_name': 'counter',
                        'verbose_name_plural': 'counters',
                        'db_table': 'hall_counter',
                        'ordering': ['hall', 'number'],
                        'constraints': [models.UniqueConstraint(fields=('hall', 'number'), name='unique_counter_number')],
                    },
                ),
                migrations.CreateModel(
                    name='CounterService',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('weight', models.PositiveSmallIntegerField(default=1, help_text='A waiting minute of this type counts this many times when the counter picks the next ticket.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)], verbose_name='weight')),
                        ('business_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='counter_services', to='tickets.businesstype')),
                        ('counter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='services', to='tickets.counter')),
                    ],
                    options={
                        'verbose_name': 'counter service',
                        'verbose_name_plural': 'counter services',
                        'db_table': 'hall_counterservice',
                        'constraints': [
                            models.UniqueConstraint(fields=('counter', 'business_type'), name='unique_counter_service'),
                            models.CheckConstraint(condition=models.Q(('weight__gte', 1)), name='counter_service_weight_positive'),
                        ],
                    },
                ),
                migrations.AddField(
                    model_name='counter',
                    name='business_types',
                    field=models.ManyToManyField(related_name='counters', through='tickets.CounterService', to='tickets.businesstype', verbose_name='business types'),
                ),
                migrations.AlterField(
                    model_name='ticket',
                    name='business_type',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='tickets', to='tickets.businesstype', verbose_name='business type'),
                ),
                migrations.AlterField(
                    model_name='ticket',
                    name='issued_type',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tickets.businesstype'),
                ),
                migrations.AlterField(
                    model_name='ticket',
                    name='counter',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='tickets', to='tickets.counter', verbose_name='counter'),
                ),
                migrations.AlterField(
                    model_name='ticket',
                    name='target_counter',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='tickets.counter'),
                ),
                migrations.AlterField(
                    model_name='ticketsequence',
                    name='business_type',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tickets.businesstype'),
                ),
                migrations.AlterField(
                    model_name='ticketcall',
                    name='counter',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tickets.counter'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel('hall', 'tickets'), relabel('tickets', 'hall')),
    ]
