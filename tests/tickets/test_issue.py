import datetime as dt

import pytest
import time_machine

from hall.errors import QuotaReached
from hall.models import TimelineEvent
from tests.conftest import SHANGHAI
from tests.factories import CounterFactory, issue, serve
from tickets.models import Channel, CounterStatus, Priority, Ticket, TicketSequence, TicketStatus


def test_it_numbers_tickets_from_001_per_business_type(hall, types):
    numbers = [issue(hall, types[code]).number for code in "AABAB"]
    assert numbers == ["A001", "A002", "B001", "A003", "B002"]


def test_it_restarts_the_numbers_the_next_day(hall, types):
    with time_machine.travel(dt.datetime(2026, 3, 2, 17, 0, tzinfo=SHANGHAI), tick=False):
        issue(hall, types["A"])
        issue(hall, types["A"])
    with time_machine.travel(dt.datetime(2026, 3, 3, 8, 30, tzinfo=SHANGHAI), tick=False):
        ticket = issue(hall, types["A"])
    ticket.refresh_from_db()
    assert ticket.number == "A001"
    assert ticket.service_date == dt.date(2026, 3, 3)


def test_the_day_changes_at_midnight_hall_time_not_utc(hall, types):
    # 23:50 in Shanghai is still 15:50 UTC of the same date: numbering goes on.
    with time_machine.travel(dt.datetime(2026, 3, 2, 23, 50, tzinfo=SHANGHAI), tick=False):
        first = issue(hall, types["A"])
    # 00:10 in Shanghai is 16:10 UTC of the previous date: a new day for the hall.
    with time_machine.travel(dt.datetime(2026, 3, 3, 0, 10, tzinfo=SHANGHAI), tick=False):
        second = issue(hall, types["A"])
    assert (first.service_date, first.number) == (dt.date(2026, 3, 2), "A001")
    assert (second.service_date, second.number) == (dt.date(2026, 3, 3), "A001")


def test_each_hall_has_its_own_numbers(hall, types, north, north_types):
    issue(hall, types["A"])
    issue(hall, types["A"])
    assert issue(north, north_types["A"]).number == "A001"
    assert issue(hall, types["A"]).number == "A003"


def test_numbers_are_unique_within_a_hall_and_day(hall, types):
    for _ in range(12):
        issue(hall, types["A"])
    numbers = list(Ticket.objects.filter(hall=hall).values_list("number", flat=True))
    assert len(set(numbers)) == 12
    assert TicketSequence.objects.get(hall=hall, business_type=types["A"]).last == 12


def test_it_refuses_to_issue_past_the_daily_quota(hall, types):
    types["A"].daily_quota = 2
    types["A"].save()
    issue(hall, types["A"])
    issue(hall, types["A"])
    with pytest.raises(QuotaReached):
        issue(hall, types["A"])
    assert Ticket.objects.filter(business_type=types["A"]).count() == 2
    assert TicketSequence.objects.get(business_type=types["A"]).last == 2


