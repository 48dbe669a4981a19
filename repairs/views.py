"""Pages of the repair orders: desk, intake, detail, the worker's phone page, callbacks, the customer's link."""

from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxLengthValidator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hall import sla
from hall.errors import ApplicationError
from hall.forms import SCORES, FilterForm, phone_field, posted_satisfaction
from hall.limits import TEXT_MAX
from hall.models import COUNTER_ROLES, MANAGER_ROLES, REPAIR_ROLES, Customer, Hall, Role, SlaUnit, User
from hall.pages import (
    answer_action,
    customer_flags,
    is_htmx,
    local_time,
    polled_page,
    progress_steps,
    promise,
    qr_svg,
    render_in_hall,
    save_posted,
    staff_hall,
)
from hall.people import people_who_can
from hall.permissions import ensure_role, get_in_hall, phone_for
from hall.timeline import timeline_for
from repairs import selectors, services
from repairs.models import OPEN_REPAIR_STATUSES, Fault, RepairOrder, RepairStatus, Urgency, max_length

DESK_ROLES = REPAIR_ROLES
PER_PAGE = 25
OPEN = "open"


def hall_workers(hall: Hall):
    return people_who_can(hall, [Role.REPAIR_WORKER])


def _with_phones(repairs, user) -> list[RepairOrder]:
    for repair in repairs:
        repair.phone_shown = phone_for(user, repair.phone)
    return repairs


# Desk


