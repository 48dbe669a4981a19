import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import CounterFactory, UserFactory, issue
from tickets import services
from tickets.models import Rating

pytestmark = pytest.mark.django_db


def serve_for(clerk, counter, clock, minutes, score=None):
    ticket = services.ticket_call_next(counter=counter, actor=clerk)
    services.ticket_start(ticket=ticket, actor=clerk)
    clock.shift(dt.timedelta(minutes=minutes))
    ticket = services.ticket_finish(ticket=ticket, actor=clerk)
    if score:
        services.ticket_rate(ticket=ticket, score=score)
    return ticket


def my_day(client, counter):
    return client.get(reverse("counter-console", args=[counter.pk])).context["my_day"]


def test_it_shows_the_clerks_own_visits_handling_time_and_ratings_today(client_as, hall, types, counter, clerk, clock):
    for _ in range(3):
        issue(hall, types["A"])
    serve_for(clerk, counter, clock, 4, score=5)
    serve_for(clerk, counter, clock, 6, score=2)
    serve_for(clerk, counter, clock, 8)

    day = my_day(client_as(clerk), counter)

    assert day == {"served": 3, "handling_minutes": 6.0, "rated": 2, "satisfied_percent": 50}


def test_it_counts_neither_another_clerks_visits_nor_yesterdays(client_as, hall, types, counter, clerk, clock):
    other = UserFactory(hall=hall, username="clerk2")
    other_counter = CounterFactory(hall=hall, number=2, clerk=other, serves=[types["A"]])
    issue(hall, types["A"])
    serve_for(clerk, counter, clock, 5, score=5)
    clock.shift(dt.timedelta(days=1))
    issue(hall, types["A"])
    issue(hall, types["A"])
    serve_for(other, other_counter, clock, 5, score=5)
    serve_for(clerk, counter, clock, 3)

    day = my_day(client_as(clerk), counter)

    assert day == {"served": 1, "handling_minutes": 3.0, "rated": 0, "satisfied_percent": None}


def test_a_clerk_who_served_nobody_yet_sees_no_made_up_figures(client_as, counter, clerk):
    html = client_as(clerk).get(reverse("counter-console", args=[counter.pk])).content.decode()

    assert '<dd data-my-day="served">0</dd>' in html
    assert '<dd data-my-day="handling">—</dd>' in html
    assert '<dd data-my-day="ratings">0</dd>' in html


def test_the_panel_shows_the_new_figures_after_each_action(client_as, hall, types, counter, clerk):
    issue(hall, types["A"])
    ticket = services.ticket_call_next(counter=counter, actor=clerk)
    services.ticket_start(ticket=ticket, actor=clerk)
    response = client_as(clerk).post(
        reverse("counter-action", args=[counter.pk, "finish"]), {"ticket": ticket.pk}, HTTP_HX_REQUEST="true"
    )
    Rating.objects.create(ticket=ticket, score=4)
    again = client_as(clerk).get(reverse("counter-console", args=[counter.pk])).content.decode()

    assert '<dd data-my-day="served">1</dd>' in response.content.decode()
    assert "1 · 满意 100%" in again
