"""The sweep: each level of each clock fires once, at its moment, to the right people, however many sweeps run."""

import datetime as dt
import zoneinfo
from collections import Counter
from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.utils import timezone

from hall import sla
from hall.models import Notification, Role, SlaClock, SlaLevel, User
from repairs import services as repair_services
from repairs.models import RepairOrder
from tests.factories import HallFactory, UserFactory, register_repair
from tests.notifications import written
from tests.threads import run_threads

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)  # the `clock` fixture's moment
SECOND = dt.timedelta(seconds=1)
HOUR = dt.timedelta(hours=1)


@dataclass
class Running:
    repair: RepairOrder
    name: str
    window: dt.timedelta
    responsible: User

    def at(self, share):
        return START + self.window * share

    def clock(self):
        return SlaClock.objects.get(object_id=self.repair.pk, name=self.name)


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def sweep_at(clock, moment):
    clock.move_to(moment)
    return sla.sla_sweep()


@pytest.fixture
def people(clerk, worker, duty, manager):
    return {"clerk": clerk, "worker": worker, "duty": duty, "manager": manager}


@pytest.fixture(
    params=[
        pytest.param(("respond", 1, False, 2), id="respond-urgency-1-2h"),
        pytest.param(("respond", 2, False, 4), id="respond-urgency-2-4h"),
        pytest.param(("respond", 3, False, 8), id="respond-urgency-3-8h"),
        pytest.param(("respond", 1, True, 1), id="respond-urgency-1-key-customer-1h"),
        pytest.param(("respond", 2, True, 2), id="respond-urgency-2-key-customer-2h"),
        pytest.param(("respond", 3, True, 4), id="respond-urgency-3-key-customer-4h"),
        pytest.param(("callback", 2, False, 24), id="callback-24h"),
        pytest.param(("callback", 1, True, 24), id="callback-key-customer-24h"),
    ]
)
def running(request, clock, hall, people):
    """A repair order at START with the clock under test running and someone responsible for it."""
    name, urgency, key_customer, hours = request.param
    clerk, worker = people["clerk"], people["worker"]
    repair = register_repair(hall, actor=clerk, urgency=urgency, key_customer=key_customer)
    repair = repair_services.repair_dispatch(repair=repair, worker=worker, actor=clerk)
    if name == "callback":
        repair = repair_services.repair_arrive(repair=repair, actor=worker)
        repair = repair_services.repair_complete(repair=repair, notes="换了保险丝", actor=worker)
    return Running(repair, name, dt.timedelta(hours=hours), clerk if name == "callback" else worker)


@pytest.fixture
def repair(clock, hall, clerk):
    """An urgency-2 order (4 hours to be on site) registered at START, nobody dispatched yet."""
    return register_repair(hall, actor=clerk, urgency=2)


def respond_clock(repair):
    return SlaClock.objects.get(object_id=repair.pk, name="respond", stopped_at__isnull=True)


# Each level, just before, at and just after its moment


@pytest.mark.django_db
def test_the_responsible_is_warned_in_the_app_exactly_at_half_the_window(clock, running):
    assert sweep_at(clock, running.at(0.5) - SECOND) == 0
    assert running.clock().level == SlaLevel.RUNNING

    assert sweep_at(clock, running.at(0.5)) == 1
    assert sweep_at(clock, running.at(0.5) + SECOND) == 0

    assert written() == {("sla_warned_half", running.responsible.username, "in_app"): 1}
    assert running.clock().level == SlaLevel.WARNED_HALF
    assert running.clock().next_level_at == running.at(0.75)


@pytest.mark.django_db
def test_the_responsible_is_warned_again_exactly_at_three_quarters(clock, running):
    sweep_at(clock, running.at(0.5))

    assert sweep_at(clock, running.at(0.75) - SECOND) == 0
    assert sweep_at(clock, running.at(0.75)) == 1
    assert sweep_at(clock, running.at(0.75) + SECOND) == 0

    assert written("sla_warned_three_quarters") == {
        ("sla_warned_three_quarters", running.responsible.username, "in_app"): 1
    }
    assert sum(written().values()) == 2
    assert running.clock().level == SlaLevel.WARNED_THREE_QUARTERS


@pytest.mark.django_db
def test_a_breach_tells_the_responsible_and_the_duty_manager_in_the_app_and_by_sms_at_the_deadline(clock, running):
    sweep_at(clock, running.at(0.75))

    assert sweep_at(clock, running.at(1) - SECOND) == 0
    assert sweep_at(clock, running.at(1)) == 4
    assert sweep_at(clock, running.at(1) + SECOND) == 0

    who = running.responsible.username
    assert written("sla_breached") == {
        ("sla_breached", who, "in_app"): 1,
        ("sla_breached", who, "sms"): 1,
        ("sla_breached", "duty", "in_app"): 1,
        ("sla_breached", "duty", "sms"): 1,
    }
    assert set(Notification.objects.filter(kind="sla_breached", channel="sms").values_list("sent_at", flat=True)) == {
        None
    }
    clock_row = running.clock()
    assert (clock_row.level, clock_row.next_level_at) == (SlaLevel.BREACHED, running.at(2))


