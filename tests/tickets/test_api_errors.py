import json

import pytest

from hall.models import TimelineEvent
from tests.factories import issue
from tickets import services
from tickets.models import Ticket, TicketSequence


def assert_nothing_created():
    assert not Ticket.objects.exists()
    assert not TicketSequence.objects.exists()
    assert not TimelineEvent.objects.exists()


def assert_field_errors(response, field):
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body
    for messages in body.values():
        assert isinstance(messages, list)
        assert all(isinstance(message, str) for message in messages)


# Bad input answers 400 {field: [messages]} and creates nothing


@pytest.mark.parametrize("code", ["Z", "a", "AB", "", 7])
def test_an_unknown_business_type_answers_400(api, hall, types, code):
    response = api.post("/api/tickets/", {"hall": hall.pk, "business_type": code}, format="json")
    assert_field_errors(response, "business_type")
    assert_nothing_created()


def test_an_inactive_business_type_answers_400(api, hall, types):
    types["E"].is_active = False
    types["E"].save()
    response = api.post("/api/tickets/", {"hall": hall.pk, "business_type": "E"}, format="json")
    assert_field_errors(response, "business_type")
    assert_nothing_created()


def test_another_halls_business_type_is_unknown_here(api, hall, north, north_types):
    response = api.post("/api/tickets/", {"hall": hall.pk, "business_type": "A"}, format="json")
    assert_field_errors(response, "business_type")
    assert_nothing_created()


@pytest.mark.parametrize("priority", ["urgent", "", "PRIORITY", 1, None])
def test_a_bad_priority_answers_400(api, hall, types, priority):
    response = api.post("/api/tickets/", {"hall": hall.pk, "business_type": "A", "priority": priority}, format="json")
    assert_field_errors(response, "priority")
    assert_nothing_created()


@pytest.mark.parametrize("phone", ["1" * 21, "138-0013-8000-0000-0000", "call me", "12"])
def test_a_bad_or_over_long_phone_answers_400(api, hall, types, phone):
    response = api.post("/api/tickets/", {"hall": hall.pk, "business_type": "A", "phone": phone}, format="json")
    assert_field_errors(response, "phone")
    assert_nothing_created()


@pytest.mark.parametrize("hall_value", ["one", "1.5", [1], {"id": 1}, None, True])
def test_a_non_integer_hall_answers_400(api, hall, types, hall_value):
    response = api.post("/api/tickets/", {"hall": hall_value, "business_type": "A"}, format="json")
    assert_field_errors(response, "hall")
    assert_nothing_created()


def test_an_unknown_hall_answers_400(api, hall, types):
    response = api.post("/api/tickets/", {"hall": hall.pk + 1000, "business_type": "A"}, format="json")
    assert_field_errors(response, "hall")
    assert_nothing_created()


def test_missing_fields_answer_400_naming_each(api, hall, types):
    response = api.post("/api/tickets/", {}, format="json")
    assert_field_errors(response, "hall")
    assert_field_errors(response, "business_type")
    assert_nothing_created()


@pytest.mark.parametrize("payload", ['{"hall": 1, "business_type": "A"', "not json", '{"hall": 1,}', "\xff"])
def test_malformed_json_answers_400(api, hall, types, payload):
    response = api.post("/api/tickets/", payload, content_type="application/json")
    assert_field_errors(response, "non_field_errors")
    assert_nothing_created()


def test_json_nested_too_deeply_answers_400(api, hall, types):
    response = api.post("/api/tickets/", "[" * 5000 + "]" * 5000, content_type="application/json")
    assert_field_errors(response, "non_field_errors")
    assert_nothing_created()


@pytest.mark.parametrize("field", ["business_type", "priority", "channel"])
def test_a_lone_surrogate_in_a_field_answers_400_naming_it(api, hall, types, field):
    body = {"hall": hall.pk, "business_type": "A", field: "SURROGATE"}
    payload = json.dumps(body).replace("SURROGATE", "\\ud800")
    response = api.post("/api/tickets/", payload, content_type="application/json")
    assert_field_errors(response, field)
    assert_nothing_created()


def test_a_json_list_instead_of_an_object_answers_400(api, hall, types):
    response = api.post("/api/tickets/", [{"hall": hall.pk, "business_type": "A"}], format="json")
    assert_field_errors(response, "non_field_errors")
    assert_nothing_created()


def test_an_over_long_note_answers_400_and_changes_nothing(clerk_api, hall, types):
    ticket = issue(hall, types["A"])
    response = clerk_api.post(f"/api/tickets/{ticket.pk}/cancel/", {"note": "x" * 501}, format="json")
    assert_field_errors(response, "note")
    ticket.refresh_from_db()
    assert ticket.status == "waiting"
    assert TimelineEvent.objects.count() == 1


@pytest.mark.parametrize(
    "query",
    ["status=lost", "date=2026-13-45", "business_type=AA", "hall=abc", "hall=-1", "hall=%C2%B2", "hall=1_0", "page=x"],
)
def test_bad_list_filters_answer_400_or_404_never_500(clerk_api, hall, types, query):
    issue(hall, types["A"])
    response = clerk_api.get(f"/api/tickets/?{query}")
    assert response.status_code == (404 if query.startswith("page") else 400)


# Another hall's records


@pytest.fixture
def north_ticket(north, north_types):
    return issue(north, north_types["A"])


