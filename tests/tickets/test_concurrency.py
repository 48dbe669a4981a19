"""Real threads, each with its own PostgreSQL connection, against the queue services."""

import random
import threading
import time

import pytest
from django.db import IntegrityError, connection

from hall.errors import ApplicationError, CounterBusy
from hall.timeline import timeline_for
from tests.factories import BusinessTypeFactory, CounterFactory, HallFactory, person
from tests.threads import run_threads
from tickets import services
from tickets.models import ACTIVE_STATUSES, CounterStatus, Ticket, TicketCall, TicketStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_thirty_tickets_issued_at_once_get_unique_consecutive_numbers():
    hall = HallFactory(code="busy")
    business_type = BusinessTypeFactory(hall=hall, code="A")

    errors = run_threads(30, lambda _: services.ticket_issue(hall=hall, business_type=business_type))

    assert errors == []
    numbers = sorted(Ticket.objects.filter(hall=hall).values_list("number", flat=True))
    assert numbers == [f"A{n:03d}" for n in range(1, 31)]


def test_fifty_threads_calling_for_six_counters_call_every_ticket_exactly_once():
    hall = HallFactory(code="busy")
    types = [BusinessTypeFactory(hall=hall, code=code) for code in "ABC"]
    weights = random.Random(6)
    counters = [
        CounterFactory(hall=hall, number=n, serves={bt: weights.randint(1, 3) for bt in types}) for n in range(1, 7)
    ]
    for n in range(300):
        services.ticket_issue(hall=hall, business_type=types[n % 3], priority="priority" if n % 7 == 0 else "normal")
    stop = threading.Event()
    outcomes = {"served": 0, "busy": 0, "none": 0, "constraint": 0}
    lock = threading.Lock()
    most_active = []

    def count(outcome):
        with lock:
            outcomes[outcome] += 1

    def clerk(_):
        deadline = time.monotonic() + 45
        while not stop.is_set() and time.monotonic() < deadline:
            counter = random.choice(counters)
            try:
                ticket = services.ticket_call_next(counter=counter)
            except CounterBusy:
                count("busy")
                time.sleep(0.005)  # as a clerk would: the counter is still serving
                continue
            except IntegrityError:
                count("constraint")
                raise
            if ticket is None:
                count("none")
                if not Ticket.objects.filter(hall=hall, status=TicketStatus.WAITING).exists():
                    return
                continue
            services.ticket_start(ticket=ticket)
            services.ticket_finish(ticket=ticket)
            count("served")

    def watch():
        # Checks, while the clerks work, that no counter ever holds two active tickets.
        try:
            while not stop.is_set():
                rows = Ticket.objects.filter(hall=hall, status__in=ACTIVE_STATUSES).values_list("counter", flat=True)
                active = list(rows)
                most_active.append(max((active.count(c) for c in set(active)), default=0))
                time.sleep(0.01)
        finally:
            connection.close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        errors = run_threads(50, clerk)
    finally:
        stop.set()
        watcher.join(timeout=10)

    assert errors == []
    assert outcomes["constraint"] == 0
    assert outcomes["served"] == 300
    assert Ticket.objects.filter(hall=hall, status=TicketStatus.DONE).count() == 300
    calls = TicketCall.objects.filter(hall=hall)
    assert calls.count() == 300
    assert calls.values("ticket").distinct().count() == 300
    assert len(most_active) > 5
    assert max(most_active) <= 1


def test_of_eight_clerks_opening_the_same_closed_counter_at_once_exactly_one_takes_it():
    hall = HallFactory(code="busy")
    counter = CounterFactory(hall=hall, number=1, status=CounterStatus.CLOSED)
    clerks = [person(hall, f"clerk{n}") for n in range(8)]
    opened, refused = [], []

    def take(index):
        try:
            services.counter_open(counter=counter, actor=clerks[index])
            opened.append(clerks[index])
        except ApplicationError as exc:
            refused.append(exc)

    errors = run_threads(8, take)

    assert errors == []
    assert len(opened) == 1
    assert len(refused) == 7
    assert all(exc.status_code == 403 for exc in refused)
    counter.refresh_from_db()
    assert (counter.status, counter.clerk) == (CounterStatus.OPEN, opened[0])
    assert [(event.action, event.actor) for event in timeline_for(counter)] == [("counter_open", opened[0])]