@pytest.mark.django_db
def test_the_hall_manager_hears_of_it_one_more_full_window_after_the_deadline(clock, running):
    sweep_at(clock, running.at(1))

    assert sweep_at(clock, running.at(2) - SECOND) == 0
    assert sweep_at(clock, running.at(2)) == 2
    assert sweep_at(clock, running.at(2) + SECOND) == 0
    assert sweep_at(clock, running.at(2) + dt.timedelta(days=30)) == 0

    assert written("sla_escalated") == {
        ("sla_escalated", "manager", "in_app"): 1,
        ("sla_escalated", "manager", "sms"): 1,
    }
    clock_row = running.clock()
    assert (clock_row.level, clock_row.next_level_at) == (SlaLevel.ESCALATED, None)


@pytest.mark.django_db
def test_the_clock_state_turns_at_risk_at_three_quarters_and_overdue_at_the_deadline(clock, running):
    expected = [
        (running.at(0.5), "on_time"),
        (running.at(0.75) - SECOND, "on_time"),
        (running.at(0.75), "at_risk"),
        (running.at(1) - SECOND, "at_risk"),
        (running.at(1), "overdue"),
        (running.at(2) + SECOND, "overdue"),
    ]

    for moment, state in expected:
        sweep_at(clock, moment)
        assert sla.clock_state(running.clock()) == state, moment


# Who hears what


@pytest.mark.django_db
def test_a_sweep_that_was_down_sends_only_the_highest_level_reached(clock, repair, duty):
    assert sweep_at(clock, at(2026, 3, 2, 13, 5)) == 2

    assert written() == {("sla_breached", "duty", "in_app"): 1, ("sla_breached", "duty", "sms"): 1}
    assert respond_clock(repair).next_level_at == at(2026, 3, 2, 17, 0)


@pytest.mark.django_db
def test_before_dispatch_the_warnings_go_to_the_duty_managers(clock, repair, duty):
    sweep_at(clock, at(2026, 3, 2, 11, 0))

    assert written() == {("sla_warned_half", "duty", "in_app"): 1}


@pytest.mark.django_db
def test_a_reassigned_order_warns_its_new_worker(clock, repair, hall, clerk, worker):
    other = UserFactory(hall=hall, username="worker2", roles=[Role.REPAIR_WORKER])
    repair = repair_services.repair_dispatch(repair=repair, worker=worker, actor=clerk)
    sweep_at(clock, at(2026, 3, 2, 11, 0))
    clock.move_to(at(2026, 3, 2, 11, 30))
    repair_services.repair_dispatch(repair=repair, worker=other, actor=clerk)

    sweep_at(clock, at(2026, 3, 2, 12, 0))

    assert written() == {
        ("sla_warned_half", "worker1", "in_app"): 1,
        ("sla_warned_three_quarters", "worker2", "in_app"): 1,
    }


@pytest.mark.django_db
def test_escalation_goes_to_the_duty_managers_of_a_hall_without_a_hall_manager(clock, repair, duty):
    sweep_at(clock, at(2026, 3, 2, 13, 0))
    sweep_at(clock, at(2026, 3, 2, 17, 0))

    assert written("sla_escalated") == {("sla_escalated", "duty", "in_app"): 1, ("sla_escalated", "duty", "sms"): 1}


@pytest.mark.django_db
def test_only_the_clocks_own_hall_and_active_managers_hear_of_a_breach(clock, repair, duty, hall):
    north = HallFactory(code="north")
    UserFactory(hall=north, username="north_duty", roles=[Role.DUTY_MANAGER])
    UserFactory(hall=hall, username="gone_duty", roles=[Role.DUTY_MANAGER], is_active=False)

    sweep_at(clock, at(2026, 3, 2, 13, 0))

    assert {username for _, username, _ in written()} == {"duty"}


@pytest.mark.django_db
def test_a_reminder_names_the_order_and_its_deadline_in_hall_time_and_links_to_it(clock, repair, duty):
    sweep_at(clock, at(2026, 3, 2, 11, 0))

    reminder = Notification.objects.get(kind="sla_warned_half")
    assert repair.number in reminder.subject
    assert "3月2日 13:00" in reminder.subject
    assert reminder.link == f"/repairs/{repair.pk}/"
    assert reminder.hall_id == repair.hall_id


