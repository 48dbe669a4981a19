"""Clearing the day's named duty manager: the day falls back to everyone with the role."""

import datetime as dt

import pytest

from hall.errors import InvalidTransition
from hall.models import DutyManagerDay, Role, TimelineEvent
from hall.people import responsible_managers
from staff import roster_services, services
from staff.models import DutyRole
from tests.factories import person

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 3)  # the day after the clock's Monday


@pytest.fixture
def people(people, hall):
    return {**people, "duty2": person(hall, "duty2", Role.DUTY_MANAGER)}


@pytest.fixture
def named(hall, people):
    return roster_services.roster_set_duty_manager(
        hall=hall, date=DAY, manager=people["duty2"], actor=people["manager"]
    )


def test_clearing_the_named_duty_manager_falls_back_to_everyone_with_the_role(clock, hall, people, named):
    roster_services.roster_clear_duty_manager(hall=hall, date=DAY, actor=people["manager"])

    assert not DutyManagerDay.objects.exists()
    assert responsible_managers(hall, DAY) == [people["duty"], people["duty2"]]


def test_clearing_re_decides_the_days_undone_duties(clock, hall, people, named):
    services.chore_create(hall=hall, name="开启排队机", a=people["a"], b=people["b"], schedule="daily 08:00")
    for name in ("a", "b"):
        leave = roster_services.leave_request(staff=people[name], start=DAY, end=DAY)
        roster_services.leave_approve(leave=leave, actor=people["manager"])
    [duty] = services.duties_generate(hall=hall, date=DAY)
    assert duty.responsible == people["duty2"]

    roster_services.roster_clear_duty_manager(hall=hall, date=DAY, actor=people["manager"])

    duty.refresh_from_db()
    assert (duty.responsible, duty.role) == (people["duty"], DutyRole.DUTY)


def test_the_manager_taken_off_the_day_is_told_and_the_timeline_keeps_who_did_it(clock, hall, people, named):
    roster_services.roster_clear_duty_manager(hall=hall, date=DAY, actor=people["manager"])

    assert people["duty2"].notifications.filter(kind="duty_manager_cleared").count() == 1
    event = TimelineEvent.objects.get(action="duty_manager_clear")
    assert (event.actor, event.data) == (people["manager"], {"manager": people["duty2"].pk})


def test_a_past_day_is_cleared_without_telling_anyone(clock, hall, people):
    past = dt.date(2026, 2, 27)
    roster_services.roster_set_duty_manager(hall=hall, date=past, manager=people["duty2"], actor=people["manager"])

    roster_services.roster_clear_duty_manager(hall=hall, date=past, actor=people["manager"])

    assert not DutyManagerDay.objects.exists()
    assert not people["duty2"].notifications.exists()


def test_clearing_a_day_nobody_is_named_on_is_refused(clock, hall, people):
    with pytest.raises(InvalidTransition):
        roster_services.roster_clear_duty_manager(hall=hall, date=DAY, actor=people["manager"])
