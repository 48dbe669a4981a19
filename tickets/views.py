"""Pages of the walk-in queue: kiosk, printed ticket, status page, counter console, display board, rating pad."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from hall.errors import ApplicationError, InvalidTransition
from hall.forms import SCORES
from hall.limits import NOTE_MAX
from hall.models import COUNTER_ROLES, PHONE_PATTERN, Hall
from hall.pages import attempt, is_htmx, qr_svg, render_in_hall
from hall.permissions import ensure_role, get_in_hall
from hall.ratelimit import within_rate
from hall.timeline import timeline_for
from tickets import selectors, services
from tickets.models import Channel, Counter, Priority, Ticket, TicketStatus

KIOSK_ISSUES_PER_MINUTE = 30
RATINGS_PER_MINUTE = 20
PAPER_WIDTHS = ("80", "58")
PRINT_RETURN_SECONDS = 6


# Kiosk and printed ticket

# The context keeps these short words apart from Django's own ("Disabled" as in switched off).
PRIORITY_REASONS = {
    "normal": pgettext_lazy("priority reason", "None"),
    "elderly": pgettext_lazy("priority reason", "Elderly"),
    "disabled": pgettext_lazy("priority reason", "Disabled"),
    "pregnant": pgettext_lazy("priority reason", "Pregnant"),
    "key_customer": pgettext_lazy("priority reason", "Key customer"),
}


class KioskForm(forms.Form):
    business_type = forms.CharField(max_length=1)
    priority = forms.ChoiceField(choices=PRIORITY_REASONS.items(), required=False)
    phone = forms.RegexField(
        regex=PHONE_PATTERN,
        required=False,
        error_messages={"invalid": gettext_lazy("Enter a phone number of digits only.")},
    )

    def __init__(self, *args, hall: Hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.hall = hall

    def clean_business_type(self):
        business_type = self.hall.business_types.filter(is_active=True, code=self.cleaned_data["business_type"]).first()
        if business_type is None:
            raise forms.ValidationError(_("Please choose a business."))
        return business_type

    def priority_class(self) -> str:
        return Priority.NORMAL if self.cleaned_data.get("priority") in ("", "normal") else Priority.PRIORITY


def _paper(request) -> str:
    paper = request.GET.get("paper") or request.POST.get("paper")
    return paper if paper in PAPER_WIDTHS else PAPER_WIDTHS[0]


def kiosk(request, hall_code: str):
    hall = get_object_or_404(Hall, code=hall_code)
    if request.method == "POST":
        return _kiosk_issue(request, hall)
    return _kiosk_page(request, hall, KioskForm(hall=hall))


def _kiosk_page(request, hall: Hall, form: KioskForm, error: str = "", status: int = 200):
    context = {
        "form": form,
        "types": selectors.kiosk_types(hall),
        "reasons": PRIORITY_REASONS,
        "chosen_reason": form.data.get("priority", "normal"),
        "paper": _paper(request),
        "error": error,
    }
    return render_in_hall(request, "tickets/ticket_kiosk.html", context, hall, status)


def _kiosk_issue(request, hall: Hall):
    form = KioskForm(request.POST, hall=hall)
    if not within_rate(request, "kiosk", KIOSK_ISSUES_PER_MINUTE):
        return _kiosk_page(request, hall, form, _("Too many tickets at once. Please wait a minute."), 429)
    if not form.is_valid():
        return _kiosk_page(request, hall, form, status=400)
    try:
        ticket = services.ticket_issue(
            hall=hall,
            business_type=form.cleaned_data["business_type"],
            priority=form.priority_class(),
            phone=form.cleaned_data["phone"],
            channel=Channel.KIOSK,
        )
    except ApplicationError as exc:
        return _kiosk_page(request, hall, form, str(exc.message), exc.status_code)
    return redirect(f"{reverse('ticket-print', args=[ticket.token])}?paper={_paper(request)}")


def kiosk_counts(request, hall_code: str):
    hall = get_object_or_404(Hall, code=hall_code)
    return render(request, "tickets/_kiosk_counts.html", {"types": selectors.kiosk_types(hall)})


def _ticket_by_token(token: str) -> Ticket:
    return get_object_or_404(
        Ticket.objects.select_related("hall", "business_type", "counter", "rating"),
        token=token,
    )


def status_url(request, ticket: Ticket) -> str:
    return request.build_absolute_uri(reverse("ticket-status-page", args=[ticket.token]))


def ticket_print(request, token: str):
    ticket = _ticket_by_token(token)
    paper = _paper(request)
    url = status_url(request, ticket)
    context = {
        "ticket": ticket,
        "paper": paper,
        "status_url": url,
        "qr": qr_svg(url),
        "kiosk_url": f"{reverse('kiosk', args=[ticket.hall.code])}?paper={paper}",
        "return_seconds": PRINT_RETURN_SECONDS,
    }
    return render_in_hall(request, "tickets/ticket_print.html", context, ticket.hall)


# Customer status page


def _status_context(ticket: Ticket) -> dict:
    progress = selectors.ticket_progress(ticket)
    rated = hasattr(ticket, "rating")
    wait = progress["predicted_wait_minutes"]
    version = f"{ticket.status}:{progress['position']}:{wait}:{ticket.counter_id}:{ticket.recall_count}:{rated}"
    final = ticket.status == TicketStatus.CANCELLED or (ticket.status == TicketStatus.DONE and rated)
    return {
        "ticket": ticket,
        "position": progress["position"],
        "predicted_wait_minutes": wait,
        "counters_open_at": progress["counters_open_at"],
        "rated": rated,
        "version": version,
        "final": final,
        "scores": SCORES,
    }


def ticket_status_page(request, token: str):
    ticket = _ticket_by_token(token)
    return render_in_hall(request, "tickets/ticket_status.html", _status_context(ticket), ticket.hall)


def ticket_status_live(request, token: str):
    """The polled part of the status page; 204 (nothing to swap) while nothing changed."""
    ticket = _ticket_by_token(token)
    context = _status_context(ticket)
    if request.GET.get("v") == context["version"]:
        return HttpResponse(status=204)
    return render_in_hall(request, "tickets/_ticket_status_live.html", context, ticket.hall)


def _posted_score(request) -> int:
    score = request.POST.get("score", "")
    if score not in {"1", "2", "3", "4", "5"}:
        raise ApplicationError(_("Choose a score from 1 to 5."))
    return int(score)


@require_POST
def ticket_rate_page(request, token: str):
    ticket = _ticket_by_token(token)
    error = ""
    try:
        if not within_rate(request, "rate", RATINGS_PER_MINUTE):
            raise ApplicationError(_("Too many attempts. Please wait a minute."))
        services.ticket_rate(ticket=ticket, score=_posted_score(request))
    except ApplicationError as exc:
        error = str(exc.message)
    ticket = _ticket_by_token(token)
    context = {**_status_context(ticket), "error": error, "thanks": not error}
    template = "tickets/_ticket_status_live.html" if is_htmx(request) else "tickets/ticket_status.html"
    return render_in_hall(request, template, context, ticket.hall)


# Counter console


def _console_counter(request, pk: int) -> Counter:
    counter = get_in_hall(Counter.objects.select_related("hall", "clerk"), request.user, pk=pk)
    ensure_role(request.user, *COUNTER_ROLES)
    return counter


TIMELINE_LABELS = {
    "issue": gettext_lazy("Issued"),
    "call": gettext_lazy("Called"),
    "recall": gettext_lazy("Recalled"),
    "start": gettext_lazy("Service started"),
    "finish": gettext_lazy("Finished"),
    "no_show": gettext_lazy("No-show"),
    "reactivate": gettext_lazy("Back in the queue"),
    "cancel": gettext_lazy("Cancelled"),
    "transfer": gettext_lazy("Transferred"),
    "expire": gettext_lazy("Expired"),
    "rate": gettext_lazy("Rated"),
}


def _timeline_rows(ticket: Ticket | None) -> list[dict]:
    if ticket is None:
        return []
    return [
        {"event": event, "label": TIMELINE_LABELS.get(event.action, event.action)} for event in timeline_for(ticket)
    ]


def _waiting_rows(counter: Counter) -> list[dict]:
    served = set(counter.business_types.values_list("code", flat=True))
    return [{**row, "served": row["type"].code in served} for row in selectors.waiting_by_type(counter.hall)]


def _console_context(counter: Counter, user, notice: str = "", error: str = "") -> dict:
    ticket = selectors.counter_current_ticket(counter)
    return {
        "counter": counter,
        "my_day": selectors.clerk_day(user, counter.hall),
        "ticket": ticket,
        "timeline": _timeline_rows(ticket),
        "types": _waiting_rows(counter),
        "no_shows": selectors.counter_no_shows_today(counter),
        "targets": selectors.transfer_targets(counter),
        "notice": notice,
        "error": error,
    }


@login_required
def counter_console(request, pk: int):
    counter = _console_counter(request, pk)
    return render_in_hall(
        request, "tickets/counter_console.html", _console_context(counter, request.user), counter.hall
    )


@login_required
def counter_waiting(request, pk: int):
    counter = _console_counter(request, pk)
    context = {"counter": counter, "types": _waiting_rows(counter)}
    return render_in_hall(request, "tickets/_console_waiting.html", context, counter.hall)


def _posted_ticket(request, queryset) -> Ticket:
    ticket_id = request.POST.get("ticket", "")
    ticket = queryset.filter(pk=ticket_id).first() if ticket_id.isdecimal() else None
    if ticket is None:
        raise InvalidTransition(_("This ticket is no longer at your counter."))
    return ticket


def _counter_action(service, done_message):
    def act(request, counter: Counter) -> str:
        service(counter=counter, actor=request.user)
        return done_message

    return act


def _ticket_action(service, done_message):
    def act(request, counter: Counter) -> str:
        ticket = _posted_ticket(request, counter.tickets.all())
        ticket = service(ticket=ticket, actor=request.user)
        return done_message % {"number": ticket.number}

    return act


def _call_next(request, counter: Counter) -> str:
    ticket = services.ticket_call_next(counter=counter, actor=request.user)
    if ticket is None:
        return _("Nobody is waiting.")
    return _("%(number)s called.") % {"number": ticket.number}


def _reactivate(request, counter: Counter) -> str:
    ticket = _posted_ticket(request, selectors.counter_no_shows_today(counter))
    ticket = services.ticket_reactivate(ticket=ticket, actor=request.user)
    return _("%(number)s is back in the queue.") % {"number": ticket.number}


def _transfer_target(counter: Counter, target: str) -> dict:
    """'type:B', 'counter:<id>' or 'clerk:<id>' → the keyword argument of ticket_transfer."""
    kind, _sep, value = target.partition(":")
    targets = selectors.transfer_targets(counter)
    found = None
    if kind == "type":
        found = targets["types"].filter(code=value).first()
    elif kind in ("counter", "clerk") and value.isdecimal():
        found = targets[f"{kind}s"].filter(pk=value).first()
    if found is None:
        raise InvalidTransition(_("Choose where the ticket goes."))
    return {"business_type" if kind == "type" else kind: found}


def _posted_note(request) -> str:
    """The posted note, refused whole (never cut) past the limit the API keeps too."""
    return forms.CharField(max_length=NOTE_MAX, required=False).clean(request.POST.get("note", ""))


def _transfer(request, counter: Counter) -> str:
    ticket = _posted_ticket(request, counter.tickets.all())
    target = _transfer_target(counter, request.POST.get("target", ""))
    ticket = services.ticket_transfer(ticket=ticket, actor=request.user, note=_posted_note(request), **target)
    return _("%(number)s transferred.") % {"number": ticket.number}


CONSOLE_ACTIONS = {
    "open": _counter_action(services.counter_open, gettext_lazy("The counter is open.")),
    "pause": _counter_action(services.counter_pause, gettext_lazy("The counter is paused.")),
    "close": _counter_action(services.counter_close, gettext_lazy("The counter is closed.")),
    "call-next": _call_next,
    "recall": _ticket_action(services.ticket_recall, gettext_lazy("%(number)s recalled.")),
    "start": _ticket_action(services.ticket_start, gettext_lazy("Serving %(number)s.")),
    "finish": _ticket_action(services.ticket_finish, gettext_lazy("%(number)s finished.")),
    "no-show": _ticket_action(services.ticket_no_show, gettext_lazy("%(number)s marked as no-show.")),
    "cancel": _ticket_action(services.ticket_cancel, gettext_lazy("%(number)s cancelled.")),
    "transfer": _transfer,
    "reactivate": _reactivate,
}


@login_required
@require_POST
def counter_action(request, pk: int, action: str):
    """Every console button posts here; the console panel comes back with the outcome as a message."""
    counter = _console_counter(request, pk)
    if action not in CONSOLE_ACTIONS:
        raise Http404
    notice, error = attempt(CONSOLE_ACTIONS[action], request, counter)
    notice = str(notice)
    counter.refresh_from_db()
    if not is_htmx(request):
        messages.add_message(request, messages.ERROR if error else messages.INFO, error or notice)
        return redirect("counter-console", pk=counter.pk)
    context = _console_context(counter, request.user, notice=notice, error=error)
    return render_in_hall(request, "tickets/_console_panel.html", context, counter.hall)


# Display board


def board(request, hall_code: str):
    hall = get_object_or_404(Hall, code=hall_code)
    context = {
        "snapshot": selectors.board_snapshot(hall),
        "types": selectors.waiting_by_type(hall),
        "api_url": reverse("api-hall-board", args=[hall.pk]),
    }
    return render_in_hall(request, "tickets/hall_board.html", context, hall)


# Rating pad


def _pad_counter(request, pk: int) -> Counter:
    return get_in_hall(Counter.objects.select_related("hall"), request.user, pk=pk)


def _pad_context(counter: Counter) -> dict:
    ticket = selectors.counter_last_finished(counter)
    return {"counter": counter, "ticket": ticket, "showing": ticket.pk if ticket else 0, "scores": SCORES}


@login_required
def rating_pad(request, pk: int):
    counter = _pad_counter(request, pk)
    return render_in_hall(request, "tickets/rating_pad.html", _pad_context(counter), counter.hall)


@login_required
def rating_pad_live(request, pk: int):
    """Polled by the pad; 204 while it still shows the right ticket, so a finger never hits a moving button."""
    counter = _pad_counter(request, pk)
    context = _pad_context(counter)
    if request.GET.get("showing") == str(context["showing"]):
        return HttpResponse(status=204)
    return render_in_hall(request, "tickets/_rating_pad_live.html", context, counter.hall)


@login_required
@require_POST
def rating_pad_rate(request, pk: int):
    counter = _pad_counter(request, pk)
    context = {"counter": counter, "thanks": True, "error": ""}
    try:
        ticket = _posted_ticket(request, counter.tickets.all())
        services.ticket_rate(ticket=ticket, score=_posted_score(request))
    except ApplicationError as exc:
        context = {**_pad_context(counter), "error": str(exc.message)}
    return render_in_hall(request, "tickets/_rating_pad_live.html", context, counter.hall)
