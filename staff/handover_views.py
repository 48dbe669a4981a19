"""Pages of the hall's staff: handing a shift over and acknowledging it."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hall.limits import LONG_TEXT_MAX
from hall.models import MANAGER_ROLES, Hall, User
from hall.pages import render_in_hall, staff_hall
from hall.people import people_who_can
from hall.permissions import get_in_hall
from staff import dates, handover_services, selectors
from staff.models import Handover, HandoverStatus, Shift
from staff.reasons import with_labels
from staff.views import run_service

RECENT_HANDOVERS = 30


class HandoverForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=LONG_TEXT_MAX, required=False)
    incoming = forms.ModelChoiceField(label=gettext_lazy("Taken over by"), queryset=User.objects.none(), required=False)
    shift_end = forms.DateTimeField(label=gettext_lazy("Shift end"), validators=[dates.moment_within_reach])

    def __init__(self, *args, hall: Hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incoming"].queryset = people_who_can(hall, handover_services.INCOMING_ROLES)


def _shift_end(user, hall: Hall) -> dt.datetime:
    """The end of the person's shift today if they have one, else now."""
    shift = Shift.objects.filter(staff=user, date=hall.today()).order_by("-end").first()
    return timezone.localtime(shift.end if shift else timezone.now(), hall.tz)


def may_acknowledge(user, handover: Handover) -> bool:
    if handover.status != HandoverStatus.OPEN:
        return False
    return handover.incoming_id in (None, user.pk) or user.has_role(*MANAGER_ROLES)


def _handover_page(request, hall: Hall, form: HandoverForm, status: int = 200):
    user = request.user
    handovers = list(Handover.objects.filter(hall=hall).select_related("author", "incoming")[:RECENT_HANDOVERS])
    for handover in handovers:
        handover.may_acknowledge = may_acknowledge(user, handover)
        handover.times = handover_services.handed_over_times(handover, hall.tz)
    context = {
        "form": form,
        "open_items": with_labels(selectors.open_items(hall)),
        "handovers": handovers,
        "waiting": [h for h in handovers if h.status == HandoverStatus.OPEN and h.incoming_id == user.pk],
        "people": people_who_can(hall, handover_services.INCOMING_ROLES).exclude(pk=user.pk),
        "shift_end": form.data.get("shift_end") or f"{_shift_end(user, hall):%Y-%m-%dT%H:%M}",
    }
    return render_in_hall(request, "staff/handover_list.html", context, hall, status)


@login_required
def handover_list(request):
    hall = staff_hall(request)
    if request.method != "POST":
        return _handover_page(request, hall, HandoverForm(hall=hall))
    form = HandoverForm(request.POST, hall=hall)
    with timezone.override(hall.tz):
        valid = form.is_valid()
    if not valid:
        messages.error(request, _("The handover was not saved. Please correct the marked fields."))
        return _handover_page(request, hall, form)
    data = form.cleaned_data

    def hand_over() -> str:
        handover = handover_services.handover_create(
            hall=hall,
            author=request.user,
            shift_end=data["shift_end"],
            note=data["note"].strip(),
            incoming=data["incoming"],
        )
        return _("Handover saved with %(count)s open items.") % {"count": len(handover.open_items)}

    if run_service(request, hand_over):
        return redirect("handover-list")
    return _handover_page(request, hall, form)


@login_required
@require_POST
def handover_action(request, pk: int, action: str):
    handover = get_in_hall(Handover.objects.select_related("hall"), request.user, pk=pk)
    if action != "acknowledge":
        raise Http404
    if not may_acknowledge(request.user, handover) and handover.status == HandoverStatus.OPEN:
        raise PermissionDenied

    def acknowledge() -> str:
        handover_services.handover_acknowledge(handover=handover, actor=request.user)
        return _("Handover acknowledged.")

    run_service(request, acknowledge)
    return redirect(reverse("handover-list") + f"#handover-{handover.pk}")
