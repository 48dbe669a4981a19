"""The staff API takes each free text up to the limit the pages take (hall.limits) and answers 400 past it, changing
nothing."""

import datetime as dt

import pytest

from hall.limits import LONG_TEXT_MAX, NOTE_MAX
from hall.models import Notification
from staff import roster_services, services
from staff.models import Chore, Duty, DutyStatus, Handover, LeaveStatus
from tests.asserts import assert_field_errors

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)  # the clock fixture's day


@pytest.fixture
def duty(clock, hall, chore):
    [duty] = services.duties_generate(hall=hall, date=DAY)
    return duty


@pytest.fixture
def leave(clock, people):
    return roster_services.leave_request(staff=people["a"], start=DAY, end=DAY, actor=people["a"])


def test_a_duty_note_over_the_limit_answers_400_and_the_duty_stays_open(api_as, people, duty):
    response = api_as(people["a"]).post(f"/api/duties/{duty.pk}/done/", {"note": "x" * (NOTE_MAX + 1)})

    assert_field_errors(response, "note")
    duty.refresh_from_db()
    assert (duty.status, duty.note) == (DutyStatus.OPEN, "")


def test_a_duty_note_of_the_whole_limit_is_kept_whole(api_as, people, duty):
    response = api_as(people["a"]).post(f"/api/duties/{duty.pk}/done/", {"note": "x" * NOTE_MAX})

    assert response.status_code == 200
    assert Duty.objects.get(pk=duty.pk).note == "x" * NOTE_MAX


def test_a_rejection_note_over_the_limit_answers_400_and_the_leave_stays_requested(api_as, people, leave):
    response = api_as(people["manager"]).post(f"/api/leaves/{leave.pk}/reject/", {"note": "x" * (NOTE_MAX + 1)})

    assert_field_errors(response, "note")
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.REQUESTED
    assert not Notification.objects.filter(kind="leave_rejected").exists()


def test_a_checklist_over_the_limit_answers_400_and_no_chore_is_added(api_as, hall, people):
    body = {"hall": hall.pk, "name": "巡检", "a": people["a"].pk, "b": people["b"].pk, "schedule": "closing"}

    response = api_as(people["manager"]).post("/api/chores/", body | {"checklist": "x" * (LONG_TEXT_MAX + 1)})

    assert_field_errors(response, "checklist")
    assert not Chore.objects.exists()


def test_a_handover_note_over_the_limit_answers_400_and_nothing_is_saved(clock, api_as, people):
    body = {"shift_end": "2026-03-02T12:00:00+08:00", "note": "x" * (LONG_TEXT_MAX + 1)}

    response = api_as(people["a"]).post("/api/handovers/", body, format="json")

    assert_field_errors(response, "note")
    assert not Handover.objects.exists()
