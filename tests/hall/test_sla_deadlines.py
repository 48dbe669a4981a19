"""Deadlines of the SLA engine: hours around the clock, working days by the hall's calendar, policies from the admin."""

import datetime as dt
import zoneinfo

import pytest
from django.test import Client

from hall import sla
from hall.cache import KEPT_SECONDS
from hall.models import CalendarDay, Notification, SlaClock, SlaPolicy, SlaUnit
from repairs import services as repair_services
from repairs.models import RepairOrder
from tests.factories import UserFactory, register_repair

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
SECOND = dt.timedelta(seconds=1)
pytestmark = pytest.mark.django_db


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def end_of(year, month, day):
    return at(year, month, day, 23, 59, 59)


def progress_clock(repair, start, policy_key="complaint-progress", urgent=False):
    """A working-day clock on any record: the repair order stands in for a complaint."""
    return sla.clock_start(subject=repair, name="progress", policy_key=policy_key, urgent=urgent, start=start)


def listed_overdue(repair):
    """Whether the list's overdue filter finds the order, paged as the list asks."""
    return repair in sla.overdue(RepairOrder.objects.all())[:25]


@pytest.fixture
def repair(clock, hall, clerk):
    return register_repair(hall, actor=clerk)


# Hours around the clock: the repair orders' respond and callback clocks


@pytest.mark.parametrize(
    ("urgency", "key_customer", "hours"),
    [(1, False, 2), (2, False, 4), (3, False, 8), (1, True, 1), (2, True, 2), (3, True, 4)],
)
def test_a_repair_must_be_reached_within_its_urgency_window_and_key_customers_get_half(
    clock, hall, clerk, urgency, key_customer, hours
):
    repair = register_repair(hall, actor=clerk, urgency=urgency, key_customer=key_customer)

    respond = SlaClock.objects.get(object_id=repair.pk, name="respond")
    assert respond.started_at == at(2026, 3, 2, 9, 0)
    assert respond.due_at == at(2026, 3, 2, 9, 0) + dt.timedelta(hours=hours)
    assert repair.respond_by == respond.due_at


@pytest.mark.parametrize("key_customer", [False, True])
def test_the_callback_is_due_24_hours_after_completion_for_every_customer(clock, hall, clerk, worker, key_customer):
    repair = register_repair(hall, actor=clerk, key_customer=key_customer)
    repair = repair_services.repair_dispatch(repair=repair, worker=worker, actor=clerk)
    clock.shift(dt.timedelta(hours=1, minutes=30))
    repair = repair_services.repair_arrive(repair=repair, actor=worker)
    repair = repair_services.repair_complete(repair=repair, notes="done", actor=worker)

    callback = SlaClock.objects.get(object_id=repair.pk, name="callback")
    assert callback.started_at == at(2026, 3, 2, 10, 30)
    assert callback.due_at == at(2026, 3, 3, 10, 30) == repair.callback_by
    assert callback.responsible == clerk


def test_an_urgent_share_is_rounded_up_to_whole_minutes_without_float_error(hall):
    start = at(2026, 3, 2, 9, 0)

    def due(amount, percent):
        return sla.deadline(start=start, policy=sla.Policy(amount, urgent_percent=percent), urgent=True, hall=hall)

    assert due(3, 55) == at(2026, 3, 2, 10, 39)  # 99 minutes exactly, not 100
    assert due(5, 7) == at(2026, 3, 2, 9, 21)  # 21 minutes exactly
    assert due(1, 1) == at(2026, 3, 2, 9, 1)  # 36 seconds, a whole minute


def test_an_urgent_share_of_working_days_is_rounded_up_to_whole_days_without_float_error(hall):
    policy = sla.Policy(25, SlaUnit.WORKING_DAYS, urgent_percent=28)  # 7 working days exactly

    assert sla.deadline(start=at(2026, 3, 2, 9, 0), policy=policy, urgent=True, hall=hall) == end_of(2026, 3, 11)


# Clock states at the boundaries


@pytest.mark.parametrize(
    ("offset", "state"),
    [
        (dt.timedelta(hours=3) - SECOND, "on_time"),
        (dt.timedelta(hours=3), "at_risk"),
        (dt.timedelta(hours=4) - SECOND, "at_risk"),
        (dt.timedelta(hours=4), "overdue"),
        (dt.timedelta(hours=4) + SECOND, "overdue"),
    ],
)
def test_a_running_clock_turns_at_risk_at_three_quarters_and_overdue_at_its_deadline(repair, clock, offset, state):
    clock.move_to(at(2026, 3, 2, 9, 0) + offset)

    respond = SlaClock.objects.get(object_id=repair.pk, name="respond")
    assert sla.clock_state(respond) == state


