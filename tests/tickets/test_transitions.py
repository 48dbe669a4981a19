import datetime as dt

import pytest

from hall.errors import InvalidTransition
from hall.models import TimelineEvent
from hall.timeline import timeline_for
from tests.factories import issue
from tickets import services
from tickets.models import Ticket, TicketCall, TicketStatus

ACTIONS = {
    "recall": {"called"},
    "start": {"called"},
    "finish": {"serving"},
    "no-show": {"called"},
    "reactivate": {"no_show"},
    "cancel": {"waiting", "called"},
    "transfer": {"waiting", "called", "serving"},
}
STATUSES = ["waiting", "called", "serving", "done", "no_show", "cancelled"]
ILLEGAL = [(action, status) for action, allowed in ACTIONS.items() for status in STATUSES if status not in allowed]


def ticket_in(status, hall, types, counter):
    ticket = issue(hall, types["A"])
    if status == "cancelled":
        return services.ticket_cancel(ticket=ticket)
    if status == "waiting":
        return ticket
    ticket = services.ticket_call_next(counter=counter)
    if status == "no_show":
        return services.ticket_no_show(ticket=ticket)
    if status == "called":
        return ticket
    ticket = services.ticket_start(ticket=ticket)
    if status == "serving":
        return ticket
    return services.ticket_finish(ticket=ticket)


def snapshot(ticket):
    return Ticket.objects.filter(pk=ticket.pk).values().get()


@pytest.mark.parametrize(("action", "status"), ILLEGAL)
def test_an_illegal_transition_answers_409_and_changes_nothing(clerk_api, hall, types, counter, action, status):
    ticket = ticket_in(status, hall, types, counter)
    before = snapshot(ticket)
    events, calls = TimelineEvent.objects.count(), TicketCall.objects.count()
    body = {"business_type": "B"} if action == "transfer" else {}

    response = clerk_api.post(f"/api/tickets/{ticket.pk}/{action}/", body, format="json")

    assert response.status_code == 409, response.content
    assert response.json()["code"] == "invalid_transition"
    assert response.json()["detail"]
    assert snapshot(ticket) == before
    assert TimelineEvent.objects.count() == events
    assert TicketCall.objects.count() == calls


@pytest.mark.parametrize(
    ("action", "status", "to_status"),
    [
        ("recall", "called", "called"),
        ("start", "called", "serving"),
        ("finish", "serving", "done"),
        ("no-show", "called", "no_show"),
        ("reactivate", "no_show", "waiting"),
        ("cancel", "waiting", "cancelled"),
        ("cancel", "called", "cancelled"),
        ("transfer", "waiting", "waiting"),
        ("transfer", "called", "waiting"),
        ("transfer", "serving", "waiting"),
    ],
)
def test_each_legal_transition_writes_exactly_one_timeline_event(
    clerk_api, clerk, hall, types, counter, action, status, to_status
):
    ticket = ticket_in(status, hall, types, counter)
    events = TimelineEvent.objects.count()
    body = {"business_type": "B"} if action == "transfer" else {}

    response = clerk_api.post(f"/api/tickets/{ticket.pk}/{action}/", body, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == to_status
    ticket.refresh_from_db()
    assert ticket.status == to_status
    assert TimelineEvent.objects.count() == events + 1
    event = timeline_for(ticket).last()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        action.replace("-", "_"),
        status,
        to_status,
        clerk,
    )


def test_a_ticket_can_be_recalled_twice_and_no_more(clerk_api, hall, types, counter):
    ticket = ticket_in("called", hall, types, counter)
    for expected in (1, 2):
        response = clerk_api.post(f"/api/tickets/{ticket.pk}/recall/")
        assert response.status_code == 200
        assert response.json()["recall_count"] == expected

    response = clerk_api.post(f"/api/tickets/{ticket.pk}/recall/")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    ticket.refresh_from_db()
    assert ticket.recall_count == 2
    assert ticket.status == TicketStatus.CALLED
    assert list(TicketCall.objects.filter(ticket=ticket).values_list("is_recall", flat=True).order_by("id")) == [
        False,
        True,
        True,
    ]


def test_a_no_show_can_be_reactivated_back_to_its_place_in_the_queue(hall, types, counter, clerk, clock):
    ticket = ticket_in("called", hall, types, counter)
    clock.shift(60)
    later = issue(hall, types["A"])
    services.ticket_recall(ticket=ticket)
    services.ticket_no_show(ticket=ticket)

    services.ticket_reactivate(ticket=ticket, actor=clerk)

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING
    assert (ticket.counter, ticket.finished_at, ticket.recall_count) == (None, None, 0)
    assert services.ticket_call_next(counter=counter).pk == ticket.pk
    later.refresh_from_db()
    assert later.status == TicketStatus.WAITING


