import pytest

from tests.factories import CounterFactory, issue
from tickets import services
from tickets.models import CounterStatus, Ticket

pytestmark = pytest.mark.django_db


def issue_api(api, hall, code):
    response = api.post("/api/tickets/", {"hall": hall.pk, "business_type": code}, format="json")
    assert response.status_code == 201
    return response.json()


def status_api(api, ticket):
    return api.get(f"/api/tickets/status/{ticket.token}/").json()


def test_a_ticket_no_open_counter_serves_promises_no_wait_and_tells_when_counters_open(api, hall, types, counter):
    issue_api(api, hall, "C")
    answer = issue_api(api, hall, "C")

    assert answer["position"] == 1
    assert answer["predicted_wait_minutes"] is None
    assert answer["counters_open_at"] == "08:30"
    assert Ticket.objects.get(number="C002").predicted_wait_minutes is None


def test_a_paused_counter_serves_nobody_now(api, hall, types, counter, clerk):
    services.counter_pause(counter=counter, actor=clerk)

    assert issue_api(api, hall, "A")["predicted_wait_minutes"] is None


def test_a_ticket_an_open_counter_serves_gets_a_wait_and_no_opening_time(api, hall, types, counter):
    issue_api(api, hall, "A")
    answer = issue_api(api, hall, "A")

    assert answer["predicted_wait_minutes"] == 5
    assert answer["counters_open_at"] is None


def test_the_status_answer_gives_a_wait_once_a_counter_serving_the_type_opens(api, hall, types, counter):
    ticket = issue(hall, types["C"])
    waiting = status_api(api, ticket)
    assert (waiting["predicted_wait_minutes"], waiting["counters_open_at"]) == (None, "08:30")

    CounterFactory(hall=hall, number=2, serves=[types["C"]], status=CounterStatus.OPEN)
    served = status_api(api, ticket)

    assert (served["position"], served["predicted_wait_minutes"], served["counters_open_at"]) == (0, 0, None)


def test_the_opening_time_is_the_halls(api, hall, types):
    hall.opens_at = hall.opens_at.replace(hour=9, minute=0)
    hall.save()

    assert issue_api(api, hall, "C")["counters_open_at"] == "09:00"