def test_the_api_answers_409_quota_reached_and_creates_nothing(api, hall, types):
    types["A"].daily_quota = 1
    types["A"].save()
    assert api.post("/api/tickets/", {"hall": hall.pk, "business_type": "A"}, format="json").status_code == 201
    events = TimelineEvent.objects.count()

    response = api.post("/api/tickets/", {"hall": hall.pk, "business_type": "A"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "quota_reached"
    assert response.json()["detail"]
    assert Ticket.objects.count() == 1
    assert TimelineEvent.objects.count() == events


def test_a_zero_quota_closes_issuing_for_the_type(hall, types):
    types["B"].daily_quota = 0
    types["B"].save()
    with pytest.raises(QuotaReached):
        issue(hall, types["B"])
    assert not Ticket.objects.exists()
    assert issue(hall, types["A"]).number == "A001"


def test_the_quota_is_per_day(hall, types):
    types["A"].daily_quota = 1
    types["A"].save()
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
        issue(hall, types["A"])
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert issue(hall, types["A"]).number == "A001"


def test_position_is_the_number_of_people_ahead(api, hall, types):
    positions = [
        api.post("/api/tickets/", {"hall": hall.pk, "business_type": "A"}, format="json").json()["position"]
        for _ in range(3)
    ]
    assert positions == [0, 1, 2]
    assert list(Ticket.objects.order_by("seq").values_list("position_at_issue", flat=True)) == [0, 1, 2]


def test_people_of_other_types_are_not_ahead(hall, types):
    issue(hall, types["B"])
    issue(hall, types["B"])
    ticket = issue(hall, types["A"])
    assert ticket.position_at_issue == 0


def test_priority_tickets_waiting_are_ahead_of_a_new_normal_ticket(hall, types):
    issue(hall, types["A"])
    issue(hall, types["A"], priority=Priority.PRIORITY)
    normal = issue(hall, types["A"])
    priority = issue(hall, types["A"], priority=Priority.PRIORITY)
    assert normal.position_at_issue == 2
    assert priority.position_at_issue == 1


def test_the_status_page_shows_the_live_position(api, hall, types, counter, clerk):
    issue(hall, types["A"])
    ticket = issue(hall, types["A"])
    assert api.get(f"/api/tickets/status/{ticket.token}/").json()["position"] == 1

    serve(counter, clerk)

    body = api.get(f"/api/tickets/status/{ticket.token}/").json()
    assert body["position"] == 0
    assert body["status"] == "waiting"
    assert body["counter"] is None


def test_the_status_page_names_the_counter_once_called(api, hall, types, counter, clerk):
    from tickets import services

    ticket = issue(hall, types["A"])
    services.ticket_call_next(counter=counter, actor=clerk)

    body = api.get(f"/api/tickets/status/{ticket.token}/").json()

    assert body == body | {"number": "A001", "status": "called", "counter": 1, "position": None}


def test_it_predicts_the_wait_from_the_type_default_before_there_is_history(hall, types, counter):
    types["A"].default_service_minutes = 6
    types["A"].save()
    issue(hall, types["A"])
    issue(hall, types["A"])

    ticket = issue(hall, types["A"])

    ticket.refresh_from_db()
    assert ticket.position_at_issue == 2
    assert ticket.predicted_wait_minutes == 12


def test_it_predicts_the_wait_from_the_real_mean_service_time_once_there_is_history(
    hall, types, counter, clerk, clock, django_capture_on_commit_callbacks
):
    from tickets import services

    types["A"].default_service_minutes = 3
    types["A"].save()
    for minutes in (8, 10, 12):
        issue(hall, types["A"])
        called = services.ticket_call_next(counter=counter, actor=clerk)
        services.ticket_start(ticket=called, actor=clerk)
        clock.shift(dt.timedelta(minutes=minutes))
        with django_capture_on_commit_callbacks(execute=True):
            services.ticket_finish(ticket=called, actor=clerk)
    issue(hall, types["A"])
    issue(hall, types["A"])

    ticket = issue(hall, types["A"])

    ticket.refresh_from_db()
    assert ticket.position_at_issue == 2
    assert ticket.predicted_wait_minutes == 20  # 2 ahead × 10 minutes mean, one counter


def test_the_predicted_wait_is_shared_among_the_open_counters_serving_the_type(hall, types, counter):
    types["A"].default_service_minutes = 5
    types["A"].save()
    CounterFactory(hall=hall, number=2, serves=[types["A"]])
    CounterFactory(hall=hall, number=3, serves=[types["A"]], status=CounterStatus.CLOSED)
    CounterFactory(hall=hall, number=4, serves=[types["B"]])
    for _ in range(4):
        issue(hall, types["A"])

    ticket = issue(hall, types["A"])

    assert ticket.predicted_wait_minutes == 10  # 4 ahead × 5 minutes / 2 open counters serving A


def test_the_kiosk_issues_without_login_in_the_contract_shape(api, hall, types):
    response = api.post("/api/tickets/", {"hall": hall.pk, "business_type": "B", "priority": "priority"}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert {"id", "number", "status", "position", "predicted_wait_minutes", "token", "status_url"} <= body.keys()
    assert body["number"] == "B001"
    assert body["status"] == "waiting"
    assert body["status_url"].endswith(f"/t/{body['token']}/")
    ticket = Ticket.objects.get(pk=body["id"])
    assert (ticket.priority, ticket.channel, ticket.status) == (Priority.PRIORITY, Channel.KIOSK, TicketStatus.WAITING)


def test_staff_issuing_is_recorded_as_the_staff_channel_with_its_actor(clerk_api, clerk, hall, types):
    response = clerk_api.post(
        "/api/tickets/", {"hall": hall.pk, "business_type": "A", "phone": "13800138000"}, format="json"
    )

    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert ticket.channel == Channel.STAFF
    assert ticket.phone == "13800138000"
    event = TimelineEvent.objects.get(object_id=ticket.pk, action="issue")
    assert event.actor == clerk
    assert event.to_status == "waiting"
