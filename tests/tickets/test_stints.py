"""A ticket's spells of service at counters (TicketStint), which the handling times are measured over."""

import datetime as dt

import pytest

from hall.models import Role
from tests.factories import CounterFactory, UserFactory, issue
from tickets import services
from tickets.models import TicketStatus, TicketStint

pytestmark = pytest.mark.django_db
MINUTE = dt.timedelta(minutes=1)


def stints(ticket):
    return list(
        TicketStint.objects.filter(ticket=ticket)
        .order_by("started_at")
        .values_list(
            "business_type__code", "counter__number", "clerk__username", "started_at", "ended_at", "transferred"
        )
    )


@pytest.fixture
def counter_c(hall, types):
    clerk = UserFactory(hall=hall, username="clerk3", roles=[Role.CLERK])
    return CounterFactory(hall=hall, number=3, clerk=clerk, serves=[types["C"]])


def test_a_start_opens_a_stint_and_the_finish_closes_it(hall, types, counter, clerk, clock):
    ticket = issue(hall, types["A"])
    clock.shift(5 * MINUTE)
    services.ticket_call_next(counter=counter, actor=clerk)
    assert stints(ticket) == []  # called is not served yet
    clock.shift(MINUTE)
    services.ticket_start(ticket=ticket, actor=clerk)
    started = ticket.issued_at + 6 * MINUTE
    assert stints(ticket) == [("A", 1, "clerk1", started, None, False)]
    clock.shift(7 * MINUTE)
    services.ticket_finish(ticket=ticket, actor=clerk)

    assert stints(ticket) == [("A", 1, "clerk1", started, started + 7 * MINUTE, False)]
    stint = TicketStint.objects.get(ticket=ticket)
    assert (stint.hall_id, stint.service_date) == (hall.pk, ticket.service_date)


def test_a_transfer_from_service_closes_the_stint_and_the_next_counter_opens_another(
    hall, types, counter, counter_c, clock
):
    ticket = issue(hall, types["A"])
    services.ticket_call_next(counter=counter)
    services.ticket_start(ticket=ticket)
    start = ticket.issued_at
    clock.shift(4 * MINUTE)
    services.ticket_transfer(ticket=ticket, business_type=types["C"])
    clock.shift(10 * MINUTE)
    services.ticket_call_next(counter=counter_c)
    services.ticket_start(ticket=ticket)
    clock.shift(6 * MINUTE)
    services.ticket_finish(ticket=ticket)

    assert stints(ticket) == [
        ("A", 1, "clerk1", start, start + 4 * MINUTE, True),
        ("C", 3, "clerk3", start + 14 * MINUTE, start + 20 * MINUTE, False),
    ]


def test_a_ticket_transferred_called_but_not_started_has_no_stint(hall, types, counter, counter_c, clock):
    ticket = issue(hall, types["A"])
    services.ticket_call_next(counter=counter)
    services.ticket_transfer(ticket=ticket, business_type=types["C"])
    services.ticket_call_next(counter=counter_c)
    services.ticket_cancel(ticket=ticket)

    assert stints(ticket) == []


def test_no_shows_never_served_have_no_stint(hall, types, counter, clock):
    ticket = issue(hall, types["A"])
    services.ticket_call_next(counter=counter)
    services.ticket_no_show(ticket=ticket)

    assert stints(ticket) == []


def test_the_nightly_expiry_closes_an_open_stint(hall, types, counter, clock):
    ticket = issue(hall, types["A"])
    services.ticket_call_next(counter=counter)
    services.ticket_start(ticket=ticket)
    clock.shift(dt.timedelta(days=1))
    services.tickets_expire_stale()

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CANCELLED
    assert stints(ticket) == [("A", 1, "clerk1", ticket.issued_at, ticket.issued_at + dt.timedelta(days=1), False)]