@pytest.mark.parametrize(
    ("offset", "overdue"),
    [(dt.timedelta(hours=4) - SECOND, False), (dt.timedelta(hours=4), True), (dt.timedelta(hours=4) + SECOND, True)],
)
def test_the_overdue_filter_agrees_with_the_clock_state_at_the_deadline(repair, clock, offset, overdue):
    clock.move_to(at(2026, 3, 2, 9, 0) + offset)

    found = listed_overdue(repair)

    assert found is overdue
    assert (sla.clock_state(SlaClock.objects.get(object_id=repair.pk)) == "overdue") is overdue


def test_a_stopped_clock_is_stopped_or_late_whatever_the_time(repair, clock, worker, clerk):
    repair = repair_services.repair_dispatch(repair=repair, worker=worker, actor=clerk)
    clock.shift(dt.timedelta(hours=4, minutes=1))
    repair_services.repair_arrive(repair=repair, actor=worker)
    clock.shift(dt.timedelta(days=3))

    respond = SlaClock.objects.get(object_id=repair.pk, name="respond")
    assert respond.next_level_at is None
    assert sla.clock_state(respond) == "late"
    assert not listed_overdue(repair)


# Working days: 23:59:59 hall time on the Nth working day after the day of acceptance


def test_the_data_migration_seeded_the_national_day_week_and_its_make_up_days():
    kinds = dict(CalendarDay.objects.filter(date__range=("2026-09-19", "2026-10-11")).values_list("date", "kind"))

    assert {day for day, kind in kinds.items() if kind == "holiday"} >= {dt.date(2026, 10, day) for day in range(1, 8)}
    assert kinds[dt.date(2026, 9, 20)] == kinds[dt.date(2026, 10, 10)] == "workday"
    assert dt.date(2026, 10, 8) not in kinds


@pytest.mark.parametrize(
    ("accepted", "due"),
    [
        pytest.param(at(2026, 3, 6, 10, 0), end_of(2026, 3, 11), id="friday-skips-the-weekend"),
        pytest.param(at(2026, 3, 7, 15, 0), end_of(2026, 3, 11), id="saturday-counts-from-monday"),
        pytest.param(at(2026, 3, 2, 0, 0), end_of(2026, 3, 5), id="monday-midnight-does-not-count-monday"),
        pytest.param(at(2026, 3, 6, 23, 59, 59), end_of(2026, 3, 11), id="friday-last-second"),
        pytest.param(at(2026, 9, 30, 10, 0), end_of(2026, 10, 10), id="national-day-ends-on-the-make-up-saturday"),
        pytest.param(at(2026, 10, 3, 10, 0), end_of(2026, 10, 10), id="accepted-on-a-holiday"),
        pytest.param(at(2026, 10, 10, 10, 0), end_of(2026, 10, 14), id="accepted-on-the-make-up-saturday"),
        pytest.param(at(2026, 5, 8, 10, 0), end_of(2026, 5, 12), id="friday-before-the-may-make-up-saturday"),
        pytest.param(at(2026, 4, 30, 10, 0), end_of(2026, 5, 8), id="labour-day-holidays"),
    ],
)
def test_three_working_days_end_at_23_59_59_of_the_third_working_day_after_acceptance(repair, accepted, due):
    assert progress_clock(repair, accepted).due_at == due


def test_fifteen_working_days_skip_the_national_day_week(repair):
    assert progress_clock(repair, at(2026, 9, 30, 10, 0), "complaint-result").due_at == end_of(2026, 10, 27)


def test_the_day_of_acceptance_is_the_halls_day_not_utcs(repair):
    thursday_in_utc = dt.datetime(2026, 3, 5, 17, 0, tzinfo=dt.UTC)  # Friday 01:00 in the hall

    assert progress_clock(repair, thursday_in_utc).due_at == end_of(2026, 3, 11)


def test_an_urgent_working_day_clock_gets_half_the_days_rounded_up(repair):
    assert progress_clock(repair, at(2026, 3, 6, 10, 0), urgent=True).due_at == end_of(2026, 3, 10)


def test_deadline_counts_working_days_without_starting_a_clock(hall):
    policy = sla.policy_for(hall, "complaint-progress")

    assert policy == sla.Policy(3, SlaUnit.WORKING_DAYS)
    assert sla.deadline(start=at(2026, 9, 30, 18, 0), policy=policy, urgent=False, hall=hall) == end_of(2026, 10, 10)


