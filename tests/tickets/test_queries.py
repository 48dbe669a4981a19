"""The kiosk's SQL count of the queue (tickets.queries) against the rule's ORM reading (tickets.selectors)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import CounterFactory, issue
from tickets import queries, selectors, services
from tickets.models import CounterStatus, Priority, Ticket


@pytest.fixture
def busy_queue(hall, types, north, north_types, counter, clerk, clock):
    """Waiting, called and transferred tickets of several types, priorities and halls, some issued at the
    same instant; counters open, paused and closed."""
    CounterFactory(hall=hall, number=2, serves=[types["A"]])
    CounterFactory(hall=hall, number=3, serves=[types["A"], types["C"]], status=CounterStatus.PAUSED)
    CounterFactory(hall=hall, number=4, serves=[types["A"]], status=CounterStatus.CLOSED)
    CounterFactory(hall=north, number=1, serves=[north_types["A"]])
    for n in range(12):
        issue(hall, types["AB"[n % 2]], priority=Priority.PRIORITY if n % 3 == 0 else Priority.NORMAL)
        issue(north, north_types["A"])
        if n % 4 == 0:
            clock.shift(dt.timedelta(minutes=1))
    services.ticket_call_next(counter=counter, actor=clerk)
    moved = Ticket.objects.filter(business_type=types["B"], status="waiting").first()
    services.ticket_transfer(ticket=moved, business_type=types["A"])
    clock.shift(dt.timedelta(seconds=30))


@pytest.mark.parametrize("priority", [Priority.NORMAL, Priority.PRIORITY])
@pytest.mark.parametrize("code", ["A", "B", "C"])
def test_it_counts_as_the_live_selectors_do(hall, types, busy_queue, code, priority):
    instants = set(Ticket.objects.filter(hall=hall).values_list("issued_at", flat=True)) | {timezone.now()}
    for issued_at in sorted(instants):
        ticket = Ticket(hall=hall, business_type=types[code], priority=priority, issued_at=issued_at)

        ahead, open_counters = queries.queue_at_issue(ticket)

        assert ahead == selectors.people_ahead(ticket)
        assert open_counters == selectors.open_counters_serving(types[code])


@pytest.mark.parametrize(("priority", "expected"), [(Priority.NORMAL, 3), (Priority.PRIORITY, 1)])
def test_both_put_a_ticket_after_every_one_issued_at_the_same_instant(hall, types, clock, priority, expected):
    for waiting in (Priority.NORMAL, Priority.PRIORITY, Priority.NORMAL):
        issue(hall, types["A"], priority=waiting)
    ticket = Ticket(hall=hall, business_type=types["A"], priority=priority, issued_at=timezone.now())

    assert queries.queue_at_issue(ticket)[0] == expected
    assert selectors.people_ahead(ticket) == expected


def test_it_stores_the_count_on_the_ticket_issued(hall, types, clock):
    first = issue(hall, types["A"])
    priority = issue(hall, types["A"], priority=Priority.PRIORITY)
    normal = issue(hall, types["A"])

    assert [t.position_at_issue for t in (first, priority, normal)] == [0, 0, 2]
    assert [selectors.people_ahead(t) for t in (first, priority, normal)] == [1, 0, 2]
