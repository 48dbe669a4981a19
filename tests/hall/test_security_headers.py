import pytest
from django.urls import reverse

from staff.models import CalendarFeed
from tests.factories import issue

pytestmark = pytest.mark.django_db

NO_STORE = "private, no-store"


def test_a_page_carries_a_policy_that_runs_only_the_halls_own_code(client, hall, types):
    policy = client.get(reverse("kiosk", args=[hall.code]))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


def test_the_api_docs_let_only_their_own_start_up_script_run_by_its_nonce(client_as, manager):
    response = client_as(manager).get("/api/docs/")
    nonce = response.context["csp_nonce"]
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert f'<script nonce="{nonce}">' in response.content.decode()


def test_no_page_may_use_the_camera_the_microphone_or_the_location(client, hall, types):
    policy = client.get(reverse("kiosk", args=[hall.code]))["Permissions-Policy"]
    assert {"camera=()", "microphone=()", "geolocation=()"} <= set(policy.split(", "))


def test_a_staff_page_is_never_kept_by_the_browser(client_as, clerk):
    response = client_as(clerk).get(reverse("home"))
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_an_api_answer_with_a_customers_data_is_never_kept(clerk_api, types):
    response = clerk_api.get("/api/tickets/")
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_a_customers_status_page_reached_by_its_link_is_never_kept(client, hall, types):
    ticket = issue(hall, types["A"], phone="13800000000")
    for name in ("ticket-status-page", "ticket-status-live"):
        response = client.get(reverse(name, args=[ticket.token]))
        assert response.status_code == 200
        assert response["Cache-Control"] == NO_STORE, name


def test_a_public_api_answer_is_never_kept_either(api, hall, types):
    response = api.get(f"/api/halls/{hall.pk}/board/")
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == NO_STORE


def test_a_view_that_chose_its_own_caching_keeps_it(client, clerk):
    feed = CalendarFeed.objects.create(user=clerk)
    response = client.get(reverse("calendar-feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=300"
