"""Who answers for a hall on a day: the duty manager the roster names, else everyone with the role."""

import datetime as dt

import pytest

from hall.models import DutyManagerDay, Role
from hall.people import responsible_managers, responsible_managers_by_hall
from tests.factories import HallFactory, UserFactory, person

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)  # the clock's day


@pytest.fixture
def managers(hall):
    return {
        "hall": person(hall, "hall_manager", Role.HALL_MANAGER),
        "duty": person(hall, "duty", Role.DUTY_MANAGER),
        "duty2": person(hall, "duty2", Role.DUTY_MANAGER),
    }


def test_it_names_the_rostered_duty_manager_of_today(clock, hall, managers):
    DutyManagerDay.objects.create(hall=hall, date=MONDAY, manager=managers["duty2"])

    assert responsible_managers(hall) == [managers["duty2"]]


def test_it_reads_the_roster_of_the_day_asked_for(clock, hall, managers):
    DutyManagerDay.objects.create(hall=hall, date=MONDAY + dt.timedelta(days=1), manager=managers["duty2"])

    assert responsible_managers(hall) == [managers["duty"], managers["duty2"]]
    assert responsible_managers(hall, MONDAY + dt.timedelta(days=1)) == [managers["duty2"]]


def test_without_an_active_rostered_one_it_names_every_active_duty_manager(clock, hall, managers):
    DutyManagerDay.objects.create(hall=hall, date=MONDAY, manager=managers["duty2"])
    managers["duty2"].is_active = False
    managers["duty2"].save()
    person(hall, "gone", Role.DUTY_MANAGER, is_active=False)

    assert responsible_managers(hall) == [managers["duty"]]


def test_the_fallback_answers_only_when_no_duty_manager_does(clock, hall, managers):
    assert responsible_managers(hall, fallback=[Role.HALL_MANAGER]) == [managers["duty"], managers["duty2"]]

    for role in ("duty", "duty2"):
        managers[role].groups.clear()

    assert responsible_managers(hall) == []
    assert responsible_managers(hall, fallback=[Role.HALL_MANAGER]) == [managers["hall"]]


def test_people_away_are_left_out_and_the_fallback_lists_each_manager_once_by_id(clock, hall, managers):
    both = UserFactory(hall=hall, username="both", roles=[Role.HALL_MANAGER, Role.DUTY_MANAGER])
    DutyManagerDay.objects.create(hall=hall, date=MONDAY, manager=managers["duty"])
    roles = [Role.DUTY_MANAGER, Role.HALL_MANAGER]

    assert responsible_managers(hall, fallback=roles, away={managers["duty2"].pk}) == [managers["duty"]]
    away = {managers["duty"].pk, managers["hall"].pk}
    assert responsible_managers(hall, fallback=roles, away=away) == [managers["duty2"], both]


def test_the_batch_form_answers_every_hall_on_its_own_today_in_two_queries(
    clock, hall, managers, django_assert_num_queries
):
    west = HallFactory(code="west", name="西区营业厅", timezone="America/Los_Angeles")  # still Sunday there
    west_duty = person(west, "west_duty", Role.DUTY_MANAGER)
    west_sunday = person(west, "west_sunday", Role.DUTY_MANAGER)
    DutyManagerDay.objects.create(hall=west, date=MONDAY - dt.timedelta(days=1), manager=west_sunday)
    DutyManagerDay.objects.create(hall=hall, date=MONDAY, manager=managers["duty2"])

    with django_assert_num_queries(2):
        found = responsible_managers_by_hall([hall, west])

    assert found == {hall.pk: [managers["duty2"]], west.pk: [west_sunday]}
    assert west_duty not in found[west.pk]
