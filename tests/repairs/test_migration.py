import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from hall import sla
from hall.timeline import timeline_for
from repairs.models import RepairOrder
from tests.factories import register_repair

MOVE = ("tickets", "0006_repair_orders_to_repairs")


def before_the_move(executor) -> tuple[str, str]:
    """The queue app's migration just before repair orders left it."""
    (parent,) = (node.key for node in executor.loader.graph.node_map[MOVE].parents if node.key[0] == "tickets")
    return parent


@pytest.mark.django_db(transaction=True)
def test_repair_orders_keep_their_rows_clocks_timeline_and_photos_when_they_move_to_their_own_app(hall, clerk):
    repair = register_repair(hall, actor=clerk)
    content_type = ContentType.objects.get_for_model(RepairOrder).pk
    executor = MigrationExecutor(connection)
    before = before_the_move(executor)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    assert old.get_model("tickets", "RepairOrder").objects.get().number == repair.number
    old_type = old.get_model("contenttypes", "ContentType").objects.get(pk=content_type)
    assert (old_type.app_label, old_type.model) == ("tickets", "repairorder")
    old.get_model("tickets", "RepairPhoto").objects.create(repair_id=repair.pk, image="repairs/2026/11/a.jpg")
    old.get_model("hall", "TimelineEvent").objects.create(
        hall_id=hall.pk, content_type_id=content_type, object_id=repair.pk, action="diagnose"
    )

    call_command("migrate", verbosity=0)
    ContentType.objects.clear_cache()

    moved = RepairOrder.objects.get()
    assert (moved.pk, moved.number, moved.customer_name) == (repair.pk, repair.number, repair.customer_name)
    assert ContentType.objects.get_for_model(RepairOrder).pk == content_type
    assert [clock.name for clock in sla.clocks_of(moved)] == ["respond"]
    assert [event.action for event in timeline_for(moved).order_by("id")] == ["register", "diagnose"]
    assert [photo.image.name for photo in moved.photos.all()] == ["repairs/2026/11/a.jpg"]
