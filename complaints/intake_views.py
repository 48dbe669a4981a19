"""Taking a complaint at the desk, with the history of the customer's phone shown before saving."""

import datetime as dt
from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import policies, selectors, services
from complaints.models import Complaint, ComplaintCategory, ComplaintChannel
from complaints.public_views import PublicComplaintForm
from hall.limits import TEXT_MAX
from hall.models import REPAIR_ROLES, Hall
from hall.pages import customer_flags, is_htmx, local_time, render_in_hall, save_posted, staff_hall
from hall.permissions import ensure_role

INCIDENT_DAYS = 30
STAFF_CHANNELS = [choice for choice in ComplaintChannel.choices if choice[0] != ComplaintChannel.WEB]
PHONE_MAX = Complaint._meta.get_field("phone").max_length


class ComplaintForm(PublicComplaintForm):
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=STAFF_CHANNELS)
    group = forms.ModelChoiceField(
        label=gettext_lazy("Same incident as"), required=False, queryset=Complaint.objects.none()
    )

    def __init__(self, *args, hall: Hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = _incidents(hall)


def _incidents(hall: Hall):
    """Recent open complaints another one can join: an incident's first complaint, or one on its own so far."""
    since = timezone.now() - dt.timedelta(days=INCIDENT_DAYS)
    complaints = selectors.open_complaints(hall_id=hall.pk).filter(group__isnull=True, created_at__gte=since)
    return complaints.annotate(member_count=Count("members")).order_by("-created_at", "-id")


def _history_context(request, hall: Hall, phone: str) -> dict:
    """The typed phone's history. A phone too long to be stored is refused: cut, it could be someone else's."""
    phone = phone.strip()
    too_long = len(phone) > PHONE_MAX
    history = selectors.customer_history(hall_id=hall.pk, phone="" if too_long else phone)
    return {
        **history,
        "flag_labels": customer_flags(history["customer"]),
        "asked": bool(phone) and not too_long,
        "phone_error": _("A phone number has at most %(limit)s characters.") % {"limit": PHONE_MAX} if too_long else "",
        "repair_links": request.user.has_role(*REPAIR_ROLES),
    }


def _intake_page(request, hall: Hall, form: ComplaintForm, status: int = 200):
    context = {
        "form": form,
        "channels": STAFF_CHANNELS,
        "channel": form.data.get("channel", ComplaintChannel.COUNTER),
        "categories": ComplaintCategory.choices,
        "incidents": _incidents(hall)[:50],
        "text_max": TEXT_MAX,
        **_history_context(request, hall, form.data.get("phone", "")),
    }
    return render_in_hall(request, "complaints/complaint_accept.html", context, hall, status)


@login_required
def complaint_accept(request):
    ensure_role(request.user, *policies.DESK_ROLES)
    hall = staff_hall(request)
    if request.method != "POST":
        return _intake_page(request, hall, ComplaintForm(hall=hall))
    form = ComplaintForm(request.POST, hall=hall)
    save = partial(services.complaint_accept, hall=hall, actor=request.user)
    complaint = save_posted(request, form, save, _("The complaint was not accepted. Please correct the marked fields."))
    if complaint is None:
        return _intake_page(request, hall, form, 400 if is_htmx(request) else 200)
    messages.success(
        request,
        _(
            "Complaint %(number)s accepted. Tell the customer: we will contact you by %(contact)s "
            "and give you the result by %(result)s."
        )
        % {
            "number": complaint.number,
            "contact": local_time(complaint.first_contact_due, hall),
            "result": local_time(complaint.result_due, hall),
        },
    )
    return redirect("complaint-detail", pk=complaint.pk)


@login_required
def complaint_intake_history(request):
    ensure_role(request.user, *policies.DESK_ROLES)
    hall = staff_hall(request)
    context = _history_context(request, hall, request.GET.get("phone", ""))
    return render_in_hall(request, "complaints/_complaint_history.html", context, hall)
