from django.shortcuts import get_object_or_404, render

from tickets.models import Ticket


def ticket_status_page(request, token):
    ticket = get_object_or_404(Ticket, token=token)
    return render(request, "tickets/ticket_status.html", {"ticket": ticket})
