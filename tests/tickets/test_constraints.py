"""What the database itself refuses, whatever the code above it does."""

import pytest
from django.db import IntegrityError, transaction

from tests.factories import CounterFactory, issue
from tickets import services
from tickets.models import Ticket, TicketStatus


def test_the_database_refuses_a_second_active_ticket_for_one_counter(hall, types, counter):
    issue(hall, types["A"])
    second = issue(hall, types["A"])
    services.ticket_call_next(counter=counter)

    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.filter(pk=second.pk).update(status=TicketStatus.SERVING, counter=counter)

    second.refresh_from_db()
    assert (second.status, second.counter) == (TicketStatus.WAITING, None)


def test_the_database_allows_one_active_ticket_on_each_of_two_counters(hall, types, counter):
    other = CounterFactory(hall=hall, number=2, serves=[types["A"]])
    first, second = issue(hall, types["A"]), issue(hall, types["A"])
    Ticket.objects.filter(pk=first.pk).update(status=TicketStatus.CALLED, counter=counter)
    Ticket.objects.filter(pk=second.pk).update(status=TicketStatus.SERVING, counter=other)
    assert Ticket.objects.filter(status__in=["called", "serving"]).count() == 2


def test_the_database_refuses_an_active_ticket_without_a_counter(hall, types):
    ticket = issue(hall, types["A"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.CALLED)


def test_the_database_refuses_a_duplicate_number_for_a_hall_type_and_day(hall, types):
    ticket = issue(hall, types["A"])
    duplicate = Ticket.objects.values().get(pk=ticket.pk)
    for field in ("id", "token", "created_at"):
        duplicate.pop(field)

    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.create(**duplicate)

    assert Ticket.objects.count() == 1


def test_the_same_number_is_allowed_on_another_day(hall, types):
    ticket = issue(hall, types["A"])
    next_day = Ticket.objects.values().get(pk=ticket.pk)
    for field in ("id", "token", "created_at"):
        next_day.pop(field)
    next_day["service_date"] = ticket.service_date.replace(year=ticket.service_date.year + 1)

    Ticket.objects.create(**next_day)

    assert Ticket.objects.filter(number="A001").count() == 2
