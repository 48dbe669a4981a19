import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import hall.models
import hall.uploads
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('hall', '0007_fewer_indexes_on_insert'),
        ('tickets', '0006_repair_orders_to_repairs'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Repair orders moved from the queue app (tickets 0006): the tables, their rows and constraints stay as they are.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='RepairOrder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.CharField(max_length=20, verbose_name='number')),
                        ('customer_name', models.CharField(max_length=100, verbose_name='customer name')),
                        ('phone', models.CharField(db_index=True, max_length=20, verbose_name='phone')),
                        ('address', models.CharField(max_length=200, verbose_name='address')),
                        ('fault', models.CharField(choices=[('outage', 'No power / no heat'), ('line', 'Line or pipe fault'), ('meter', 'Meter'), ('voltage', 'Voltage or pressure problem'), ('equipment', 'Customer equipment'), ('other', 'Other')], max_length=20, verbose_name='fault')),
                        ('description', models.TextField(max_length=2000, verbose_name='description')),
                        ('urgency', models.PositiveSmallIntegerField(choices=[(1, '1 – critical'), (2, '2 – serious'), (3, '3 – normal')], default=3, verbose_name='urgency')),
                        ('key_customer', models.BooleanField(default=False, verbose_name='key customer')),
                        ('status', models.CharField(choices=[('registered', 'Registered'), ('diagnosed', 'Diagnosed'), ('dispatched', 'Dispatched'), ('on_site', 'On site'), ('completed', 'Completed'), ('followed_up', 'Followed up'), ('closed', 'Closed')], default='registered', max_length=12, verbose_name='status')),
                        ('advice', models.TextField(blank=True, verbose_name='preliminary advice')),
                        ('completion_notes', models.TextField(blank=True, verbose_name='completion notes')),
                        ('satisfaction', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='satisfaction')),
                        ('callback_notes', models.TextField(blank=True, verbose_name='callback notes')),
                        ('token', models.CharField(default=hall.models.new_token, editable=False, max_length=32, unique=True)),
                        ('respond_by', models.DateTimeField(verbose_name='respond by')),
                        ('callback_by', models.DateTimeField(blank=True, null=True, verbose_name='call back by')),
                        ('next_due_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='next deadline')),
                        ('dispatched_at', models.DateTimeField(blank=True, null=True, verbose_name='dispatched at')),
                        ('arrived_at', models.DateTimeField(blank=True, null=True, verbose_name='arrived at')),
                        ('completed_at', models.DateTimeField(blank=True, null=True, verbose_name='completed at')),
                        ('followed_up_at', models.DateTimeField(blank=True, null=True, verbose_name='followed up at')),
                        ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed at')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='registered at')),
                        ('customer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='%(app_label)s', to='hall.customer', verbose_name='customer')),
                        ('hall', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='%(app_label)s', to='hall.hall', verbose_name='hall')),
                        ('registered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='registered by')),
                        ('repeat_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='repeats', to='repairs.repairorder', verbose_name='repeat of')),
                        ('worker', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='repairs', to=settings.AUTH_USER_MODEL, verbose_name='repair worker')),
                    ],
                    options={
                        'verbose_name': 'repair order',
                        'verbose_name_plural': 'repair orders',
                        'db_table': 'tickets_repairorder',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='RepairPhoto',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('image', models.FileField(upload_to=hall.uploads.RandomName('repairs'), verbose_name='photo')),
                        ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='uploaded at')),
                        ('repair', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='repairs.repairorder')),
                        ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'repair photo',
                        'verbose_name_plural': 'repair photos',
                        'db_table': 'tickets_repairphoto',
                        'ordering': ['uploaded_at', 'id'],
                    },
                ),
                migrations.AddIndex(
                    model_name='repairorder',
                    index=models.Index(fields=['hall', '-created_at'], name='repair_hall_recent_idx'),
                ),
                migrations.AddIndex(
                    model_name='repairorder',
                    index=models.Index(fields=['hall', 'status', '-created_at'], name='repair_hall_status_idx'),
                ),
                migrations.AddIndex(
                    model_name='repairorder',
                    index=models.Index(fields=['worker', 'status'], name='repair_worker_idx'),
                ),
                migrations.AddIndex(
                    model_name='repairorder',
                    index=models.Index(fields=['hall', 'address'], name='repair_address_idx'),
                ),
                migrations.AddIndex(
                    model_name='repairorder',
                    index=models.Index(condition=models.Q(('next_due_at__isnull', False)), fields=['hall', 'next_due_at'], name='repair_next_due_idx'),
                ),
                migrations.AddConstraint(
                    model_name='repairorder',
                    constraint=models.UniqueConstraint(fields=('hall', 'number'), name='unique_repair_number'),
                ),
                migrations.AddConstraint(
                    model_name='repairorder',
                    constraint=models.CheckConstraint(condition=models.Q(('urgency__in', [1, 2, 3])), name='repair_urgency_1_to_3'),
                ),
                migrations.AddConstraint(
                    model_name='repairorder',
                    constraint=models.CheckConstraint(condition=models.Q(('satisfaction__isnull', True), models.Q(('satisfaction__gte', 1), ('satisfaction__lte', 5)), _connector='OR'), name='repair_satisfaction_1_to_5'),
                ),
                migrations.AddConstraint(
                    model_name='repairorder',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['dispatched', 'on_site', 'completed']), _negated=True), ('worker__isnull', False), _connector='OR'), name='repair_dispatched_has_worker'),
                ),
            ],
            database_operations=[],
        ),
    ]
