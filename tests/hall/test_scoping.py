import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from hall.models import Role
from hall.permissions import ensure_hall, mask_phone, scope_to_hall, visible_halls
from tests.factories import UserFactory, issue
from tickets.models import Counter


@pytest.fixture
def admin(hall):
    user = UserFactory(hall=None, username="admin", roles=[])
    user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def both_halls(hall, types, counter, north, north_types, north_counter):
    return hall, north


def test_a_user_sees_only_their_own_halls_records(clerk, both_halls, counter):
    assert list(scope_to_hall(Counter.objects.all(), clerk)) == [counter]
    assert list(visible_halls(clerk)) == [both_halls[0]]


def test_an_administrator_sees_every_hall(admin, both_halls):
    assert scope_to_hall(Counter.objects.all(), admin).count() == 2
    assert visible_halls(admin).count() == 2


@pytest.mark.parametrize("user", ["anonymous", "hall-less staff"])
def test_nobody_without_a_hall_sees_anything(both_halls, user):
    person = AnonymousUser() if user == "anonymous" else UserFactory(hall=None)
    assert not scope_to_hall(Counter.objects.all(), person).exists()
    assert not visible_halls(person).exists()


def test_ensure_hall_answers_another_hall_as_not_found(clerk, north):
    with pytest.raises(Http404):
        ensure_hall(clerk, north.pk)
    ensure_hall(clerk, clerk.hall_id)


@pytest.mark.parametrize("path", ["/api/staff/", "/api/business-types/", "/api/counters/", "/api/halls/"])
def test_reference_lists_never_show_another_halls_records(clerk_api, both_halls, north_clerk, path):
    hall, north = both_halls

    body = clerk_api.get(path).json()

    assert body["count"] >= 1
    halls = {row["id"] if path == "/api/halls/" else row.get("hall", hall.pk) for row in body["results"]}
    assert halls == {hall.pk}
    assert north_clerk.username not in {row.get("username") for row in body["results"]}


@pytest.mark.parametrize("path", ["/api/staff/", "/api/business-types/", "/api/counters/", "/api/tickets/"])
def test_asking_for_another_hall_answers_404(clerk_api, both_halls, path):
    assert clerk_api.get(f"{path}?hall={both_halls[1].pk}").status_code == 404


def test_another_halls_detail_answers_404(clerk_api, north):
    assert clerk_api.get(f"/api/halls/{north.pk}/").status_code == 404


def test_an_administrator_can_narrow_any_list_to_one_hall(api_as, admin, both_halls):
    hall, north = both_halls
    client = api_as(admin)

    assert client.get("/api/counters/").json()["count"] == 2
    body = client.get(f"/api/counters/?hall={north.pk}").json()
    assert [row["hall"] for row in body["results"]] == [north.pk]


def test_a_north_clerk_cannot_see_or_act_on_demo_tickets(api_as, hall, types, counter, north_clerk):
    ticket = issue(hall, types["A"])
    client = api_as(north_clerk)

    assert client.get("/api/tickets/").json()["count"] == 0
    assert client.get(f"/api/tickets/{ticket.pk}/").status_code == 404
    assert client.post(f"/api/counters/{counter.pk}/call-next/").status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == "waiting"


def test_the_display_board_is_public(api, hall, types):
    issue(hall, types["B"])
    body = api.get(f"/api/halls/{hall.pk}/board/").json()
    assert body["waiting"] == {"A": 0, "B": 1, "C": 0, "D": 0, "E": 0}
    assert body["recent_calls"] == []


def test_clerks_see_customers_phone_numbers_masked(api_as, clerk, hall, types):
    ticket = issue(hall, types["A"], phone="13800138000")
    assert api_as(clerk).get(f"/api/tickets/{ticket.pk}/").json()["phone"] == "138****8000"


def test_managers_see_the_full_phone_number(api_as, hall, types):
    ticket = issue(hall, types["A"], phone="13800138000")
    duty = UserFactory(hall=hall, roles=[Role.DUTY_MANAGER])
    assert api_as(duty).get(f"/api/tickets/{ticket.pk}/").json()["phone"] == "13800138000"


def test_the_public_status_never_shows_the_phone(api, hall, types):
    ticket = issue(hall, types["A"], phone="13800138000")
    body = api.get(f"/api/tickets/status/{ticket.token}/").json()
    assert "13800138000" not in str(body)


@pytest.mark.parametrize(("phone", "masked"), [("13800138000", "138****8000"), ("12345", "*****"), ("", "")])
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("record", "method", "path"),
    [
        ("ticket", "get", "/api/tickets/{pk}/"),
        ("counter", "post", "/api/counters/{pk}/open/"),
        ("repair", "get", "/api/repairs/{pk}/timeline/"),
        ("complaint", "post", "/api/complaints/{pk}/investigate/"),
    ],
)
def test_another_halls_record_answers_exactly_as_a_missing_one(
    request, api_as, hall, types, north_clerk, record, method, path
):
    subject = issue(hall, types["A"]) if record == "ticket" else request.getfixturevalue(record)
    client = getattr(api_as(north_clerk), method)

    theirs, missing = client(path.format(pk=subject.pk)), client(path.format(pk=999999))

    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


@pytest.mark.parametrize(
    ("record", "page"),
    [("counter", "counter-console"), ("repair", "repair-detail"), ("complaint", "complaint-detail")],
)
def test_another_halls_page_answers_exactly_as_a_missing_one(request, client_as, north_clerk, record, page):
    from django.urls import reverse

    subject = request.getfixturevalue(record)
    client = client_as(north_clerk)

    theirs, missing = client.get(reverse(page, args=[subject.pk])), client.get(reverse(page, args=[999999]))

    assert theirs.status_code == missing.status_code == 404
    assert same_but_per_request_secrets(theirs.content) == same_but_per_request_secrets(missing.content)


def same_but_per_request_secrets(page: bytes) -> bytes:
    """The page without what differs on every request whatever it shows: the CSP nonce, the CSRF token and the
    address the language switch comes back to."""
    page = re.sub(rb'name="next" value="[^"]*"', b'name="next" value=""', page)
    page = re.sub(rb'nonce="[^"]*"', b'nonce=""', page)
    page = re.sub(rb'"X-CSRFToken": "[^"]*"', b'"X-CSRFToken": ""', page)
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b'name="csrfmiddlewaretoken" value=""', page)
