from tickets import services
from tickets.models import TicketStatus


def test_it_issues_calls_and_finishes_a_ticket(hall, types, counter, clerk):
    ticket = services.ticket_issue(hall=hall, business_type=types["A"])
    called = services.ticket_call_next(counter=counter, actor=clerk)
    assert called.pk == ticket.pk
    services.ticket_start(ticket=called, actor=clerk)
    services.ticket_finish(ticket=called, actor=clerk)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE
    assert ticket.number == "A001"


def test_the_api_issues_a_ticket(api, hall, types):
    response = api.post("/api/tickets/", {"hall": hall.pk, "business_type": "A"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["number"] == "A001"
