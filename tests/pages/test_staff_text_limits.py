"""The staff pages take each free text up to its limit (hall.limits) and refuse a longer one with a message, saving
nothing: they never cut it."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from hall.limits import LONG_TEXT_MAX, NOTE_MAX
from hall.models import Notification, Role
from staff import roster_services, services
from staff.models import Chore, DutyStatus, Handover, Leave, LeaveStatus
from tests.factories import person

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)  # the clock fixture's day
PAGE_LANGUAGE = "en"  # see client_as in tests/conftest.py


@pytest.fixture
def people(hall, clock):
    return {
        "manager": person(hall, "boss", Role.HALL_MANAGER, name="BOSS"),
        "a": person(hall, "anna", name="ANNA"),
        "b": person(hall, "bert", name="BERT"),
    }


@pytest.fixture
def duty(hall, people):
    services.chore_create(
        hall=hall, name="开启排队机", a=people["a"], b=people["b"], schedule="daily 10:00", actor=people["manager"]
    )
    [duty] = services.duties_generate(hall=hall, date=MONDAY)
    return duty


@pytest.fixture
def leave(people):
    return roster_services.leave_request(staff=people["a"], start=MONDAY, end=MONDAY, actor=people["a"])


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def html(response) -> str:
    return response.content.decode()


def too_long(limit: int) -> str:
    return "长" * (limit + 1)


def chore_data(people, **fields) -> dict:
    return {"name": "消防检查", "a": people["a"].pk, "b": people["b"].pk, "schedule_kind": "closing", **fields}


def handover_data(**fields) -> dict:
    return {"shift_end": "2026-03-02T12:00", **fields}


# Marking a duty done


def test_a_duty_note_over_the_limit_is_refused_and_the_duty_stays_open(client_as, people, duty):
    response = client_as(people["a"]).post(reverse("duty-action", args=[duty.pk, "done"]), {"note": too_long(NOTE_MAX)})

    assert response.status_code == 302
    assert f"Note: Ensure this value has at most {NOTE_MAX} characters (it has {NOTE_MAX + 1})." in texts(response)
    duty.refresh_from_db()
    assert (duty.status, duty.note, duty.done_by) == (DutyStatus.OPEN, "", None)


def test_a_duty_note_over_the_limit_through_htmx_answers_the_list_with_the_message(client_as, people, duty):
    response = client_as(people["a"]).post(
        reverse("duty-action", args=[duty.pk, "done"]), {"note": too_long(NOTE_MAX)}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert html(response).startswith('<div id="duty-list"')
    assert f"at most {NOTE_MAX} characters" in html(response)
    duty.refresh_from_db()
    assert duty.status == DutyStatus.OPEN


def test_a_duty_note_of_the_whole_limit_is_kept_whole(client_as, people, duty):
    note = "满" * NOTE_MAX

    client_as(people["a"]).post(reverse("duty-action", args=[duty.pk, "done"]), {"note": note})

    duty.refresh_from_db()
    assert (duty.status, duty.note) == (DutyStatus.DONE, note)


# Deciding on and cancelling leave


def test_a_rejection_note_over_the_limit_is_refused_and_the_leave_stays_requested(client_as, people, leave):
    response = client_as(people["manager"]).post(
        reverse("leave-action", args=[leave.pk, "reject"]), {"note": too_long(NOTE_MAX)}
    )

    assert response.url == reverse("leave-list")
    assert f"Note: Ensure this value has at most {NOTE_MAX} characters (it has {NOTE_MAX + 1})." in texts(response)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.REQUESTED
    assert not Notification.objects.filter(kind="leave_rejected").exists()


def test_a_rejection_note_of_the_whole_limit_reaches_the_person_whole(client_as, people, leave):
    note = "满" * NOTE_MAX

    client_as(people["manager"]).post(reverse("leave-action", args=[leave.pk, "reject"]), {"note": note})

    leave.refresh_from_db()
    assert leave.status == LeaveStatus.REJECTED
    assert people["a"].notifications.get(kind="leave_rejected").body == note


def test_a_cancelling_note_over_the_limit_is_refused_and_the_leave_stays_approved(client_as, people, leave):
    roster_services.leave_approve(leave=leave, actor=people["manager"])

    response = client_as(people["a"]).post(
        reverse("leave-action", args=[leave.pk, "cancel"]), {"note": too_long(NOTE_MAX)}
    )

    assert response.url == reverse("leave-list")
    assert f"Note: Ensure this value has at most {NOTE_MAX} characters (it has {NOTE_MAX + 1})." in texts(response)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED


def test_a_leave_reason_over_its_limit_is_marked_and_nothing_is_requested(client_as, people):
    limit = Leave._meta.get_field("reason").max_length
    data = {"start": "2026-03-03", "end": "2026-03-03", "reason": too_long(limit)}

    response = client_as(people["a"]).post(reverse("leave-list"), data)

    assert response.status_code == 200
    assert f"Ensure this value has at most {limit} characters" in html(response)
    assert not Leave.objects.exists()


# A chore's checklist


def test_a_checklist_over_the_limit_is_marked_and_the_chore_not_added(client_as, people):
    response = client_as(people["manager"]).post(
        reverse("chore-list"), chore_data(people, checklist=too_long(LONG_TEXT_MAX))
    )

    assert response.status_code == 200
    assert "The chore was not added." in texts(response)[0]
    assert f"Ensure this value has at most {LONG_TEXT_MAX} characters" in html(response)
    assert not Chore.objects.exists()


def test_a_checklist_as_long_as_the_api_takes_is_kept_whole(client_as, people):
    checklist = "满" * LONG_TEXT_MAX

    response = client_as(people["manager"]).post(reverse("chore-list"), chore_data(people, checklist=checklist))

    assert response.status_code == 302
    assert Chore.objects.get().checklist == checklist


# A handover's note


def test_a_handover_note_over_the_limit_is_marked_and_nothing_is_saved(client_as, people):
    response = client_as(people["a"]).post(reverse("handover-list"), handover_data(note=too_long(LONG_TEXT_MAX)))

    assert response.status_code == 200
    assert "The handover was not saved." in texts(response)[0]
    assert f"Ensure this value has at most {LONG_TEXT_MAX} characters" in html(response)
    assert not Handover.objects.exists()


def test_a_handover_note_of_the_whole_limit_is_kept_whole(client_as, people):
    note = "满" * LONG_TEXT_MAX

    response = client_as(people["a"]).post(reverse("handover-list"), handover_data(note=note))

    assert response.status_code == 302
    assert Handover.objects.get().note == note


# What the browser is told


def test_the_fields_tell_the_browser_the_same_limits(client_as, people, duty, leave):
    board = html(client_as(people["a"]).get(reverse("duty-board")))
    leave_page = html(client_as(people["manager"]).get(reverse("leave-list")))
    chores = html(client_as(people["manager"]).get(reverse("chore-list")))
    handovers = html(client_as(people["a"]).get(reverse("handover-list")))

    assert f'name="note" maxlength="{NOTE_MAX}"' in board
    assert f'name="note" maxlength="{NOTE_MAX}"' in leave_page
    assert f'name="checklist" rows="2" maxlength="{LONG_TEXT_MAX}"' in chores
    assert f'name="note" rows="5" maxlength="{LONG_TEXT_MAX}"' in handovers
