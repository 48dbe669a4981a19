"""Hall-level pages: sign-in, home (sends each role to its screen: a hall manager to the reports, a duty manager to
the floor) and notifications."""

import sys

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.http import require_POST

from hall.forms import SignInForm
from hall.middleware import DATABASE_UNAVAILABLE, database_unavailable
from hall.models import COUNTER_ROLES, MANAGER_ROLES, Notification, Role
from hall.notifications import notification_mark_all_read, notification_mark_read
from hall.permissions import visible_halls
from hall.selectors import notification_line, notification_lines, unread_notification_count


class SignInView(LoginView):
    """Django's sign-in page; a locked-out username or address answers 429 and says for how long."""

    form_class = SignInForm
    template_name = "hall/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "locked"):
            response.status_code = 429
        return response


@login_required
def home(request):
    user = request.user
    if not user.is_superuser:
        if user.has_role(Role.HALL_MANAGER):
            return redirect("reports")
        if user.has_role(Role.AREA_MANAGER) and user.hall_id is None:
            return redirect("reports-halls")
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
    unread = request.GET.get("unread") in ("1", "true")
    context = {
        "notifications": notification_lines(request.user, unread=unread),
        "unread": unread,
        "unread_count": unread_notification_count(request.user),
    }
    return render(request, "hall/notification_list.html", context)


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(notification=notification)
    if request.headers.get("HX-Request") == "true":
        # The line and the menu's count, which htmx swaps out of band.
        context = {
            "notification": notification_line(notification),
            "unread_count": unread_notification_count(request.user),
        }
        return render(request, "hall/_notification_read.html", context)
    return redirect("notifications")


@login_required
@require_POST
def notification_read_all(request):
    notification_mark_all_read(recipient=request.user)
    return redirect("notifications")


def server_error(request):
    """handler500: a crash outside a view because the database went away (saving the session after the answer)
    answers as the views do, 503; anything else is the hall's 500 page."""
    error = sys.exception()
    if isinstance(error, DATABASE_UNAVAILABLE):
        return database_unavailable(request, error)
    return defaults.server_error(request)
