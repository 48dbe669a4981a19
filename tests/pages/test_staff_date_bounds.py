"""Staff pages asked for a day or week at the ends of the calendar (year 1, year 9999), or for a manager who is
no one, answer as they do to any bad input and change nothing."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from hall.models import DutyManagerDay, Role
from staff import services
from staff.models import Handover, Leave, Shift
from tests.factories import person

pytestmark = pytest.mark.django_db
EDGES = ["0001-01-01", "9999-12-31"]


PAGE_LANGUAGE = "en"  # see client_as in tests/conftest.py


@pytest.fixture
def people(hall, clock):
    return {
        "manager": person(hall, "boss", Role.HALL_MANAGER),
        "duty": person(hall, "duty", Role.DUTY_MANAGER),
        "a": person(hall, "anna"),
    }


@pytest.fixture
def chore(hall, people):
    return services.chore_create(hall=hall, name="开启排队机", a=people["a"], b=people["duty"], schedule="daily 08:00")


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("day", EDGES)
def test_the_duty_board_shows_today_for_a_day_at_the_ends_of_the_calendar(client_as, people, day):
    response = client_as(people["a"]).get(reverse("duty-board"), {"date": day})

    assert response.status_code == 200
    assert response.context["day"] == dt.date(2026, 3, 2)
    assert texts(response) == [f"{day} is not a date; today is shown."]


@pytest.mark.parametrize("week", ["0001-W01", "9999-W51", "9999-W52"])
def test_the_roster_shows_this_week_for_a_week_at_the_ends_of_the_calendar(client_as, people, week):
    response = client_as(people["a"]).get(reverse("roster-week"), {"week": week})

    assert response.status_code == 200
    assert response.context["week"] == "2026-W10"
    assert len(texts(response)) == 1


def test_a_leave_ending_in_year_9999_is_refused_and_the_leave_page_still_opens(client_as, people, chore):
    page = client_as(people["manager"])

    response = page.post(reverse("leave-list"), {"staff": people["a"].pk, "start": "2026-03-03", "end": "9999-12-31"})

    assert response.status_code == 200
    assert response.context["form"].errors["end"]
    assert not Leave.objects.exists()
    assert page.get(reverse("leave-list")).status_code == 200


def test_a_leave_ending_more_than_two_years_ahead_is_refused(client_as, people):
    response = client_as(people["a"]).post(reverse("leave-list"), {"start": "2027-12-01", "end": "2028-03-03"})

    assert response.context["form"].errors["end"] == ["A leave ends within two years of today."]
    assert not Leave.objects.exists()


def test_a_leave_in_year_one_is_refused(client_as, people):
    response = client_as(people["a"]).post(reverse("leave-list"), {"start": "0001-01-01", "end": "0001-01-01"})

    assert response.status_code == 200
    assert not Leave.objects.exists()


@pytest.mark.parametrize("day", EDGES)
def test_a_shift_at_the_ends_of_the_calendar_is_refused(client_as, people, day):
    form = {"staff": people["a"].pk, "date": day, "start": "22:00", "end": "06:00", "week": "2026-W10"}

    response = client_as(people["duty"]).post(reverse("roster-action", args=["add"]), form)

    assert response.status_code == 302
    assert texts(response) == ["Date: Give a day within ten years of today."]
    assert not Shift.objects.exists()


@pytest.mark.parametrize("day", EDGES)
def test_a_duty_manager_at_the_ends_of_the_calendar_is_refused(client_as, people, day):
    form = {"date": day, "manager": people["duty"].pk}

    response = client_as(people["manager"]).post(reverse("roster-action", args=["duty-manager"]), form)

    assert response.status_code == 302
    assert texts(response) == ["Day: Give a day within ten years of today."]
    assert not DutyManagerDay.objects.exists()


@pytest.mark.parametrize("manager", ["x", "-1", "1.5", "99999999999999999999999"])
def test_a_duty_manager_who_is_no_one_is_refused(client_as, people, manager):
    form = {"date": "2026-03-03", "manager": manager}

    response = client_as(people["manager"]).post(reverse("roster-action", args=["duty-manager"]), form)

    assert response.status_code == 302
    assert texts(response) == ["Choose a manager of this hall."]
    assert not DutyManagerDay.objects.exists()


@pytest.mark.parametrize("moment", ["0001-01-01T10:00", "9999-12-31T10:00"])
def test_a_handover_at_the_ends_of_the_calendar_is_refused(client_as, people, moment):
    response = client_as(people["a"]).post(reverse("handover-list"), {"shift_end": moment})

    assert response.status_code == 200
    assert response.context["form"].errors["shift_end"] == ["Give a time within ten years of now."]
    assert not Handover.objects.exists()