def test_yesterdays_no_show_cannot_be_reactivated(hall, types, counter, clock):
    ticket = services.ticket_no_show(ticket=ticket_in("called", hall, types, counter))
    clock.shift(dt.timedelta(days=1))
    with pytest.raises(InvalidTransition):
        services.ticket_reactivate(ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NO_SHOW


def test_a_no_show_frees_the_counter_for_the_next_call(hall, types, counter):
    ticket = ticket_in("called", hall, types, counter)
    issue(hall, types["A"])
    services.ticket_no_show(ticket=ticket)
    assert services.ticket_call_next(counter=counter).number == "A002"


def test_a_waiting_ticket_can_be_cancelled_with_a_note(clerk_api, hall, types, counter):
    ticket = issue(hall, types["A"])

    response = clerk_api.post(f"/api/tickets/{ticket.pk}/cancel/", {"note": "left"}, format="json")

    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CANCELLED
    assert ticket.finished_at is not None
    assert timeline_for(ticket).last().note == "left"
    assert services.ticket_call_next(counter=counter) is None


def test_start_and_finish_keep_their_timestamps(hall, types, counter, clock):
    issued_at = dt.datetime.now(tz=dt.UTC)
    ticket = issue(hall, types["A"])
    clock.shift(dt.timedelta(minutes=3))
    services.ticket_call_next(counter=counter)
    clock.shift(dt.timedelta(minutes=1))
    services.ticket_start(ticket=ticket)
    clock.shift(dt.timedelta(minutes=7))
    services.ticket_finish(ticket=ticket)

    ticket.refresh_from_db()
    assert ticket.issued_at == issued_at
    assert ticket.called_at == issued_at + dt.timedelta(minutes=3)
    assert ticket.started_at == issued_at + dt.timedelta(minutes=4)
    assert ticket.finished_at == issued_at + dt.timedelta(minutes=11)


def test_a_whole_visit_is_on_the_timeline_one_event_per_change(clerk_api, clerk, hall, types, counter):
    ticket = issue(hall, types["A"])
    services.ticket_call_next(counter=counter, actor=clerk)
    services.ticket_recall(ticket=ticket, actor=clerk)
    services.ticket_no_show(ticket=ticket, actor=clerk)
    services.ticket_reactivate(ticket=ticket, actor=clerk)
    services.ticket_call_next(counter=counter, actor=clerk)
    services.ticket_start(ticket=ticket, actor=clerk)
    services.ticket_finish(ticket=ticket, actor=clerk, note="paid")

    response = clerk_api.get(f"/api/tickets/{ticket.pk}/timeline/")

    assert response.status_code == 200
    events = response.json()
    assert [(e["action"], e["from_status"], e["to_status"]) for e in events] == [
        ("issue", "", "waiting"),
        ("call", "waiting", "called"),
        ("recall", "called", "called"),
        ("no_show", "called", "no_show"),
        ("reactivate", "no_show", "waiting"),
        ("call", "waiting", "called"),
        ("start", "called", "serving"),
        ("finish", "serving", "done"),
    ]
    assert {"at", "actor", "action", "from_status", "to_status", "note"} <= events[-1].keys()
    assert events[-1]["actor"] == clerk.pk
    assert events[-1]["note"] == "paid"
    assert events[0]["actor"] is None  # issued at the kiosk
    assert dt.datetime.fromisoformat(events[-1]["at"]).utcoffset() is not None


def test_opening_pausing_and_closing_a_counter_over_the_api(clerk_api, clerk, counter):
    counter.status = "closed"
    counter.save()
    for action, status in [("open", "open"), ("pause", "paused"), ("open", "open"), ("close", "closed")]:
        response = clerk_api.post(f"/api/counters/{counter.pk}/{action}/")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == status
        counter.refresh_from_db()
        assert counter.status == status
    assert TimelineEvent.objects.filter(object_id=counter.pk, action__startswith="counter_").count() == 4


def test_pausing_a_closed_counter_answers_409(clerk_api, counter):
    counter.status = "closed"
    counter.save()
    response = clerk_api.post(f"/api/counters/{counter.pk}/pause/")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    counter.refresh_from_db()
    assert counter.status == "closed"


def test_a_counter_with_a_current_ticket_cannot_close(clerk_api, hall, types, counter):
    ticket_in("called", hall, types, counter)
    response = clerk_api.post(f"/api/counters/{counter.pk}/close/")
    assert response.status_code == 409
    counter.refresh_from_db()
    assert counter.status == "open"


def test_opening_a_counter_seats_the_clerk_who_opened_it(api_as, hall, types, counter):
    from tests.factories import UserFactory

    counter.status = "closed"
    counter.clerk = None
    counter.save()
    newcomer = UserFactory(hall=hall)

    api_as(newcomer).post(f"/api/counters/{counter.pk}/open/")

    counter.refresh_from_db()
    assert counter.clerk == newcomer


def test_tickets_left_open_from_an_earlier_day_are_closed_in_the_night(hall, types, counter, clock):
    called = issue(hall, types["A"])
    waiting = issue(hall, types["B"])
    services.ticket_call_next(counter=counter)
    clock.shift(dt.timedelta(days=1))
    today = issue(hall, types["A"])

    assert services.tickets_expire_stale() == 2

    for ticket in (called, waiting):
        ticket.refresh_from_db()
        assert ticket.status == TicketStatus.CANCELLED
        assert timeline_for(ticket).last().action == "expire"
    today.refresh_from_db()
    assert today.status == TicketStatus.WAITING
    assert services.ticket_call_next(counter=counter).pk == today.pk
