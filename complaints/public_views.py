"""The customer's complaint pages, no login: the public form and the tracking page."""

from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from complaints import services
from complaints.models import Complaint, ComplaintCategory, ComplaintChannel
from complaints.models import ComplaintStatus as S
from complaints.policies import PUBLIC_COMPLAINTS_PER_MINUTE
from hall.errors import ApplicationError
from hall.forms import phone_field
from hall.limits import TEXT_MAX
from hall.models import Hall
from hall.pages import polled_page, progress_steps, render_in_hall
from hall.ratelimit import within_rate


class PublicComplaintForm(forms.Form):
    phone = phone_field()
    customer_name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=200, required=False)
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=ComplaintCategory.choices)
    description = forms.CharField(
        label=pgettext_lazy("complaint", "Description"), max_length=TEXT_MAX, widget=forms.Textarea
    )
    ongoing_loss = forms.BooleanField(label=gettext_lazy("The loss is still going on"), required=False)


def _public_page(request, hall: Hall, form: PublicComplaintForm, error: str = "", status: int = 200):
    context = {"form": form, "categories": ComplaintCategory.choices, "error": error, "text_max": TEXT_MAX}
    return render_in_hall(request, "complaints/complaint_public_form.html", context, hall, status)


def complaint_public_form(request, hall_code: str):
    """Public, no login: the complaint goes to the hall's duty manager; the customer gets the tracking page."""
    hall = get_object_or_404(Hall, code=hall_code)
    if request.method != "POST":
        return _public_page(request, hall, PublicComplaintForm())
    form = PublicComplaintForm(request.POST)
    if not within_rate(request, "complaint", PUBLIC_COMPLAINTS_PER_MINUTE):
        error = _("Too many complaints from this connection. Please wait a minute and send it again.")
        return _public_page(request, hall, form, error, 429)
    if not form.is_valid():
        return _public_page(request, hall, form, _("Please correct the marked fields."), 400)
    try:
        complaint = services.complaint_accept(hall=hall, channel=ComplaintChannel.WEB, actor=None, **form.cleaned_data)
    except ApplicationError as exc:
        return _public_page(request, hall, form, str(exc.message), exc.status_code)
    return redirect(f"{reverse('complaint-track', args=[complaint.token])}?thanks=1")


STEP_OF_STATUS = {status: index for index, status in enumerate(S.values)}
STATUS_WORDS = {
    S.ACCEPTED: gettext_lazy("We have your complaint. The person in charge will contact you."),
    S.INVESTIGATING: gettext_lazy("We are looking into your complaint."),
    S.RESOLVED: gettext_lazy("Your complaint is resolved. We will call you to ask whether you are satisfied."),
    S.FOLLOWED_UP: gettext_lazy("Your complaint is resolved and we have called you back. Thank you."),
    S.CLOSED: gettext_lazy("Your complaint is closed. Thank you for telling us."),
}


def _track_context(complaint: Complaint) -> dict:
    current = STEP_OF_STATUS[complaint.status]
    version = f"{complaint.status}:{complaint.reopen_count}:{complaint.first_contact_at}:{complaint.result_due}"
    return {
        "complaint": complaint,
        "steps": progress_steps(S.labels, current),
        "words": STATUS_WORDS[complaint.status],
        "resolved": current >= STEP_OF_STATUS[S.RESOLVED] and bool(complaint.resolution),
        "version": version,
        "final": complaint.status == S.CLOSED,
    }


def complaint_track(request, token: str):
    """Public: the customer's link. Polled by htmx, which gets the card alone (204 while nothing changed)."""
    complaint = get_object_or_404(Complaint.objects.select_related("hall"), token=token)
    context = _track_context(complaint)
    context["thanks"] = request.GET.get("thanks") == "1"
    context["track_url"] = request.build_absolute_uri(reverse("complaint-track", args=[token]))
    return polled_page(
        request, context, complaint.hall, "complaints/complaint_track.html", "complaints/_complaint_track_live.html"
    )