@pytest.mark.django_db
def test_a_working_day_clock_breaches_at_23_59_59_of_its_last_working_day(clock, repair, worker, duty):
    sla.clock_start(
        subject=repair, name="progress", policy_key="complaint-progress", responsible=worker, start=at(2026, 9, 30, 10)
    )
    sweep_at(clock, at(2026, 10, 10, 12, 0))

    assert sweep_at(clock, at(2026, 10, 10, 23, 59, 58)) == 0
    assert sweep_at(clock, at(2026, 10, 10, 23, 59, 59)) == 4
    assert sweep_at(clock, at(2026, 10, 11, 0, 0)) == 0


# Stopped clocks


@pytest.mark.django_db
def test_a_clock_stopped_before_half_the_window_never_fires(clock, repair, clerk, worker, duty, manager):
    repair = repair_services.repair_dispatch(repair=repair, worker=worker, actor=clerk)
    clock.move_to(at(2026, 3, 2, 10, 59, 59))
    repair_services.repair_arrive(repair=repair, actor=worker)

    for moment in [at(2026, 3, 2, 11, 0), at(2026, 3, 2, 13, 0), at(2026, 3, 2, 17, 0), at(2026, 4, 2, 9, 0)]:
        assert sweep_at(clock, moment) == 0

    assert written() == {}
    stopped = SlaClock.objects.get(object_id=repair.pk, name="respond")
    assert (stopped.level, stopped.next_level_at, sla.clock_state(stopped)) == (SlaLevel.RUNNING, None, "stopped")


@pytest.mark.django_db
def test_a_clock_stopped_after_a_warning_sends_nothing_more(clock, repair, clerk, worker, duty, manager):
    repair = repair_services.repair_dispatch(repair=repair, worker=worker, actor=clerk)
    sweep_at(clock, at(2026, 3, 2, 11, 0))
    repair_services.repair_arrive(repair=repair, actor=worker)

    assert sweep_at(clock, at(2026, 3, 2, 12, 0)) == 0
    assert sweep_at(clock, at(2026, 3, 3, 12, 0)) == 0

    assert written() == {("sla_warned_half", "worker1", "in_app"): 1}


@pytest.mark.django_db
def test_a_callback_made_in_time_stops_its_clock_for_good(clock, repair, clerk, worker, duty, manager):
    repair = repair_services.repair_dispatch(repair=repair, worker=worker, actor=clerk)
    repair = repair_services.repair_arrive(repair=repair, actor=worker)
    repair = repair_services.repair_complete(repair=repair, notes="ok", actor=worker)
    clock.move_to(at(2026, 3, 2, 20, 0))
    repair_services.repair_callback(repair=repair, satisfaction=5, actor=clerk)

    assert sweep_at(clock, at(2026, 3, 5, 9, 0)) == 0
    assert written() == {}


# Exactly once with several sweeps


def due_clocks(hall, worker, count):
    """`count` running 4-hour clocks, all due now and never swept: a third at 50 %, a third at 75 %, a third
    breached. Returns how many notifications they imply."""
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(RepairOrder)
    ages = {0: 150, 1: 210, 2: 300}  # minutes since start: 50 %, 75 %, breached
    clocks = []
    for n in range(count):
        started = now - dt.timedelta(minutes=ages[n % 3])
        clocks.append(
            SlaClock(
                hall=hall,
                content_type=content_type,
                object_id=n + 1,
                name="respond",
                label=(f"BX-{n}", {}),
                link=f"/repairs/{n + 1}/",
                responsible=worker,
                started_at=started,
                due_at=started + 4 * HOUR,
                next_level_at=started + 2 * HOUR,
            )
        )
    SlaClock.objects.bulk_create(clocks)
    return sum(4 if n % 3 == 2 else 1 for n in range(count))


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_moment_write_each_notification_once(hall, worker, duty, sent):
    expected = due_clocks(hall, worker, 300)
    now = timezone.now()
    results = []

    errors = run_threads(2, lambda _: results.append(sla.sla_sweep(now=now, batch=20)))

    assert errors == []
    assert len(results) == 2
    per_key = Notification.objects.values("link", "kind", "recipient", "channel").annotate(n=Count("id"))
    assert {row["n"] for row in per_key} == {1}
    assert Notification.objects.count() == expected == 600 == sum(results)
    assert dict(Counter(Notification.objects.values_list("kind", flat=True))) == {
        "sla_warned_half": 100,
        "sla_warned_three_quarters": 100,
        "sla_breached": 400,
    }
    assert dict(Counter(SlaClock.objects.values_list("level", flat=True))) == {1: 100, 2: 100, 3: 100}
    # The eager after-commit delivery ran in both threads: each SMS went out once.
    sms = set(Notification.objects.filter(channel="sms").values_list("pk", flat=True))
    assert sorted(sent) == sorted(sms)
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
