import pytest
from django.urls import reverse

from tests.factories import issue, serve
from tickets import services
from tickets.models import Rating

pytestmark = pytest.mark.django_db


def status_page(client, ticket):
    return client.get(reverse("ticket-status-page", args=[ticket.token])).content.decode()


def test_it_shows_the_place_in_the_queue(client, hall, types):
    issue(hall, types["A"])
    ticket = issue(hall, types["A"])
    html = status_page(client, ticket)
    assert "A002" in html
    assert 'class="status-big">1<' in html
    assert "hx-trigger" in html


def test_it_answers_404_for_an_unknown_token(client, db):
    assert client.get(reverse("ticket-status-page", args=["nope"])).status_code == 404


@pytest.mark.parametrize("path", ["/t/{}/", "/t/{}/live/", "/t/{}/print/", "/r/{}/", "/c/{}/", "/calendar/{}.ics"])
def test_a_link_with_a_character_no_token_holds_answers_404(client, db, path):
    assert client.get(path.format("a%00b")).status_code == 404


def test_a_rating_posted_to_a_link_with_a_nul_byte_answers_404(client, hall, types, counter):
    issue(hall, types["A"])
    serve(counter)
    assert client.post("/t/a%00b/rate/", {"score": "4"}).status_code == 404
    assert not Rating.objects.exists()


def test_it_tells_the_customer_which_window_to_go_to(client, hall, types, counter):
    ticket = issue(hall, types["A"])
    services.ticket_call_next(counter=counter)
    html = status_page(client, ticket)
    assert 'class="status-call"' in html
    assert "1" in html


def test_the_live_part_answers_204_while_nothing_changed(client, hall, types):
    ticket = issue(hall, types["A"])
    first = client.get(reverse("ticket-status-live", args=[ticket.token]))
    version = first.content.decode().split("?v=")[1].split('"')[0]
    again = client.get(reverse("ticket-status-live", args=[ticket.token]) + f"?v={version}")
    assert (first.status_code, again.status_code) == (200, 204)


def test_the_live_part_changes_when_the_ticket_is_called(client, hall, types, counter):
    ticket = issue(hall, types["A"])
    first = client.get(reverse("ticket-status-live", args=[ticket.token]))
    version = first.content.decode().split("?v=")[1].split('"')[0]
    services.ticket_call_next(counter=counter)
    response = client.get(reverse("ticket-status-live", args=[ticket.token]) + f"?v={version}")
    assert response.status_code == 200
    assert b"status-call" in response.content


def test_it_asks_for_a_rating_when_done_and_records_it(client, hall, types, counter):
    ticket = issue(hall, types["A"])
    serve(counter)
    assert "rating-button" in status_page(client, ticket)
    response = client.post(reverse("ticket-rate-page", args=[ticket.token]), {"score": "4"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert Rating.objects.get(ticket=ticket).score == 4
    assert b"hx-trigger" not in response.content


def test_it_refuses_a_second_rating(client, hall, types, counter):
    ticket = issue(hall, types["A"])
    serve(counter)
    client.post(reverse("ticket-rate-page", args=[ticket.token]), {"score": "5"})
    response = client.post(reverse("ticket-rate-page", args=[ticket.token]), {"score": "1"})
    assert response.status_code == 200
    assert Rating.objects.get(ticket=ticket).score == 5


def test_it_refuses_a_rating_before_the_visit_is_over(client, hall, types):
    ticket = issue(hall, types["A"])
    response = client.post(reverse("ticket-rate-page", args=[ticket.token]), {"score": "5"}, HTTP_HX_REQUEST="true")
    assert b"message-error" in response.content
    assert not Rating.objects.exists()


def test_it_explains_a_no_show(client, hall, types, counter):
    ticket = issue(hall, types["A"])
    services.ticket_no_show(ticket=services.ticket_call_next(counter=counter))
    html = status_page(client, ticket)
    assert "status-no_show" in html
    assert "rating-button" not in html


def test_it_explains_a_cancelled_ticket_and_stops_refreshing(client, hall, types):
    ticket = issue(hall, types["A"])
    services.ticket_cancel(ticket=ticket)
    html = status_page(client, ticket)
    assert "status-cancelled" in html
    assert "hx-trigger" not in html
