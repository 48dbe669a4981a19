import pytest
from django.urls import reverse

from tickets.models import Channel, Priority, Ticket, TicketStatus

pytestmark = pytest.mark.django_db


def test_it_shows_a_button_per_active_business_type_with_its_waiting_count(client, hall, types):
    types["E"].is_active = False
    types["E"].save()
    client.post(reverse("kiosk", args=[hall.code]), {"business_type": "B"})
    response = client.get(reverse("kiosk", args=[hall.code]))
    assert response.status_code == 200
    buttons = [code for code in "ABCDE" if f'name="business_type" value="{code}"'.encode() in response.content]
    assert buttons == ["A", "B", "C", "D"]
    assert b'id="waiting-B">1<' in response.content


def test_it_answers_404_for_an_unknown_hall(client, db):
    assert client.get(reverse("kiosk", args=["nowhere"])).status_code == 404


def test_it_issues_a_kiosk_ticket_and_goes_to_the_print_page(client, hall, types):
    response = client.post(reverse("kiosk", args=[hall.code]), {"business_type": "A", "paper": "58"})
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("ticket-print", args=[ticket.token]) + "?paper=58"
    assert (ticket.number, ticket.channel, ticket.priority) == ("A001", Channel.KIOSK, Priority.NORMAL)


def test_it_issues_a_priority_ticket_with_the_phone_number(client, hall, types):
    client.post(
        reverse("kiosk", args=[hall.code]), {"business_type": "C", "priority": "elderly", "phone": "13800138000"}
    )
    ticket = Ticket.objects.get()
    assert (ticket.priority, ticket.phone) == (Priority.PRIORITY, "13800138000")


def test_it_refuses_a_malformed_phone_number(client, hall, types):
    response = client.post(reverse("kiosk", args=[hall.code]), {"business_type": "A", "phone": "call me"})
    assert response.status_code == 400
    assert b"message-error" in response.content
    assert not Ticket.objects.exists()


def test_it_refuses_a_business_type_the_hall_does_not_offer(client, hall, types):
    response = client.post(reverse("kiosk", args=[hall.code]), {"business_type": "Z"})
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_it_says_so_when_todays_quota_is_used_up(client, hall, types):
    types["A"].daily_quota = 1
    types["A"].save()
    client.post(reverse("kiosk", args=[hall.code]), {"business_type": "A"})
    response = client.post(reverse("kiosk", args=[hall.code]), {"business_type": "A"})
    assert response.status_code == 409
    assert b"message-error" in response.content
    assert Ticket.objects.count() == 1


def test_it_limits_how_many_tickets_one_address_takes_per_minute(client, hall, types, settings, monkeypatch):
    monkeypatch.setattr("tickets.views.KIOSK_ISSUES_PER_MINUTE", 3)
    codes = [client.post(reverse("kiosk", args=[hall.code]), {"business_type": "A"}).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]
    assert Ticket.objects.count() == 3


def test_the_print_page_shows_the_ticket_with_a_qr_code_to_the_status_page(client, hall, types):
    client.post(reverse("kiosk", args=[hall.code]), {"business_type": "A"})
    client.post(reverse("kiosk", args=[hall.code]), {"business_type": "A"})
    ticket = Ticket.objects.get(number="A002")
    response = client.get(reverse("ticket-print", args=[ticket.token]) + "?paper=80")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html
    assert "A002" in html
    assert "paper-80" in html
    assert f"http://testserver{reverse('ticket-status-page', args=[ticket.token])}" in html
    assert ticket.position_at_issue == 1


def test_the_kiosk_counts_partial_swaps_each_count_out_of_band(client, hall, types):
    client.post(reverse("kiosk", args=[hall.code]), {"business_type": "D"})
    response = client.get(reverse("kiosk-counts", args=[hall.code]))
    assert b'<strong id="waiting-D" hx-swap-oob="true">1</strong>' in response.content
    assert Ticket.objects.get().status == TicketStatus.WAITING
