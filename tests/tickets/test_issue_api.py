import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from hall import cache as hall_cache
from tickets.apis import TicketOutput
from tickets.models import BusinessType, Ticket


def issue_code(api, hall, code="A"):
    return api.post("/api/tickets/", {"hall": hall.pk, "business_type": code}, format="json").status_code


# The copy of halls and business types each process keeps for issuing


def test_a_business_type_deactivated_here_is_refused_at_once(api, hall, types):
    assert issue_code(api, hall) == 201
    types["A"].is_active = False
    types["A"].save()

    assert issue_code(api, hall) == 400


def test_a_business_type_added_here_is_offered_at_once(api, hall, types):
    assert issue_code(api, hall) == 201
    BusinessType.objects.create(hall=hall, code="F", name="New")

    assert issue_code(api, hall, "F") == 201


def test_a_quota_changed_here_applies_at_once(api, hall, types):
    assert issue_code(api, hall) == 201
    types["A"].daily_quota = 1
    types["A"].save()

    assert issue_code(api, hall) == 409


def test_a_change_made_by_another_process_applies_within_seconds(api, hall, types, later):
    assert issue_code(api, hall) == 201
    BusinessType.objects.filter(pk=types["A"].pk).update(is_active=False)  # no signal reaches this process

    assert issue_code(api, hall) == 201
    later(hall_cache.KEPT_SECONDS + 1)
    assert issue_code(api, hall) == 400


def test_a_deleted_hall_is_unknown_at_once(api, north):
    assert "business_type" in api.post("/api/tickets/", {"hall": north.pk, "business_type": "A"}, format="json").json()
    pk = north.pk
    north.delete()

    response = api.post("/api/tickets/", {"hall": pk, "business_type": "A"}, format="json")

    assert response.status_code == 400
    assert "hall" in response.json()


@pytest.mark.parametrize("value", [10**30, "1e3", " ", "²"])
def test_odd_hall_ids_answer_400(api, hall, types, value):
    response = api.post("/api/tickets/", {"hall": value, "business_type": "A"}, format="json")

    assert response.status_code == 400
    assert "hall" in response.json()


# The issue answer


@pytest.mark.parametrize(
    "body",
    [
        {"business_type": "A"},
        {"business_type": "B", "priority": "priority", "phone": "13800138000"},
        {"business_type": "A", "phone": "13800138000", "channel": "phone"},
    ],
)
@pytest.mark.parametrize("who", ["kiosk", "clerk", "manager"])
def test_it_answers_what_the_ticket_endpoint_answers(api, api_as, clerk, manager, hall, types, body, who):
    client = {"kiosk": api, "clerk": api_as(clerk), "manager": api_as(manager)}[who]
    api.post(
        "/api/tickets/",
        {"hall": hall.pk, "business_type": body["business_type"], "priority": "priority"},
        format="json",
    )

    issued = client.post("/api/tickets/", {"hall": hall.pk, **body}, format="json").json()

    ticket = Ticket.objects.select_related("business_type", "counter").get(pk=issued["id"])
    request = Request(APIRequestFactory().get("/"))
    request.user = {"kiosk": AnonymousUser(), "clerk": clerk, "manager": manager}[who]
    assert issued == TicketOutput(ticket, context={"request": request}).data
    assert issued["position"] == 1
