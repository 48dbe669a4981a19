"""The pages: the customer's public form and the page where they follow it by its reference, the counter's intake
and the slip it prints, the staff list with its reply form, a record's page with its timeline, and the managers'
mystery-shopper visits."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback import policies, selectors, services
from feedback.models import Feedback, FeedbackKind, MysteryVisit, Result
from hall.errors import ApplicationError
from hall.forms import phone_field
from hall.limits import TEXT_MAX
from hall.models import Hall
from hall.pages import qr_svg, render_in_hall, staff_hall
from hall.permissions import ensure_role, get_in_hall, phone_for
from hall.ratelimit import within_rate
from hall.timeline import timeline_for
from hall.uploads import evidence_response
from patrols.models import PatrolTemplate

# Where the public form keeps the reference of what was just sent, for its thanks page.
SENT_REFERENCE = "feedback_reference"
FOLLOW_STATUS = {
    "received": gettext_lazy("Received, not answered yet"),
    "replied": gettext_lazy("Answered"),
}
NOT_FOUND = gettext_lazy(
    "Nothing was found for this reference and these digits. Check both and try again, or ask at the counter."
)

TIMELINE_LABELS = {
    "receive": gettext_lazy("Received"),
    "reply": gettext_lazy("Answered"),
    "record": gettext_lazy("Recorded"),
}


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=FeedbackKind.choices)
    customer_name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    phone = phone_field()
    text = forms.CharField(label=gettext_lazy("Text"), max_length=TEXT_MAX, widget=forms.Textarea)
    staff = forms.ModelChoiceField(label=gettext_lazy("Staff member"), required=False, queryset=None)

    def __init__(self, *args, hall: Hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = selectors.praisable_staff(hall)

    def clean(self):
        data = super().clean()
        if data.get("kind") == FeedbackKind.PRAISE and not data.get("staff"):
            self.add_error("staff", _("Praise names the member of staff it is for."))
        return data


def _form_page(request, hall, form, template, error="", status=200, **extra):
    context = {
        "form": form,
        "kinds": FeedbackKind.choices,
        "staff": selectors.staff_picker(hall),
        "error": error,
        "text_max": TEXT_MAX,
        **extra,
    }
    return render_in_hall(request, template, context, hall, status)


def feedback_public_form(request, hall_code: str):
    """Public, no login: a suggestion or praise, rate-limited per address like the complaint form."""
    hall = get_object_or_404(Hall, code=hall_code)
    page = "feedback/feedback_public_form.html"
    if request.method != "POST":
        form = FeedbackForm(hall=hall, initial={"kind": request.GET.get("kind", FeedbackKind.SUGGESTION)})
        thanks = request.GET.get("thanks", "")
        reference = request.session.get(SENT_REFERENCE, "") if thanks else ""
        return _form_page(request, hall, form, page, thanks=thanks, reference=reference)
    form = FeedbackForm(request.POST, hall=hall)
    if not within_rate(request, "feedback", policies.PUBLIC_FEEDBACK_PER_MINUTE):
        error = _("Too many messages from this connection. Please wait a minute and send it again.")
        return _form_page(request, hall, form, page, error, 429)
    if not form.is_valid():
        return _form_page(request, hall, form, page, _("Please correct the marked fields."), 400)
    try:
        feedback = services.feedback_receive(hall=hall, actor=None, **form.cleaned_data)
    except ApplicationError as exc:
        return _form_page(request, hall, form, page, str(exc.message), exc.status_code)
    request.session[SENT_REFERENCE] = feedback.reference
    return redirect(f"{reverse('feedback-public-form', args=[hall.code])}?thanks={feedback.kind}")


class FollowForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("Reference"), max_length=20)
    phone_end = forms.RegexField(
        label=gettext_lazy("Last four digits of your phone"),
        regex=r"^[0-9]{4}$",
        error_messages={"invalid": gettext_lazy("Enter the last four digits of the phone number you gave.")},
    )


def _follow_page(request, hall, form, found=None, error="", status=200):
    context = {"form": form, "found": found, "error": error}
    if found:
        context["status_label"] = FOLLOW_STATUS[found["status"]]
    return render_in_hall(request, "feedback/feedback_follow.html", context, hall, status)


def feedback_follow(request, hall_code: str):
    """Public, no login: the customer's reference and the last four digits of their phone show whether it is
    answered, and the answer; one answer for either being wrong, and few tries a minute per address."""
    hall = get_object_or_404(Hall, code=hall_code)
    if request.method != "POST":
        return _follow_page(request, hall, FollowForm(initial={"reference": request.GET.get("ref", "")[:20]}))
    form = FollowForm(request.POST)
    if not within_rate(request, "feedback-follow", policies.FOLLOW_TRIES_PER_MINUTE):
        error = _("Too many tries from this connection. Please wait a minute and try again.")
        return _follow_page(request, hall, form, error=error, status=429)
    if not form.is_valid():
        return _follow_page(request, hall, form, error=_("Please correct the marked fields."), status=400)
    found = selectors.followed_feedback(hall=hall, **form.cleaned_data)
    if found is None:
        return _follow_page(request, hall, form, error=str(NOT_FOUND), status=404)
    return _follow_page(request, hall, FollowForm(), found)


def follow_url(request, hall: Hall) -> str:
    return request.build_absolute_uri(reverse("feedback-follow", args=[hall.code]))


@login_required
def feedback_accept(request):
    """At the counter: the clerk writes down what the customer says."""
    ensure_role(request.user, *policies.DESK_ROLES)
    hall = staff_hall(request)
    page = "feedback/feedback_accept.html"
    if request.method != "POST":
        return _form_page(request, hall, FeedbackForm(hall=hall), page)
    form = FeedbackForm(request.POST, hall=hall)
    if not form.is_valid():
        return _form_page(request, hall, form, page, _("Please correct the marked fields."), 400)
    try:
        feedback = services.feedback_receive(hall=hall, actor=request.user, **form.cleaned_data)
    except ApplicationError as exc:
        return _form_page(request, hall, form, page, str(exc.message), exc.status_code)
    messages.success(
        request, _("Recorded. The customer's reference is %(reference)s.") % {"reference": feedback.reference}
    )
    return redirect(feedback)


@login_required
def feedback_list(request):
    ensure_role(request.user, *policies.DESK_ROLES)
    hall = staff_hall(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in FeedbackKind.values else ""
    unanswered = request.GET.get("unanswered") == "1"
    rows = selectors.feedback_list(hall_id=hall.pk, kind=kind, unanswered=unanswered)[:200]
    context = {
        "rows": rows,
        "kind": kind,
        "kinds": FeedbackKind.choices,
        "unanswered": unanswered,
        "may_reply": request.user.has_role(*policies.REPLY_ROLES),
        "text_max": TEXT_MAX,
        "public_url": request.build_absolute_uri(reverse("feedback-public-form", args=[hall.code])),
        "follow_url": follow_url(request, hall),
    }
    return render_in_hall(request, "feedback/feedback_list.html", context, hall)


def _timeline(record):
    return [
        {"event": event, "label": TIMELINE_LABELS.get(event.action, event.action)} for event in timeline_for(record)
    ]


@login_required
def feedback_detail(request, pk: int):
    ensure_role(request.user, *policies.DESK_ROLES)
    feedback = get_in_hall(Feedback.objects.select_related("staff", "replied_by", "hall"), request.user, pk=pk)
    context = {
        "feedback": feedback,
        "timeline": _timeline(feedback),
        "shown_phone": phone_for(request.user, feedback.phone),
        "may_reply": request.user.has_role(*policies.REPLY_ROLES) and feedback.replied_at is None,
        "text_max": TEXT_MAX,
    }
    return render_in_hall(request, "feedback/feedback_detail.html", context, feedback.hall)


@login_required
def feedback_slip(request, pk: int):
    """The slip the counter prints for the customer: the reference and where to follow it."""
    ensure_role(request.user, *policies.DESK_ROLES)
    feedback = get_in_hall(Feedback.objects.select_related("hall"), request.user, pk=pk)
    url = follow_url(request, feedback.hall)
    context = {"feedback": feedback, "follow_url": url, "qr": qr_svg(f"{url}?ref={feedback.reference}")}
    return render_in_hall(request, "feedback/feedback_slip.html", context, feedback.hall)


@login_required
def feedback_reply(request, pk: int):
    if request.method != "POST":
        raise Http404
    ensure_role(request.user, *policies.DESK_ROLES)
    feedback = get_in_hall(Feedback.objects.all(), request.user, pk=pk)
    try:
        services.feedback_reply(feedback=feedback, text=request.POST.get("text", "")[:TEXT_MAX], actor=request.user)
        messages.success(request, _("The answer is recorded."))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    target = request.POST.get("next", "")
    return redirect(target if target == reverse("feedback-list") else feedback.get_absolute_url())


# Mystery-shopper visits


@login_required
def visit_list(request):
    ensure_role(request.user, *policies.VISIT_ROLES)
    hall = staff_hall(request)
    context = {"visits": selectors.visit_list(hall_id=hall.pk)[:100]}
    return render_in_hall(request, "feedback/visit_list.html", context, hall)


def _visit_form_context(hall, template, posted=None, error=""):
    items = template.current_items() if template else []
    posted = posted or {}
    return {
        "templates": PatrolTemplate.objects.filter(hall=hall, is_active=True).order_by("name"),
        "template": template,
        "items": [
            {
                "item": item,
                "result": posted.get(f"result_{item.pk}", ""),
                "note": posted.get(f"note_{item.pk}", ""),
                "staff": posted.get(f"staff_{item.pk}", ""),
            }
            for item in items
        ],
        "staff": selectors.praisable_staff(hall),
        "posted": posted,
        "error": error,
        "results": Result.choices,
        "text_max": TEXT_MAX,
    }


def _parse_visit(request, hall, template) -> dict:
    """The posted visit as the service takes it; ValidationError naming what is wrong."""
    post = request.POST
    try:
        visited_at = dt.datetime.fromisoformat(post.get("visited_at", ""))
    except ValueError:
        raise ValidationError(_("Enter the date and time of the visit.")) from None
    if timezone.is_naive(visited_at):
        visited_at = visited_at.replace(tzinfo=hall.tz)
    visitor = post.get("visitor", "").strip()
    if not visitor or len(visitor) > 200:
        raise ValidationError(_("Enter the visitor's organisation."))
    staff = {str(person.pk): person for person in selectors.praisable_staff(hall)}
    results = []
    for item in template.current_items():
        result = post.get(f"result_{item.pk}", "")
        if not result:
            continue
        if result not in Result.values:
            raise ValidationError(_("A result is pass or fail."))
        person = post.get(f"staff_{item.pk}", "")
        if person and person not in staff:
            raise ValidationError(_("Nobody of this hall's staff has this id."))
        results.append(
            {"item": item, "result": result, "note": post.get(f"note_{item.pk}", "")[:500], "staff": staff.get(person)}
        )
    return {
        "visited_at": visited_at,
        "visitor": visitor,
        "results": results,
        "note": post.get("note", "")[:TEXT_MAX],
        "evidence": request.FILES.getlist("evidence"),
    }


@login_required
def visit_record(request):
    ensure_role(request.user, *policies.VISIT_ROLES)
    hall = staff_hall(request)
    templates = PatrolTemplate.objects.filter(hall=hall, is_active=True)
    chosen = request.POST.get("template") or request.GET.get("template", "")
    template = templates.filter(pk=chosen).first() if chosen.isdecimal() else templates.order_by("name").first()
    page = "feedback/visit_record.html"
    if request.method != "POST":
        return render_in_hall(request, page, _visit_form_context(hall, template), hall)
    try:
        if template is None:
            raise ValidationError(_("Pick a template of this hall."))
        visit = services.mystery_visit_record(
            hall=hall, template=template, actor=request.user, **_parse_visit(request, hall, template)
        )
    except ApplicationError as exc:
        return render_in_hall(
            request, page, _visit_form_context(hall, template, request.POST, str(exc.message)), hall, 400
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
        return render_in_hall(request, page, _visit_form_context(hall, template, request.POST, error), hall, 400)
    messages.success(request, _("The visit is recorded."))
    return redirect(visit)


def _visit_for(request, pk: int) -> MysteryVisit:
    ensure_role(request.user, *policies.VISIT_ROLES)
    visits = MysteryVisit.objects.select_related("template", "hall", "recorded_by").prefetch_related(
        "results__item", "results__staff", "evidence"
    )
    return get_in_hall(visits, request.user, pk=pk)


@login_required
def visit_detail(request, pk: int):
    visit = _visit_for(request, pk)
    results = list(visit.results.all())
    context = {
        "visit": visit,
        "results": results,
        "evidence": list(visit.evidence.all()),
        "failed": sum(row.result == Result.FAIL for row in results),
        "timeline": _timeline(visit),
    }
    return render_in_hall(request, "feedback/visit_detail.html", context, visit.hall)


@login_required
def visit_evidence(request, pk: int, evidence_id: int):
    visit = _visit_for(request, pk)
    item = get_object_or_404(visit.evidence, pk=evidence_id)
    return evidence_response(item.file, item.content_type)
