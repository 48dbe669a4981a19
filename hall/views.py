"""Hall-level pages: home (sends each role to its screen), notifications, the floor view."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from hall import sla
from hall.models import COUNTER_ROLES, MANAGER_ROLES, Hall, Notification, NotificationChannel, Role
from hall.notifications import notification_mark_read
from hall.pages import render_in_hall
from hall.permissions import ensure_hall, ensure_role, visible_halls
from tickets import selectors as ticket_selectors


@login_required
def home(request):
    user = request.user
    if not user.is_superuser:
        if user.has_role(*MANAGER_ROLES):
            return redirect("floor")
        counter = user.counters.filter(hall_id=user.hall_id).order_by("number").first()
        if user.has_role(Role.CLERK) and counter is not None:
            return redirect("counter-console", pk=counter.pk)
        if user.has_role(Role.REPAIR_WORKER):
            return redirect("repair-mine")
        if user.has_role(Role.COMPLAINT_HANDLER):
            return redirect("complaint-desk")
    halls = visible_halls(user).prefetch_related("counters")
    context = {
        "halls": halls,
        "works_counters": user.has_role(*COUNTER_ROLES),
        "manages": user.has_role(*MANAGER_ROLES),
    }
    return render(request, "hall/home.html", context)


@login_required
def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user, channel=NotificationChannel.IN_APP)[:100]
    return render(request, "hall/notification_list.html", {"notifications": notifications})


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(notification=notification)
    if request.headers.get("HX-Request") == "true":
        return render(request, "hall/_notification_item.html", {"notification": notification})
    return redirect("notifications")


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
        return render(request, "hall/floor_pick.html", {"halls": visible_halls(request.user)})
    return render_in_hall(request, "hall/floor.html", _floor_context(hall), hall)


@login_required
def floor_live(request):
    hall = _floor_hall(request)
    if hall is None:
        return redirect("floor")
    return render_in_hall(request, "hall/_floor_live.html", _floor_context(hall), hall)


def _floor_context(hall: Hall) -> dict:
    return {"snapshot": ticket_selectors.floor_snapshot(hall), "attention": sla.clocks_needing_attention(hall=hall)}