class DeskFilter(FilterForm):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any status")), (OPEN, gettext_lazy("Open orders")), *RepairStatus.choices],
    )
    urgency = forms.TypedChoiceField(
        label=gettext_lazy("Urgency"),
        required=False,
        choices=[("", gettext_lazy("Any urgency")), *Urgency.choices],
        coerce=int,
        empty_value=None,
    )
    worker = forms.ModelChoiceField(label=gettext_lazy("Worker"), required=False, queryset=User.objects.none())
    overdue = forms.BooleanField(required=False)
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)

    def __init__(self, *args, hall: Hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = hall_workers(hall)


def _desk_orders(request, hall: Hall, filters: DeskFilter):
    status = filters.value("status")
    worker = filters.value("worker")
    repairs = selectors.repair_list(
        user=request.user,
        hall_id=hall.pk,
        status=None if status == OPEN else status,
        urgency=filters.value("urgency"),
        worker_id=worker.pk if worker else None,
        overdue=bool(filters.value("overdue")),
        search=(filters.value("q") or "").strip(),
    )
    if status == OPEN:
        repairs = repairs.filter(status__in=OPEN_REPAIR_STATUSES)
    return repairs


@login_required
def repair_desk(request):
    ensure_role(request.user, *DESK_ROLES)
    hall = staff_hall(request)
    filters = DeskFilter(request.GET, hall=hall)
    for problem in filters.problems():
        messages.error(request, problem)
    page = Paginator(_desk_orders(request, hall, filters), PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = _with_phones(selectors.with_sla_state(page.object_list), request.user)
    context = {
        "filters": filters,
        "page": page,
        "statuses": filters.fields["status"].choices,
        "urgencies": Urgency.choices,
        "workers": filters.fields["worker"].queryset,
        "can_register": request.user.has_role(*COUNTER_ROLES),
        "filtered": any(request.GET.get(name) for name in filters.fields),
    }
    return render_in_hall(request, "repairs/repair_desk.html", context, hall)


# Intake


class RepairForm(forms.Form):
    phone = phone_field()
    customer_name = forms.CharField(label=gettext_lazy("Customer name"), max_length=max_length("customer_name"))
    address = forms.CharField(label=gettext_lazy("Address"), max_length=max_length("address"))
    fault = forms.ChoiceField(label=gettext_lazy("Fault"), choices=Fault.choices)
    urgency = forms.TypedChoiceField(
        label=gettext_lazy("Urgency"), choices=Urgency.choices, coerce=int, initial=Urgency.NORMAL
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), max_length=max_length("description"), widget=forms.Textarea
    )
    key_customer = forms.BooleanField(label=gettext_lazy("Key customer"), required=False)


def _history_context(hall: Hall, phone: str, address: str) -> dict:
    # Looked up whole: a phone or address longer than an order holds matches none, never one cut to fit.
    phone, address = phone.strip(), address.strip()
    return {
        "history": selectors.customer_repairs(hall_id=hall.pk, phone=phone, address=address),
        "repeat": services.repeat_of(hall=hall, phone=phone, address=address),
        "customer": Customer.objects.filter(hall=hall, phone=phone).order_by("id").first() if phone else None,
        "asked": bool(phone or address),
    }


def _urgencies(hall: Hall) -> list[tuple]:
    """Each urgency with its promised hours on site, as this hall's policies say."""
    rows = []
    for value, label in Urgency.choices:
        policy = sla.policy_for(hall, f"repair-respond-{value}")
        rows.append((value, label, policy.amount if policy.unit == SlaUnit.HOURS else None))
    return rows


def _intake_page(request, hall: Hall, form: RepairForm, status: int = 200):
    history = _history_context(hall, form.data.get("phone", ""), form.data.get("address", ""))
    context = {"form": form, "faults": Fault.choices, "urgencies": _urgencies(hall), **history}
    context["flags"] = customer_flags(history["customer"])
    return render_in_hall(request, "repairs/repair_register.html", context, hall, status)


@login_required
def repair_register(request):
    ensure_role(request.user, *COUNTER_ROLES)
    hall = staff_hall(request)
    if request.method != "POST":
        return _intake_page(request, hall, RepairForm())
    form = RepairForm(request.POST)
    save = partial(services.repair_register, hall=hall, actor=request.user)
    repair = save_posted(request, form, save, _("The repair was not registered. Please correct the marked fields."))
    if repair is None:
        return _intake_page(request, hall, form, 400 if is_htmx(request) else 200)
    messages.success(
        request,
        _("Repair %(number)s registered. A worker will be on site by %(due)s.")
        % {"number": repair.number, "due": local_time(repair.respond_by, hall)},
    )
    return redirect("repair-detail", pk=repair.pk)


@login_required
def repair_intake_history(request):
    ensure_role(request.user, *COUNTER_ROLES)
    hall = staff_hall(request)
    context = _history_context(hall, request.GET.get("phone", ""), request.GET.get("address", ""))
    context["flags"] = customer_flags(context["customer"])
    return render_in_hall(request, "repairs/_repair_history.html", context, hall)


# Detail and its actions

TIMELINE_LABELS = {
    "register": gettext_lazy("Registered"),
    "diagnose": gettext_lazy("Advice given"),
    "dispatch": gettext_lazy("Dispatched"),
    "arrive": gettext_lazy("Arrived on site"),
    "complete": gettext_lazy("Completed"),
    "callback": gettext_lazy("Called back"),
    "reopen": gettext_lazy("Reopened: customer not satisfied"),
    "close": gettext_lazy("Closed"),
}
ACTIONS = ("diagnose", "dispatch", "arrive", "complete", "callback", "close")
WORKER_ACTIONS = ("arrive", "complete")


def repair_for(request, pk: int) -> RepairOrder:
    repair = get_in_hall(
        RepairOrder.objects.select_related("hall", "worker", "customer", "repeat_of", "registered_by"),
        request.user,
        pk=pk,
    )
    ensure_role(request.user, *DESK_ROLES)
    return repair


def may_do(user, repair: RepairOrder, action: str) -> bool:
    """The worker's steps are for the assigned worker or a manager, the rest for counter staff."""
    if action in WORKER_ACTIONS:
        return user.pk == repair.worker_id or user.has_role(*MANAGER_ROLES)
    return user.has_role(*COUNTER_ROLES)


def _promises(repair: RepairOrder) -> dict:
    latest = {clock.name: clock for clock in sla.clocks_of(repair)}
    callback_by = repair.callback_by
    return {
        "respond": promise(latest.get(services.RESPOND), repair.respond_by),
        "callback": promise(latest.get(services.CALLBACK), callback_by) if callback_by is not None else None,
    }


def _timeline_rows(repair: RepairOrder) -> list[dict]:
    events = list(timeline_for(repair).order_by("at", "id"))
    worker_ids = {event.data.get("worker") for event in events if event.action == "dispatch"}
    names = {user.pk: user.display_name for user in User.objects.filter(pk__in=worker_ids - {None})}
    return [
        {
            "event": event,
            "label": TIMELINE_LABELS.get(event.action, event.action),
            "worker": names.get(event.data.get("worker")) if event.action == "dispatch" else "",
            "satisfaction": event.data.get("satisfaction"),
        }
        for event in events
    ]


def _dispatch_choices(repair: RepairOrder) -> dict:
    skilled = services.available_workers(hall=repair.hall, fault=repair.fault)
    skilled_ids = {worker.pk for worker in skilled}
    return {"skilled": skilled, "others": [w for w in hall_workers(repair.hall) if w.pk not in skilled_ids]}


def _detail_context(request, repair: RepairOrder, notice: str = "", error: str = "") -> dict:
    user = request.user
    actions = {
        action: repair.status in services.TRANSITIONS[action] and may_do(user, repair, action) for action in ACTIONS
    }
    status_url = request.build_absolute_uri(repair.get_status_url())
    return {
        "repair": repair,
        "phone": phone_for(user, repair.phone),
        "flags": customer_flags(repair.customer),
        "promises": _promises(repair),
        "timeline": _timeline_rows(repair),
        "photos": list(repair.photos.all()),
        "repeats": list(repair.repeats.order_by("-created_at")),
        "actions": actions,
        "any_action": any(actions.values()),
        "dispatch": _dispatch_choices(repair) if actions["dispatch"] else None,
        "scores": SCORES,
        "text_max": TEXT_MAX,
        "status_url": status_url,
        "qr": qr_svg(status_url),
        "notice": notice,
        "error": error,
    }


@login_required
def repair_detail(request, pk: int):
    repair = repair_for(request, pk)
    return render_in_hall(request, "repairs/repair_detail.html", _detail_context(request, repair), repair.hall)


def _text(request, name: str, label) -> str:
    """A posted free text, refused whole when it is longer than free text may be (hall.limits)."""
    text = request.POST.get(name, "").strip()
    try:
        MaxLengthValidator(TEXT_MAX)(text)
    except ValidationError as exc:
        raise ApplicationError(f"{label}: {' '.join(exc.messages)}") from None
    return text


def _diagnose(request, repair: RepairOrder) -> str:
    advice = _text(request, "advice", _("Preliminary advice"))
    if not advice:
        raise ApplicationError(_("Write the preliminary advice first."))
    repair = services.repair_diagnose(repair=repair, advice=advice, actor=request.user)
    return _("%(number)s: advice recorded.") % {"number": repair.number}


def _dispatch(request, repair: RepairOrder) -> str:
    chosen = request.POST.get("worker", "")
    worker = None
    if chosen:
        worker = hall_workers(repair.hall).filter(pk=chosen).first() if chosen.isdecimal() else None
        if worker is None:
            raise ApplicationError(_("Choose a repair worker of this hall."))
    repair = services.repair_dispatch(repair=repair, worker=worker, actor=request.user)
    return _("%(number)s dispatched to %(name)s.") % {"number": repair.number, "name": repair.worker.display_name}


def _arrive(request, repair: RepairOrder) -> str:
    repair = services.repair_arrive(repair=repair, actor=request.user)
    return _("%(number)s: arrival on site recorded.") % {"number": repair.number}


def _complete(request, repair: RepairOrder) -> str:
    notes = _text(request, "notes", _("What was done"))
    if not notes:
        raise ApplicationError(_("Write what was done before completing the order."))
    photos = request.FILES.getlist("photos")
    repair = services.repair_complete(repair=repair, notes=notes, photos=photos, actor=request.user)
    return _("%(number)s completed.") % {"number": repair.number}


def _callback(request, repair: RepairOrder) -> str:
    repair = services.repair_callback(
        repair=repair,
        satisfaction=posted_satisfaction(request),
        notes=_text(request, "notes", _("Callback notes")),
        actor=request.user,
    )
    if repair.status == RepairStatus.DISPATCHED:
        return _("%(number)s: the customer is not satisfied, so the order is back with %(name)s.") % {
            "number": repair.number,
            "name": repair.worker.display_name,
        }
    return _("%(number)s: callback recorded.") % {"number": repair.number}


def _close(request, repair: RepairOrder) -> str:
    repair = services.repair_close(repair=repair, actor=request.user)
    return _("%(number)s closed.") % {"number": repair.number}


ACTION_HANDLERS = {
    "diagnose": _diagnose,
    "dispatch": _dispatch,
    "arrive": _arrive,
    "complete": _complete,
    "callback": _callback,
    "close": _close,
}


@login_required
@require_POST
def repair_action(request, pk: int, action: str):
    """Every action form posts here: htmx gets the detail panel back, a plain form goes back where it came from."""
    repair = repair_for(request, pk)
    if action not in ACTION_HANDLERS:
        raise Http404
    if not may_do(request.user, repair, action):
        raise PermissionDenied
    return answer_action(request, repair, ACTION_HANDLERS[action], partial(_panel, request, pk))


def _panel(request, pk: int, notice: str, error: str):
    repair = repair_for(request, pk)
    context = _detail_context(request, repair, notice=notice, error=error)
    return render_in_hall(request, "repairs/_repair_panel.html", context, repair.hall)


# The worker's phone page and the callback list


@login_required
def repair_mine(request):
    ensure_role(request.user, Role.REPAIR_WORKER)
    hall = staff_hall(request)
    repairs = selectors.with_sla_state(selectors.worker_orders(worker=request.user).select_related("customer"))
    for repair in _with_phones(repairs, request.user):
        repair.flag_labels = customer_flags(repair.customer)
    return render_in_hall(request, "repairs/repair_mine.html", {"repairs": repairs, "text_max": TEXT_MAX}, hall)


@login_required
def repair_callbacks(request):
    ensure_role(request.user, *COUNTER_ROLES)
    hall = staff_hall(request)
    repairs = selectors.with_sla_state(selectors.callbacks_due(user=request.user).filter(hall=hall))
    for repair in repairs:
        repair.phone_shown = repair.phone  # calling the customer back is what this list is for
    context = {"repairs": repairs, "scores": SCORES, "text_max": TEXT_MAX}
    return render_in_hall(request, "repairs/repair_callbacks.html", context, hall)


# The customer's status page

PROGRESS_STEPS = [
    (RepairStatus.REGISTERED, gettext_lazy("Registered")),
    (RepairStatus.DISPATCHED, gettext_lazy("Worker dispatched")),
    (RepairStatus.ON_SITE, gettext_lazy("Worker on site")),
    (RepairStatus.COMPLETED, gettext_lazy("Repaired")),
    (RepairStatus.FOLLOWED_UP, gettext_lazy("Followed up")),
]
STEP_OF_STATUS = {
    RepairStatus.REGISTERED: 0,
    RepairStatus.DIAGNOSED: 0,
    RepairStatus.DISPATCHED: 1,
    RepairStatus.ON_SITE: 2,
    RepairStatus.COMPLETED: 3,
    RepairStatus.FOLLOWED_UP: 4,
    RepairStatus.CLOSED: 4,
}
STATUS_WORDS = {
    RepairStatus.REGISTERED: gettext_lazy("We have your report and are arranging a repair worker."),
    RepairStatus.DIAGNOSED: gettext_lazy("We have your report and are arranging a repair worker."),
    RepairStatus.DISPATCHED: gettext_lazy("A repair worker is on the way."),
    RepairStatus.ON_SITE: gettext_lazy("The repair worker is with you."),
    RepairStatus.COMPLETED: gettext_lazy("The repair is done. We will call you to ask whether all is well."),
    RepairStatus.FOLLOWED_UP: gettext_lazy("The repair is done and we have called you back. Thank you."),
    RepairStatus.CLOSED: gettext_lazy("The repair is done and the order is closed. Thank you."),
}


def _customer_context(repair: RepairOrder) -> dict:
    current = STEP_OF_STATUS[repair.status]
    arrived, due = repair.arrived_at, repair.respond_by
    late = (arrived or timezone.now()) > due
    version = f"{repair.status}:{repair.worker_id}:{due.timestamp():.0f}:{late}"
    return {
        "repair": repair,
        "steps": progress_steps([label for _status, label in PROGRESS_STEPS], current),
        "words": STATUS_WORDS[repair.status],
        "arrived": arrived,
        "late": late,
        "worker_name": repair.worker.display_name if repair.worker and current >= 1 else "",
        "version": version,
        "final": repair.status == RepairStatus.CLOSED,
    }


def repair_status_page(request, token: str):
    """Public: the customer's link. Polled by htmx, which gets the card alone (204 while nothing changed)."""
    repair = get_object_or_404(RepairOrder.objects.select_related("hall", "worker"), token=token)
    context = _customer_context(repair)
    return polled_page(request, context, repair.hall, "repairs/repair_status.html", "repairs/_repair_status_live.html")
