"""The managers' floor view: the queue at every counter and the promises that need attention, live."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from hall import sla
from hall.models import MANAGER_ROLES, Hall
from hall.pages import render_in_hall
from hall.permissions import ensure_hall, ensure_role, visible_halls
from tickets import selectors


def _floor_hall(request) -> Hall | None:
    """The manager's own hall; administrators choose one with ?hall=<id> (None until they have)."""
    user = request.user
    ensure_role(user, *MANAGER_ROLES)
    hall_id = request.GET.get("hall", "")
    if user.is_superuser and not hall_id.isdecimal():
        return None
    hall = get_object_or_404(Hall, pk=hall_id if hall_id.isdecimal() else user.hall_id)
    ensure_hall(user, hall.pk)
    return hall


@login_required
def floor(request):
    hall = _floor_hall(request)
    if hall is None:
        return render(request, "tickets/floor_pick.html", {"halls": visible_halls(request.user)})
    return render_in_hall(request, "tickets/floor.html", _floor_context(hall), hall)


@login_required
def floor_live(request):
    hall = _floor_hall(request)
    if hall is None:
        return redirect("floor")
    return render_in_hall(request, "tickets/_floor_live.html", _floor_context(hall), hall)


def _floor_context(hall: Hall) -> dict:
    return {"snapshot": selectors.floor_snapshot(hall), "attention": sla.clocks_needing_attention(hall=hall)}
