"""The halls the drills work on, made in bulk through the models (bulk_create), with the deadlines the SLA engine
computes from the hall's policies."""

import datetime as dt
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from hall import sla
from hall.models import Customer, DutyManagerDay, Hall, Role, SlaClock
from harness.people import person
from repairs.models import RepairOrder, RepairStatus


def staffed_hall(code: str, *, workers: int = 3) -> SimpleNamespace:
    """A hall with its hall manager, today's duty manager, two clerks and repair workers, each with a mobile number;
    no passwords (quicker to make), the drill signs in with tokens."""
    hall = Hall.objects.create(code=code, name=f"演练营业厅 {code}")
    numbers = iter(range(13900000001, 13900001000))

    def member(username, role):
        return person(hall, f"{code}-{username}", role, password=None, mobile=str(next(numbers)))

    staff = SimpleNamespace(
        hall=hall,
        manager=member("manager", Role.HALL_MANAGER),
        duty=member("duty", Role.DUTY_MANAGER),
        clerks=[member(f"clerk{n}", Role.CLERK) for n in (1, 2)],
        workers=[member(f"worker{n}", Role.REPAIR_WORKER) for n in range(1, workers + 1)],
    )
    DutyManagerDay.objects.create(hall=hall, date=hall.today(), manager=staff.duty)
    return staff


def due_repairs(staff: SimpleNamespace, reach: list[tuple[int, dt.datetime]]) -> dict[int, int]:
    """One repair order per (level, time), dispatched to the hall's workers in turn, each with its running on-site
    clock begun so long ago that it reaches that level at that time (past or to come), its policy's window by the
    order's urgency. Each waits at the level before, as the sweep left it. Returns {clock id: its level}."""
    hall = staff.hall
    customers = Customer.objects.bulk_create(
        Customer(hall=hall, name=f"客户{n}", phone=f"137{n:08d}", address=f"人民路 {n} 号")
        for n in range(1, len(reach) // 10 + 2)
    )
    now = timezone.now()
    windows = {
        u: sla.deadline(start=now, policy=sla.policy_for(hall, f"repair-respond-{u}"), urgent=False, hall=hall) - now
        for u in (1, 2, 3)
    }
    orders = []
    for n, (level, at) in enumerate(reach):
        urgency, customer = 1 + n % 3, customers[n // 10]
        started = at - windows[urgency] * sla.LEVEL_SHARES[level]
        orders.append(
            RepairOrder(
                hall=hall,
                number=f"BX{n:07d}",
                customer=customer,
                customer_name=customer.name,
                phone=customer.phone,
                address=customer.address,
                fault="outage",
                description="整栋楼停电",
                urgency=urgency,
                status=RepairStatus.DISPATCHED,
                worker=staff.workers[n % len(staff.workers)],
                respond_by=started + windows[urgency],
                next_due_at=started + windows[urgency],
                dispatched_at=started,
                created_at=started,
            )
        )
    RepairOrder.objects.bulk_create(orders, batch_size=2000)
    content_type = ContentType.objects.get_for_model(RepairOrder)
    clocks = [
        SlaClock(
            hall=hall,
            content_type=content_type,
            object_id=order.pk,
            name="respond",
            label="Repair %(number)s: on site",
            label_params={"number": order.number},
            link=order.get_absolute_url(),
            responsible=order.worker,
            started_at=order.created_at,
            due_at=order.respond_by,
            level=level - 1,
            next_level_at=at,
        )
        for order, (level, at) in zip(orders, reach, strict=True)
    ]
    SlaClock.objects.bulk_create(clocks, batch_size=2000)
    return {clock.pk: level for clock, (level, _at) in zip(clocks, reach, strict=True)}
