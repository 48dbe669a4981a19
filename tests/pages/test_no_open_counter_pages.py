import pytest
from django.urls import reverse

from tests.factories import CounterFactory, issue
from tickets import services
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

NO_COUNTER = "目前没有窗口办理此业务，窗口通常于 08:30 开放。"


def test_the_kiosk_marks_a_business_no_open_counter_serves(client, hall, types, counter):
    html = client.get(reverse("kiosk", args=[hall.code])).content.decode()

    assert '<span id="closed-C" class="kiosk-type-closed">暂无窗口办理</span>' in html
    assert '<span id="closed-A" class="kiosk-type-closed" hidden>' in html


def test_the_kiosk_counts_unmark_a_business_once_its_counter_opens(client, hall, types, counter):
    CounterFactory(hall=hall, number=2, serves=[types["C"]])
    html = client.get(reverse("kiosk-counts", args=[hall.code])).content.decode()

    assert '<span id="closed-C" class="kiosk-type-closed" hx-swap-oob="true" hidden>' in html
    assert '<span id="closed-D" class="kiosk-type-closed" hx-swap-oob="true">' in html


def test_the_printed_ticket_says_no_counter_serves_it_instead_of_a_wait(client, hall, types, counter):
    client.post(reverse("kiosk", args=[hall.code]), {"business_type": "C"})
    ticket = Ticket.objects.get(number="C001")
    html = client.get(reverse("ticket-print", args=[ticket.token])).content.decode()

    assert NO_COUNTER in html
    assert "分钟" not in html


def test_the_printed_ticket_of_a_served_business_shows_its_wait(client, hall, types, counter):
    issue(hall, types["A"])
    client.post(reverse("kiosk", args=[hall.code]), {"business_type": "A"})
    ticket = Ticket.objects.get(number="A002")
    html = client.get(reverse("ticket-print", args=[ticket.token])).content.decode()

    assert "约 5 分钟" in html
    assert NO_COUNTER not in html


def test_the_status_page_says_no_counter_serves_it_instead_of_a_wait(client, hall, types, counter):
    ticket = issue(hall, types["C"])
    html = client.get(reverse("ticket-status-page", args=[ticket.token])).content.decode()

    assert NO_COUNTER in html
    assert "分钟" not in html


def test_the_status_page_refreshes_when_a_counter_for_it_opens(client, hall, types, counter):
    ticket = issue(hall, types["C"])
    live = reverse("ticket-status-live", args=[ticket.token])
    version = client.get(live).context["version"]
    assert client.get(live, {"v": version}).status_code == 204

    CounterFactory(hall=hall, number=2, serves=[types["C"]])
    response = client.get(live, {"v": version})

    assert response.status_code == 200
    assert NO_COUNTER not in response.content.decode()
    assert "0 分钟" in response.content.decode()


def test_the_printed_ticket_keeps_its_words_after_the_ticket_is_called(client, hall, types):
    ticket = issue(hall, types["C"])
    counter = CounterFactory(hall=hall, number=2, serves=[types["C"]])
    services.ticket_call_next(counter=counter)
    html = client.get(reverse("ticket-print", args=[ticket.token])).content.decode()

    assert NO_COUNTER in html
