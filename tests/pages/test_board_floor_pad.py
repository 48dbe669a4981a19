import json

import pytest
from django.urls import reverse

from hall.models import Role
from tests.factories import CounterFactory, UserFactory, issue, serve
from tickets import services
from tickets.models import Rating

pytestmark = pytest.mark.django_db


def test_the_board_is_public_and_starts_from_the_current_calls(client, hall, types, counter):
    issue(hall, types["A"])
    services.ticket_call_next(counter=counter)
    issue(hall, types["B"])
    response = client.get(reverse("board", args=[hall.code]))
    html = response.content.decode()
    initial = json.loads(html.split('id="board-initial" type="application/json">')[1].split("</script>")[0])
    assert response.status_code == 200
    assert [call["number"] for call in initial["recent_calls"]] == ["A001"]
    assert initial["now_calling"] == initial["recent_calls"][0]["id"]
    assert '<span class="board-latest-number">A001</span>' in html
    assert initial["waiting"]["B"] == 1
    assert reverse("api-hall-board", args=[hall.pk]) in html
    assert "js/tickets_hall_board.js" in html


def test_the_floor_view_shows_the_managers_hall(client_as, hall_manager, hall, types, counter):
    issue(hall, types["A"])
    response = client_as(hall_manager).get(reverse("floor"))
    assert response.status_code == 200
    assert response.context["snapshot"]["types"][0]["waiting"] == 1
    assert b"floor-live" in response.content


def test_the_floor_view_refuses_a_clerk(client_as, clerk):
    assert client_as(clerk).get(reverse("floor")).status_code == 403


def test_the_floor_view_answers_another_halls_manager_not_found(client_as, other_hall, hall):
    manager = UserFactory(hall=other_hall, username="other_manager", roles=[Role.DUTY_MANAGER])
    assert client_as(manager).get(reverse("floor") + f"?hall={hall.pk}").status_code == 404


def test_the_floor_view_lets_an_admin_pick_a_hall(client_as, admin_user, hall, types):
    client = client_as(admin_user)
    assert reverse("floor").encode() + f"?hall={hall.pk}".encode() in client.get(reverse("floor")).content
    assert client.get(reverse("floor-live") + f"?hall={hall.pk}").status_code == 200


def test_the_floor_view_sends_anonymous_visitors_to_log_in(client, db):
    assert client.get(reverse("floor")).status_code == 302


def test_the_rating_pad_waits_until_a_visit_is_finished(client_as, clerk, counter):
    response = client_as(clerk).get(reverse("rating-pad", args=[counter.pk]))
    assert response.status_code == 200
    assert b"rating-button" not in response.content
    assert b"showing=0" in response.content


def test_the_rating_pad_asks_about_the_last_finished_visit(client_as, clerk, hall, types, counter):
    ticket = issue(hall, types["A"])
    serve(counter)
    client = client_as(clerk)
    response = client.get(reverse("rating-pad-live", args=[counter.pk]) + "?showing=0")
    assert b"rating-button" in response.content
    again = client.get(reverse("rating-pad-live", args=[counter.pk]) + f"?showing={ticket.pk}")
    assert again.status_code == 204


def test_the_rating_pad_records_a_tap(client_as, clerk, hall, types, counter):
    ticket = issue(hall, types["A"])
    serve(counter)
    response = client_as(clerk).post(
        reverse("rating-pad-rate", args=[counter.pk]), {"ticket": ticket.pk, "score": "5"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b"pad-thanks" in response.content
    assert Rating.objects.get(ticket=ticket).score == 5


def test_the_rating_pad_refuses_a_ticket_of_another_counter(client_as, hall_manager, hall, types, counter):
    other = CounterFactory(hall=hall, number=2, serves=[types["A"]])
    ticket = issue(hall, types["A"])
    serve(other)
    response = client_as(hall_manager).post(
        reverse("rating-pad-rate", args=[counter.pk]), {"ticket": ticket.pk, "score": "5"}
    )
    assert b"message-error" in response.content
    assert not Rating.objects.exists()


def test_the_rating_pad_answers_staff_of_another_hall_not_found(client_as, other_clerk, counter):
    assert client_as(other_clerk).get(reverse("rating-pad", args=[counter.pk])).status_code == 404
