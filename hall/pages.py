"""What every app's pages share: rendering in the hall's time zone, htmx, the staff member's hall, safe
redirects, intake and action posts, the customer's polled pages, and the words and pictures the desks have in
common. The form fields they share are in hall.forms."""

import segno
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from hall import sla
from hall.errors import ApplicationError
from hall.models import Customer, Hall

# A promise's clock state (hall.sla.clock_state) as the desks say it.
STATE_LABELS = {
    "on_time": gettext_lazy("on time"),
    "at_risk": gettext_lazy("at risk"),
    "overdue": gettext_lazy("overdue"),
    "stopped": gettext_lazy("kept"),
    "late": gettext_lazy("kept late"),
}


def render_in_hall(request, template: str, context: dict, hall: Hall, status: int = 200):
    """Renders with times shown in the hall's own time zone."""
    with timezone.override(hall.tz):
        return render(request, template, {"hall": hall, **context}, status=status)


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def staff_hall(request) -> Hall:
    """The user's own hall; an administrator without one picks it with ?hall=<id> (the first hall by default)."""
    user = request.user
    if user.hall_id is not None:
        return user.hall
    if not user.is_superuser:
        raise PermissionDenied
    hall_id = request.GET.get("hall", "")
    halls = Hall.objects.order_by("code")
    hall = halls.filter(pk=hall_id).first() if hall_id.isdecimal() else halls.first()
    if hall is None:
        raise Http404
    return hall


def attempt(action, *args) -> tuple[str, str]:
    """Runs a page's action: (its notice, "") or ("", why it was refused). A refused action changed nothing:
    services raise domain errors, and uploads a ValidationError, before they write."""
    try:
        return action(*args), ""
    except ApplicationError as exc:
        return "", str(exc.message)
    except ValidationError as exc:
        return "", " ".join(exc.messages)


def next_url(request, default: str) -> str:
    """The posted `next` when it is a path on this site; redirect() would take any other word for a view name."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def save_posted(request, form: forms.Form, save, refusal: str):
    """What `save` makes of an intake form's cleaned data; None, with the user told why, when the form or the
    service refuses it."""
    if not form.is_valid():
        messages.error(request, refusal)
        return None
    try:
        return save(**form.cleaned_data)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return None


def answer_action(request, record, handler, panel):
    """Runs a detail page's posted action (see attempt): htmx gets `panel(notice, error)`, the record's panel read
    afresh; a plain form goes back where it came from, with the notice or refusal as a message."""
    notice, error = attempt(handler, request, record)
    if is_htmx(request):
        return panel(notice, error)
    messages.add_message(request, messages.ERROR if error else messages.SUCCESS, error or notice)
    return redirect(next_url(request, record.get_absolute_url()))


def polled_page(request, context: dict, hall: Hall, page: str, card: str):
    """A customer's page that htmx polls: the whole page, or the card alone (204 while its version is unchanged)."""
    if not is_htmx(request):
        return render_in_hall(request, page, context, hall)
    if request.GET.get("v") == context["version"]:
        return HttpResponse(status=204)
    return render_in_hall(request, card, context, hall)


def progress_steps(labels, current: int) -> list[dict]:
    return [
        {"label": label, "done": index <= current, "current": index == current} for index, label in enumerate(labels)
    ]


def promise(clock, due) -> dict:
    """A promised time as the desks show it, with its clock's state in words."""
    state = sla.clock_state(clock) if clock else ""
    return {"due": due, "state": state, "label": STATE_LABELS.get(state, "")}


def local_time(moment, hall: Hall) -> str:
    return date_format(timezone.localtime(moment, hall.tz), "Y-m-d H:i")


def customer_flags(customer: Customer | None) -> list[str]:
    if customer is None:
        return []
    return [str(Customer._meta.get_field(name).verbose_name) for name in customer.flags]


def qr_svg(data: str) -> str:
    return mark_safe(segno.make(data, error="m").svg_inline(scale=1, border=2, omitsize=True))
