"""Days and weeks at the ends of the calendar (year 1, year 9999) answer 400 naming the field and change nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from hall.models import DutyManagerDay, Role
from staff import roster_services, services
from staff.models import Duty, Handover, Leave, LeaveStatus, Shift
from tests.asserts import assert_field_errors
from tests.factories import person

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)  # the clock fixture's day
EDGES = ["0001-01-01", "9999-12-31"]


@pytest.fixture
def people(hall, clock):
    return {
        "manager": person(hall, "manager", Role.HALL_MANAGER),
        "duty": person(hall, "duty", Role.DUTY_MANAGER),
        "a": person(hall, "a"),
    }


@pytest.fixture
def chore(hall, people):
    return services.chore_create(hall=hall, name="开启排队机", a=people["a"], b=people["duty"], schedule="daily 08:00")


@pytest.mark.parametrize("week", ["0001-W01", "9999-W51", "9999-W52"])
def test_it_refuses_a_roster_week_at_the_ends_of_the_calendar(api_as, people, week):
    response = api_as(people["a"]).get("/api/rosters/", {"week": week})

    assert_field_errors(response, "week")


@pytest.mark.parametrize("week", ["0001-W02", "9999-W50"])
def test_it_shows_the_first_and_last_weeks_it_takes(api_as, people, week):
    response = api_as(people["a"]).get("/api/rosters/", {"week": week})

    assert response.status_code == 200
    assert len(response.data["days"]) == 7


def test_it_refuses_a_leave_ending_in_year_9999(api_as, people):
    response = api_as(people["a"]).post("/api/leaves/", {"start": f"{TODAY}", "end": "9999-12-31"})

    assert_field_errors(response, "end")
    assert not Leave.objects.exists()


def test_it_refuses_a_leave_ending_more_than_two_years_ahead(api_as, people):
    start, end = TODAY + dt.timedelta(days=500), TODAY + dt.timedelta(days=732)

    body = {"start": f"{start}", "end": f"{end}"}

    response = api_as(people["a"]).post("/api/leaves/", body, HTTP_ACCEPT_LANGUAGE="en")

    assert_field_errors(response, "end")
    assert response.data["end"] == ["A leave ends within two years of today."]
    assert not Leave.objects.exists()


def test_it_takes_a_leave_ending_two_years_from_today(api_as, people):
    start, end = TODAY + dt.timedelta(days=500), TODAY + dt.timedelta(days=731)

    response = api_as(people["a"]).post("/api/leaves/", {"start": f"{start}", "end": f"{end}"})

    assert response.status_code == 201
    assert Leave.objects.get().end == end


def test_it_refuses_a_leave_from_year_one(api_as, people):
    response = api_as(people["a"]).post("/api/leaves/", {"start": "0001-01-01", "end": "0001-01-02"})

    assert_field_errors(response, "start", "end")
    assert not Leave.objects.exists()


def test_a_leave_stored_up_to_the_last_day_of_the_calendar_can_still_be_approved(api_as, people, chore):
    leave = roster_services.leave_request(staff=people["a"], start=dt.date(9999, 12, 30), end=dt.date.max)

    assert api_as(people["manager"]).get("/api/leaves/").status_code == 200
    response = api_as(people["manager"]).post(f"/api/leaves/{leave.pk}/approve/")

    assert response.status_code == 200
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED


@pytest.mark.parametrize("day", EDGES)
def test_it_refuses_a_shift_at_the_ends_of_the_calendar(api_as, people, day):
    body = {"staff": people["a"].pk, "date": day, "start": "22:00", "end": "06:00"}

    assert_field_errors(api_as(people["duty"]).post("/api/shifts/", body), "date")
    assert not Shift.objects.exists()


@pytest.mark.parametrize("day", EDGES)
def test_it_refuses_a_duty_manager_at_the_ends_of_the_calendar(api_as, people, hall, day):
    body = {"hall": hall.pk, "date": day, "manager": people["duty"].pk}

    assert_field_errors(api_as(people["manager"]).post("/api/rosters/duty-manager/", body), "date")
    assert not DutyManagerDay.objects.exists()


@pytest.mark.parametrize("day", EDGES)
def test_it_refuses_to_generate_duties_at_the_ends_of_the_calendar(api_as, people, hall, chore, day):
    response = api_as(people["manager"]).post("/api/duties/generate/", {"hall": hall.pk, "date": day})

    assert_field_errors(response, "date")
    assert not Duty.objects.exists()


@pytest.mark.parametrize("moment", ["0001-01-01T10:00:00+08:00", "9999-12-31T10:00:00+08:00"])
def test_it_refuses_a_handover_at_the_ends_of_the_calendar(api_as, people, moment):
    response = api_as(people["a"]).post("/api/handovers/", {"shift_end": moment})

    assert_field_errors(response, "shift_end")
    assert not Handover.objects.exists()


@pytest.mark.parametrize("item", ["a\x00b", {"label": "a\x00b"}])
def test_it_refuses_an_open_item_holding_a_nul_character(api_as, people, item):
    body = {"shift_end": timezone.now().isoformat(), "open_items": [item]}

    response = api_as(people["a"]).post("/api/handovers/", body, format="json")

    assert (response.status_code, list(response.data)) == (400, ["open_items"])
    assert not Handover.objects.exists()