@pytest.mark.parametrize("action", ["recall", "start", "finish", "no-show", "reactivate", "cancel"])
def test_another_halls_ticket_actions_answer_404_and_change_nothing(clerk_api, north_ticket, action):
    before = Ticket.objects.filter(pk=north_ticket.pk).values().get()
    response = clerk_api.post(f"/api/tickets/{north_ticket.pk}/{action}/", {}, format="json")
    assert response.status_code == 404
    assert Ticket.objects.filter(pk=north_ticket.pk).values().get() == before


def test_another_halls_ticket_cannot_be_transferred(clerk_api, types, north_ticket):
    response = clerk_api.post(f"/api/tickets/{north_ticket.pk}/transfer/", {"business_type": "B"}, format="json")
    assert response.status_code == 404
    north_ticket.refresh_from_db()
    assert north_ticket.business_type.code == "A"


@pytest.mark.parametrize("path", ["/api/tickets/{pk}/", "/api/tickets/{pk}/timeline/"])
def test_another_halls_ticket_detail_answers_404(clerk_api, north_ticket, path):
    assert clerk_api.get(path.format(pk=north_ticket.pk)).status_code == 404


@pytest.mark.parametrize("action", ["call-next", "open", "pause", "close"])
def test_another_halls_counter_answers_404(clerk_api, north_counter, north, north_types, action):
    issue(north, north_types["A"])
    response = clerk_api.post(f"/api/counters/{north_counter.pk}/{action}/")
    assert response.status_code == 404
    north_counter.refresh_from_db()
    assert north_counter.status == "open"
    assert not Ticket.objects.filter(counter=north_counter).exists()


def test_the_ticket_list_never_shows_another_halls_tickets(clerk_api, hall, types, north_ticket):
    mine = issue(hall, types["A"])
    body = clerk_api.get("/api/tickets/").json()
    assert [t["id"] for t in body["results"]] == [mine.pk]
    assert body["count"] == 1


def test_asking_for_another_halls_list_answers_404(clerk_api, hall, north):
    assert clerk_api.get(f"/api/tickets/?hall={north.pk}").status_code == 404
    assert clerk_api.get(f"/api/tickets/?hall={hall.pk}").status_code == 200


def test_staff_cannot_issue_in_another_hall(clerk_api, north, north_types):
    response = clerk_api.post("/api/tickets/", {"hall": north.pk, "business_type": "A"}, format="json")
    assert response.status_code == 404
    assert not Ticket.objects.exists()


def test_the_ticket_list_filters_by_status_type_and_date(clerk_api, hall, types, counter):
    issue(hall, types["A"])
    issue(hall, types["B"])
    services.ticket_call_next(counter=counter)
    today = hall.today().isoformat()

    def numbers(query):
        return sorted(t["number"] for t in clerk_api.get(f"/api/tickets/?{query}").json()["results"])

    assert numbers("status=waiting") == ["B001"]
    assert numbers("business_type=A") == ["A001"]
    assert numbers(f"date={today}&hall={hall.pk}") == ["A001", "B001"]
    assert numbers("date=2001-01-01") == []


# Unknown, anonymous, wrong role


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/tickets/999999/"),
        ("get", "/api/tickets/999999/timeline/"),
        ("post", "/api/tickets/999999/start/"),
        ("post", "/api/counters/999999/call-next/"),
        ("get", "/api/tickets/status/unknown-token/"),
        ("get", "/api/halls/999999/"),
        ("get", "/api/halls/999999/board/"),
    ],
)
def test_an_unknown_id_answers_404(clerk_api, method, path):
    assert getattr(clerk_api, method)(path).status_code == 404


def test_an_unknown_hall_filter_answers_404(clerk_api):
    assert clerk_api.get("/api/tickets/?hall=999999").status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/tickets/"),
        ("get", "/api/tickets/{pk}/"),
        ("get", "/api/tickets/{pk}/timeline/"),
        ("post", "/api/tickets/{pk}/cancel/"),
        ("post", "/api/counters/{counter}/call-next/"),
        ("post", "/api/counters/{counter}/open/"),
        ("get", "/api/me/"),
        ("get", "/api/staff/"),
        ("get", "/api/counters/"),
        ("get", "/api/notifications/"),
    ],
)
def test_anonymous_callers_are_refused_on_staff_endpoints(api, hall, types, counter, method, path):
    ticket = issue(hall, types["A"])
    response = getattr(api, method)(path.format(pk=ticket.pk, counter=counter.pk))
    assert response.status_code in (401, 403)
    ticket.refresh_from_db()
    assert ticket.status == "waiting"


def test_a_bad_token_answers_401(api, counter):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api.post(f"/api/counters/{counter.pk}/call-next/").status_code == 401


def test_a_repair_worker_may_not_call_next(api_as, worker, hall, types, counter):
    issue(hall, types["A"])
    response = api_as(worker).post(f"/api/counters/{counter.pk}/call-next/")
    assert response.status_code == 403
    assert not Ticket.objects.filter(status="called").exists()


def test_a_repair_worker_may_not_act_on_tickets(api_as, worker, hall, types):
    ticket = issue(hall, types["A"])
    assert api_as(worker).post(f"/api/tickets/{ticket.pk}/cancel/").status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == "waiting"


def test_a_manager_may_call_next_at_a_counter_they_opened(api_as, manager, clerk, hall, types, counter):
    services.counter_close(counter=counter, actor=clerk)
    issue(hall, types["A"])
    manager_api = api_as(manager)
    assert manager_api.post(f"/api/counters/{counter.pk}/open/").status_code == 200
    response = manager_api.post(f"/api/counters/{counter.pk}/call-next/")
    assert response.status_code == 200
    assert response.json()["served_by"] == manager.pk
