import datetime as dt

import pytest

from hall.errors import NotPermitted
from hall.models import Role, SlaClock
from repairs import services
from repairs.models import RepairStatus
from tests.factories import UserFactory, register_repair

pytestmark = pytest.mark.django_db


@pytest.fixture
def workers(hall):
    return [UserFactory(hall=hall, username=f"w{n}", roles=[Role.REPAIR_WORKER]) for n in (1, 2)]


def running(repair):
    return {clock.name: clock for clock in SlaClock.objects.filter(object_id=repair.pk, stopped_at__isnull=True)}


def test_it_registers_with_a_number_and_a_respond_clock_by_urgency(clock, hall, clerk):
    repair = register_repair(hall, actor=clerk, urgency=1)

    assert repair.number == "BX20260302-0001"
    assert repair.status == RepairStatus.REGISTERED
    assert repair.respond_by == dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)
    assert running(repair)["respond"].due_at == repair.respond_by


def test_it_gives_key_customers_half_the_time(clock, hall, clerk):
    repair = register_repair(hall, actor=clerk, urgency=3, key_customer=True)

    assert repair.respond_by - repair.created_at == dt.timedelta(hours=4)


def test_it_dispatches_to_the_least_loaded_worker(clock, hall, clerk, workers):
    first = services.repair_dispatch(repair=register_repair(hall, actor=clerk), actor=clerk)
    second = services.repair_dispatch(repair=register_repair(hall, actor=clerk, phone="13900000000"), actor=clerk)

    assert {first.worker, second.worker} == set(workers)
    assert running(first)["respond"].responsible == first.worker


def test_a_full_visit_stops_each_clock_at_its_step(clock, hall, clerk, workers):
    repair = register_repair(hall, actor=clerk)
    repair = services.repair_diagnose(repair=repair, advice="先检查总闸", actor=clerk)
    repair = services.repair_dispatch(repair=repair, worker=workers[0], actor=clerk)
    clock.shift(dt.timedelta(hours=1))
    repair = services.repair_arrive(repair=repair, actor=workers[0])
    assert "respond" not in running(repair)
    repair = services.repair_complete(repair=repair, notes="更换熔断器", actor=workers[0])
    assert repair.callback_by == repair.completed_at + dt.timedelta(hours=24)
    repair = services.repair_callback(repair=repair, satisfaction=5, notes="满意", actor=clerk)
    repair = services.repair_close(repair=repair, actor=clerk)

    repair.refresh_from_db()
    assert repair.status == RepairStatus.CLOSED
    assert running(repair) == {}


def test_an_unsatisfied_callback_reopens_the_order_to_its_worker(clock, hall, clerk, workers):
    repair = services.repair_dispatch(repair=register_repair(hall, actor=clerk), worker=workers[1], actor=clerk)
    repair = services.repair_arrive(repair=repair, actor=workers[1])
    repair = services.repair_complete(repair=repair, notes="已处理", actor=workers[1])

    repair = services.repair_callback(repair=repair, satisfaction=2, notes="还是停电", actor=clerk)

    repair.refresh_from_db()
    assert repair.status == RepairStatus.DISPATCHED
    assert repair.worker == workers[1]
    assert set(running(repair)) == {"respond"}
    assert workers[1].notifications.filter(kind="repair_reopened").exists()


def test_the_assigned_worker_may_act_on_an_order_object_from_before_the_dispatch(clock, hall, clerk, workers):
    registered = register_repair(hall, actor=clerk)
    services.repair_dispatch(repair=registered, worker=workers[0], actor=clerk)

    repair = services.repair_arrive(repair=registered, actor=workers[0])

    assert repair.status == RepairStatus.ON_SITE


def test_another_worker_may_not_mark_the_arrival(clock, hall, clerk, workers):
    repair = services.repair_dispatch(repair=register_repair(hall, actor=clerk), worker=workers[0], actor=clerk)

    with pytest.raises(NotPermitted):
        services.repair_arrive(repair=repair, actor=workers[1])
    repair.refresh_from_db()
    assert repair.status == RepairStatus.DISPATCHED


def test_automatic_dispatch_passes_over_a_worker_on_leave(clock, hall, clerk, workers, manager):
    from staff import roster_services

    leave = roster_services.leave_request(staff=workers[0], start=hall.today(), end=hall.today(), actor=workers[0])
    roster_services.leave_approve(leave=leave, actor=manager)

    first = services.repair_dispatch(repair=register_repair(hall, actor=clerk), actor=clerk)
    second = services.repair_dispatch(repair=register_repair(hall, actor=clerk, phone="13900000000"), actor=clerk)

    assert first.worker == second.worker == workers[1]