@pytest.mark.parametrize(
    ("moment", "state"),
    [
        (at(2026, 10, 10, 23, 59, 58), "at_risk"),
        (at(2026, 10, 10, 23, 59, 59), "overdue"),
        (at(2026, 10, 11, 0, 0), "overdue"),
    ],
)
def test_a_working_day_clock_is_overdue_from_the_last_second_of_its_last_day(repair, clock, moment, state):
    progress = progress_clock(repair, at(2026, 9, 30, 10, 0))
    clock.move_to(moment)

    assert sla.clock_state(progress) == state


def test_a_year_without_calendar_entries_counts_monday_to_friday_and_starts_the_clock_without_a_notice(repair):
    UserFactory(username="admin", is_superuser=True, is_staff=True)
    assert not CalendarDay.objects.filter(date__year=2031).exists()

    first = progress_clock(repair, at(2031, 1, 3, 10, 0))  # a Friday
    second = sla.clock_start(subject=repair, name="result", policy_key="complaint-result", start=at(2031, 1, 6, 9, 0))

    assert first.due_at == end_of(2031, 1, 8)
    assert second.due_at == end_of(2031, 1, 27)
    assert not Notification.objects.exists()


# Policies edited in the admin


@pytest.fixture
def admin_client(hall):
    UserFactory(username="root", hall=None, is_superuser=True, is_staff=True)
    client = Client()
    assert client.login(username="root", password="pw12345678")
    return client


def test_a_policy_changed_in_the_admin_applies_to_new_orders_and_leaves_running_ones_alone(
    admin_client, clock, hall, clerk
):
    before = register_repair(hall, actor=clerk, urgency=2)
    policy = SlaPolicy.objects.get(hall=hall, key="repair-respond-2")

    answer = admin_client.post(
        f"/admin/hall/slapolicy/{policy.pk}/change/",
        {"hall": hall.pk, "key": "repair-respond-2", "amount": 3, "unit": "hours", "urgent_percent": 50, "_save": "1"},
    )
    clock.shift(dt.timedelta(minutes=10))
    after = register_repair(hall, actor=clerk, urgency=2, phone="13900000000", address="解放路 1 号")

    assert answer.status_code == 302, answer.content[:2000]
    policy.refresh_from_db()
    assert (policy.amount, policy.unit) == (3, "hours")
    before.refresh_from_db()
    assert before.respond_by == at(2026, 3, 2, 13, 0)
    assert SlaClock.objects.get(object_id=before.pk, name="respond").due_at == at(2026, 3, 2, 13, 0)
    assert after.respond_by == at(2026, 3, 2, 12, 10)
    assert SlaClock.objects.get(object_id=after.pk, name="respond").due_at == at(2026, 3, 2, 12, 10)


def test_a_policy_changed_by_another_process_applies_within_seconds(clock, hall, clerk, later):
    register_repair(hall, actor=clerk, urgency=2)  # this process reads the hall's policies
    SlaPolicy.objects.filter(hall=hall, key="repair-respond-2").update(amount=3)  # no signal reaches this process

    kept = register_repair(hall, actor=clerk, urgency=2, phone="13900000001", address="解放路 1 号")
    later(KEPT_SECONDS + 1)
    read_again = register_repair(hall, actor=clerk, urgency=2, phone="13900000002", address="解放路 2 号")

    assert kept.respond_by == at(2026, 3, 2, 13, 0)
    assert read_again.respond_by == at(2026, 3, 2, 12, 0)


def test_a_policy_switched_to_working_days_in_the_admin_counts_the_calendar(admin_client, clock, hall, clerk):
    policy = SlaPolicy.objects.get(hall=hall, key="repair-respond-3")

    answer = admin_client.post(
        f"/admin/hall/slapolicy/{policy.pk}/change/",
        {"hall": hall.pk, "key": "repair-respond-3", "amount": 1, "unit": "working_days", "urgent_percent": 50},
    )
    assert answer.status_code == 302
    clock.move_to(at(2026, 9, 30, 16, 0))
    repair = register_repair(hall, actor=clerk, urgency=3)

    assert repair.respond_by == end_of(2026, 10, 8)


def test_the_overdue_filter_follows_the_soonest_running_deadline_longest_overdue_first(
    repair, clock, hall, clerk, worker
):
    on_site = register_repair(hall, actor=clerk, phone="13900000000", address="解放路 1 号")
    on_site = repair_services.repair_dispatch(repair=on_site, worker=worker, actor=clerk)
    repair_services.repair_arrive(repair=on_site, actor=worker)
    sla.clock_start(subject=on_site, name="progress", policy_key="repair-respond-1", start=at(2026, 3, 2, 9, 0))
    clock.move_to(at(2026, 3, 2, 13, 0))

    assert list(sla.overdue(RepairOrder.objects.all())) == [on_site, repair]

    sla.clock_stop(subject=on_site, name="progress")

    assert list(sla.overdue(RepairOrder.objects.all())) == [repair]
