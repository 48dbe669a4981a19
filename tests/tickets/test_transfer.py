import datetime as dt

import pytest

from hall.limits import NOTE_MAX
from hall.models import Notification, Role, TimelineEvent
from tests.factories import CounterFactory, UserFactory, issue
from tickets import services
from tickets.models import Ticket, TicketStatus


def call(counter):
    return services.ticket_call_next(counter=counter)


def done(ticket):
    services.ticket_start(ticket=ticket)
    return services.ticket_finish(ticket=ticket)


@pytest.fixture
def counter_c(hall, types):
    clerk = UserFactory(hall=hall, username="clerk3", roles=[Role.CLERK])
    return CounterFactory(hall=hall, number=3, clerk=clerk, serves=[types["C"]])


def test_a_transfer_keeps_the_number_and_the_issue_time(clerk_api, hall, types, counter, clock):
    ticket = issue(hall, types["A"])
    issued_at = ticket.issued_at
    clock.shift(dt.timedelta(minutes=5))
    call(counter)

    response = clerk_api.post(f"/api/tickets/{ticket.pk}/transfer/", {"business_type": "C"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["number"] == "A001"
    assert response.json()["business_type"] == "C"
    ticket.refresh_from_db()
    assert (ticket.number, ticket.issued_at, ticket.status) == ("A001", issued_at, TicketStatus.WAITING)
    assert ticket.business_type == types["C"]
    assert ticket.counter is None


def test_a_transfer_does_not_take_a_number_of_the_new_type(hall, types, counter):
    issue(hall, types["A"])
    ticket = call(counter)
    services.ticket_transfer(ticket=ticket, business_type=types["C"])
    assert issue(hall, types["C"]).number == "C001"


def test_a_ticket_transferred_to_another_type_goes_ahead_of_those_issued_after_it(
    hall, types, counter, counter_c, clock
):
    issue(hall, types["C"])  # C001, came before
    clock.shift(60)
    moved = issue(hall, types["A"])  # A001
    clock.shift(60)
    issue(hall, types["C"])  # C002, came after
    call(counter)
    clock.shift(dt.timedelta(minutes=5))
    services.ticket_transfer(ticket=moved, business_type=types["C"])

    order = [done(call(counter_c)).number for _ in range(3)]

    assert order == ["C001", "A001", "C002"]


def test_the_transferred_tickets_position_counts_only_earlier_tickets(api, hall, types, counter, counter_c, clock):
    issue(hall, types["C"])
    clock.shift(60)
    moved = issue(hall, types["A"])
    clock.shift(60)
    issue(hall, types["C"])
    issue(hall, types["C"])
    services.ticket_transfer(ticket=moved, business_type=types["C"])

    assert api.get(f"/api/tickets/status/{moved.token}/").json()["position"] == 1


def test_a_ticket_transferred_to_a_named_counter_is_called_there_first(hall, types, counter, counter_c, clock):
    issue(hall, types["C"])
    clock.shift(60)
    moved = issue(hall, types["A"])
    call(counter)
    services.ticket_transfer(ticket=moved, counter=counter_c)

    assert call(counter_c).pk == moved.pk


def test_no_other_counter_calls_a_ticket_transferred_to_a_named_counter(hall, types, counter, counter_c):
    also_a = CounterFactory(hall=hall, number=2, serves=[types["A"]])
    moved = issue(hall, types["A"])
    call(counter)
    services.ticket_transfer(ticket=moved, counter=counter_c)

    assert call(also_a) is None
    assert call(counter) is None
    moved.refresh_from_db()
    assert moved.status == TicketStatus.WAITING
    assert moved.target_counter == counter_c


def test_a_ticket_transferred_to_a_clerk_is_called_where_that_clerk_sits(hall, types, counter, counter_c):
    clerk3 = counter_c.clerk
    moved = issue(hall, types["A"])
    call(counter)
    services.ticket_transfer(ticket=moved, clerk=clerk3)
    assert call(CounterFactory(hall=hall, number=2, serves=[types["A"]])) is None

    called = call(counter_c)

    called.refresh_from_db()
    assert called.pk == moved.pk
    assert called.served_by == clerk3
    assert (called.target_counter, called.target_clerk) == (None, None)


def test_the_clerk_gets_an_in_app_notification_and_can_mark_it_read(api_as, clerk, hall, types, counter, counter_c):
    clerk3 = counter_c.clerk
    moved = issue(hall, types["A"])
    call(counter)

    response = api_as(clerk).post(f"/api/tickets/{moved.pk}/transfer/", {"clerk": clerk3.pk}, format="json")

    assert response.status_code == 200, response.content
    inbox = api_as(clerk3).get("/api/notifications/")
    assert inbox.status_code == 200
    assert inbox.json()["count"] == 1
    note = inbox.json()["results"][0]
    assert "A001" in note["subject"]
    assert note["kind"] == "ticket_transferred"
    assert note["read_at"] is None
    assert api_as(clerk).get("/api/notifications/").json()["count"] == 0

    read = api_as(clerk3).post(f"/api/notifications/{note['id']}/read/")

    assert read.status_code == 200
    assert read.json()["read_at"] is not None
    assert Notification.objects.get(pk=note["id"]).read_at is not None


def test_nobody_else_may_mark_a_notification_read(api_as, clerk, hall, types, counter, counter_c):
    moved = issue(hall, types["A"])
    services.ticket_transfer(ticket=moved, clerk=counter_c.clerk)
    note = Notification.objects.get()

    assert api_as(clerk).post(f"/api/notifications/{note.pk}/read/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_a_transfer_must_say_where_the_ticket_goes(clerk_api, hall, types):
    ticket = issue(hall, types["A"])
    response = clerk_api.post(f"/api/tickets/{ticket.pk}/transfer/", {}, format="json")
    assert response.status_code == 400
    ticket.refresh_from_db()
    assert ticket.business_type == types["A"]


@pytest.mark.parametrize(
    "body",
    [{"business_type": "Z"}, {"counter": 999999}, {"clerk": 999999}, {"business_type": "a"}, {"counter": "x"}],
)
def test_a_transfer_to_something_that_does_not_exist_answers_400(clerk_api, hall, types, body):
    ticket = issue(hall, types["A"])
    response = clerk_api.post(f"/api/tickets/{ticket.pk}/transfer/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == set(body)
    assert Ticket.objects.filter(pk=ticket.pk, business_type=types["A"], target_counter=None).exists()


def test_a_ticket_cannot_be_transferred_to_another_halls_counter_or_clerk(
    clerk_api, hall, types, north_counter, north_clerk
):
    ticket = issue(hall, types["A"])
    for body in ({"counter": north_counter.pk}, {"clerk": north_clerk.pk}):
        response = clerk_api.post(f"/api/tickets/{ticket.pk}/transfer/", body, format="json")
        assert response.status_code == 400
    ticket.refresh_from_db()
    assert (ticket.target_counter, ticket.target_clerk) == (None, None)
    assert not Notification.objects.exists()


def test_a_transfer_whose_notification_cannot_be_written_does_not_happen(hall, types, counter, counter_c, monkeypatch):
    moved = issue(hall, types["A"])
    call(counter)

    def broken(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(services, "notify", broken)
    with pytest.raises(RuntimeError):
        services.ticket_transfer(ticket=moved, clerk=counter_c.clerk)

    moved.refresh_from_db()
    assert (moved.status, moved.counter, moved.target_clerk) == (TicketStatus.CALLED, counter, None)


@pytest.mark.parametrize("action", ["transfer", "finish", "cancel"])
def test_a_note_past_the_limit_answers_400_and_changes_nothing(clerk_api, hall, types, counter, clerk, action):
    issue(hall, types["A"])
    ticket = services.ticket_call_next(counter=counter, actor=clerk)
    body = {"business_type": "B", "note": "很" * (NOTE_MAX + 1)}

    response = clerk_api.post(f"/api/tickets/{ticket.pk}/{action}/", body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["note"]
    ticket.refresh_from_db()
    assert (ticket.status, ticket.business_type) == (TicketStatus.CALLED, types["A"])


def test_a_note_at_the_limit_is_kept_whole(clerk_api, hall, types, counter, clerk):
    issue(hall, types["A"])
    ticket = services.ticket_call_next(counter=counter, actor=clerk)
    note = "很" * NOTE_MAX

    response = clerk_api.post(
        f"/api/tickets/{ticket.pk}/transfer/", {"business_type": "B", "note": note}, format="json"
    )

    assert response.status_code == 200
    assert TimelineEvent.objects.get(action="transfer").note == note
