"""Hall-level pages: home (sends each role to its screen) and notifications."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_POST

from hall.models import COUNTER_ROLES, MANAGER_ROLES, Notification, NotificationChannel, Role
from hall.notifications import notification_mark_read
from hall.permissions import visible_halls


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


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, the API's JSON)."""
    return redirect(static("favicon.ico"), permanent=True)


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
