"""Staff pages of the complaints: desk, intake, detail, incident (the customer's are in public_views)."""

import datetime as dt
from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from complaints import selectors, services
from complaints.models import OPEN_COMPLAINT_STATUSES, Complaint, ComplaintCategory, ComplaintChannel
from complaints.models import ComplaintStatus as S
from complaints.public_views import PublicComplaintForm
from hall import sla
from hall.errors import ApplicationError
from hall.forms import SCORES, FilterForm, posted_satisfaction
from hall.models import MANAGER_ROLES, REPAIR_ROLES, Hall, Role, User
from hall.pages import (
    answer_action,
    customer_flags,
    is_htmx,
    local_time,
    promise,
    qr_svg,
    render_in_hall,
    save_posted,
    staff_hall,
)
from hall.permissions import ensure_role, get_in_hall, phone_for
from hall.timeline import timeline_for

DESK_ROLES = (Role.CLERK, Role.DUTY_MANAGER, Role.HALL_MANAGER, Role.COMPLAINT_HANDLER)
PER_PAGE = 25
INCIDENT_DAYS = 30
OPEN, MINE, HALL, NEWEST, DUE = "open", "mine", "hall", "newest", "due"


def hall_staff(hall: Hall):
    return (
        User.objects.filter(hall=hall, is_active=True, groups__name__in=DESK_ROLES)
        .distinct()
        .prefetch_related("groups")
        .order_by("name", "username")
    )


def _next_promise(complaint: Complaint) -> str:
    """Which promise the soonest running deadline (`due_at`, from with_sla_state) belongs to."""
    for _key, field, step in services.CLOCKS.values():
        if complaint.due_at is not None and getattr(complaint, field) == complaint.due_at:
            return str(step)
    return ""


def _for_rows(complaints, user) -> list[Complaint]:
    for complaint in complaints:
        complaint.phone_shown = phone_for(user, complaint.phone)
        complaint.next_promise = _next_promise(complaint)
    return complaints


# Desk


class DeskFilter(FilterForm):
    view = forms.ChoiceField(
        label=gettext_lazy("View"),
        required=False,
        choices=[(MINE, gettext_lazy("Mine")), (HALL, gettext_lazy("My hall"))],
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any status")), (OPEN, gettext_lazy("Open complaints")), *S.choices],
    )
    owner = forms.ModelChoiceField(label=gettext_lazy("Owner"), required=False, queryset=User.objects.none())
    overdue = forms.BooleanField(required=False)
    order = forms.ChoiceField(
        label=gettext_lazy("Order"),
        required=False,
        choices=[(NEWEST, gettext_lazy("Newest first")), (DUE, gettext_lazy("Soonest due first"))],
    )
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)

    def __init__(self, *args, hall: Hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = hall_staff(hall)


def _hall_complaints(request, hall: Hall, filters: DeskFilter):
    status, owner, overdue = filters.value("status"), filters.value("owner"), bool(filters.value("overdue"))
    complaints = selectors.complaint_list(
        user=request.user,
        hall_id=hall.pk,
        status=None if status == OPEN else status,
        owner_id=owner.pk if owner else None,
        overdue=overdue,
        search=(filters.value("q") or "").strip(),
    )
    if status == OPEN:
        complaints = complaints.filter(status__in=OPEN_COMPLAINT_STATUSES)
    if filters.value("order") == DUE and not overdue:
        complaints = complaints.order_by(F("next_due_at").asc(nulls_last=True), "id")
    return complaints


@login_required
def complaint_desk(request):
    ensure_role(request.user, *DESK_ROLES)
    hall = staff_hall(request)
    filters = DeskFilter(request.GET, hall=hall)
    for problem in filters.problems():
        messages.error(request, problem)
    view, page = filters.value("view") or MINE, None
    if view == MINE:
        complaints = selectors.desk(user=request.user)
    else:
        page = Paginator(_hall_complaints(request, hall, filters), PER_PAGE).get_page(request.GET.get("page"))
        complaints = page.object_list = selectors.with_sla_state(page.object_list)
    open_ones = selectors.open_complaints(hall_id=hall.pk)
    context = {
        "view": view,
        "filters": filters,
        "page": page,
        "complaints": _for_rows(complaints, request.user),
        "statuses": filters.fields["status"].choices,
        "owners": filters.fields["owner"].queryset,
        "mine_count": open_ones.filter(owner=request.user).count(),
        "overdue_count": sla.overdue(open_ones).count(),
        "filtered": request.GET.get("status", OPEN) != OPEN
        or any(request.GET.get(name) for name in ("owner", "overdue", "q", "order")),
    }
    return render_in_hall(request, "complaints/complaint_desk.html", context, hall)


# Intake

STAFF_CHANNELS = [choice for choice in ComplaintChannel.choices if choice[0] != ComplaintChannel.WEB]


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
    phone = phone.strip()[:20]
    history = selectors.customer_history(hall_id=hall.pk, phone=phone)
    return {
        **history,
        "flag_labels": customer_flags(history["customer"]),
        "asked": bool(phone),
        "repair_links": request.user.has_role(*REPAIR_ROLES),
    }


def _intake_page(request, hall: Hall, form: ComplaintForm, status: int = 200):
    context = {
        "form": form,
        "channels": STAFF_CHANNELS,
        "channel": form.data.get("channel", ComplaintChannel.COUNTER),
        "categories": ComplaintCategory.choices,
        "incidents": _incidents(hall)[:50],
        **_history_context(request, hall, form.data.get("phone", "")),
    }
    return render_in_hall(request, "complaints/complaint_accept.html", context, hall, status)


@login_required
def complaint_accept(request):
    ensure_role(request.user, *DESK_ROLES)
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
    ensure_role(request.user, *DESK_ROLES)
    hall = staff_hall(request)
    context = _history_context(request, hall, request.GET.get("phone", ""))
    return render_in_hall(request, "complaints/_complaint_history.html", context, hall)


# Detail and its actions

TIMELINE_LABELS = {
    "accept": gettext_lazy("Accepted"),
    "investigate": gettext_lazy("Investigation note"),
    "progress": gettext_lazy("Progress reported"),
    "resolve": gettext_lazy("Resolved"),
    "follow_up": gettext_lazy("Followed up: satisfied"),
    "follow_up_unsatisfied": gettext_lazy("Followed up: not satisfied, reopened"),
    "reopen": gettext_lazy("Reopened"),
    "close": gettext_lazy("Closed"),
    "hand_over": gettext_lazy("Handed over"),
    "update": gettext_lazy("Corrected"),
}
PROMISE_TITLES = {
    services.FIRST_CONTACT: gettext_lazy("Contact the customer by"),
    services.PROGRESS: gettext_lazy("Progress report by"),
    services.RESULT: gettext_lazy("Result by"),
    services.FOLLOW_UP: gettext_lazy("Follow up by"),
}
# Anyone at the desk may call the customer back; the rest is the owner's work (首问负责人) or a manager's.
ANYONE_AT_THE_DESK = {"follow_up"}


def complaint_for(request, pk: int) -> Complaint:
    complaint = get_in_hall(
        Complaint.objects.select_related("hall", "owner", "customer", "accepted_by", "group"), request.user, pk=pk
    )
    ensure_role(request.user, *DESK_ROLES)
    return complaint


def may_do(user, complaint: Complaint, action: str) -> bool:
    if not user.has_role(*DESK_ROLES):
        return False
    return action in ANYONE_AT_THE_DESK or user.pk == complaint.owner_id or user.has_role(*MANAGER_ROLES)


def _allowed(user, complaint: Complaint, action: str) -> bool:
    return complaint.status in services.TRANSITIONS[action] and may_do(user, complaint, action)


def _catch_up_offers(user, lead: Complaint) -> dict[str, int]:
    """The steps an incident's first complaint took alone that this user may now take for its open members, each
    with how many members would take it."""
    offers = {}
    for step in CATCH_UPS.values():
        count = services.catch_up_count(lead, step) if may_do(user, lead, step) else 0
        if count:
            offers[step] = count
    return offers


def _promises(complaint: Complaint) -> list[dict]:
    latest = {clock.name: clock for clock in sla.clocks_of(complaint)}
    rows = []
    for name, (_key, field, _step) in services.CLOCKS.items():
        due = getattr(complaint, field)
        if due is not None:
            rows.append({"name": name, "title": PROMISE_TITLES[name], **promise(latest.get(name), due)})
    return rows


def _timeline_rows(complaint: Complaint) -> list[dict]:
    events = list(timeline_for(complaint).order_by("at", "id"))
    ids = {event.data.get(key) for event in events for key in ("from", "to", "owner")}
    names = {user.pk: user.display_name for user in User.objects.filter(pk__in=ids - {None})}
    return [
        {
            "event": event,
            "label": TIMELINE_LABELS.get(event.action, event.action),
            "owner": names.get(event.data.get("owner"), ""),
            "from": names.get(event.data.get("from"), ""),
            "to": names.get(event.data.get("to"), ""),
            "satisfaction": event.data.get("satisfaction"),
            "files": event.data.get("files", 0),
            "incident": event.data.get("incident", ""),
        }
        for event in events
    ]


def _evidence(complaint: Complaint) -> list:
    items = list(complaint.evidence.all())
    for item in items:
        item.is_image = item.content_type.startswith("image/")
    return items


def _hand_over_choices(complaint: Complaint) -> dict:
    staff = [user for user in hall_staff(complaint.hall) if user.pk != complaint.owner_id]
    handlers = [user for user in staff if Role.COMPLAINT_HANDLER in user.roles]
    return {"handlers": handlers, "others": [user for user in staff if user not in handlers]}


def _detail_context(request, complaint: Complaint, notice: str = "", error: str = "") -> dict:
    user = request.user
    actions = {action: _allowed(user, complaint, action) for action in ACTIONS.values()}
    lead = complaint.group or complaint
    member_count = lead.members.count()
    is_lead = complaint.group_id is None and member_count > 0
    catch_up = _catch_up_offers(user, complaint) if is_lead else {}
    track_url = request.build_absolute_uri(reverse("complaint-track", args=[complaint.token]))
    return {
        "complaint": complaint,
        "phone": phone_for(user, complaint.phone),
        "flags": customer_flags(complaint.customer),
        "promises": _promises(complaint),
        "timeline": _timeline_rows(complaint),
        "evidence": _evidence(complaint),
        "lead": lead,
        "member_count": member_count,
        "is_lead": is_lead,
        "earlier_count": selectors.repeat_count(
            hall_id=complaint.hall_id, phone=complaint.phone, exclude_id=complaint.pk
        ),
        "actions": actions,
        "any_action": any(actions.values()) or bool(catch_up),
        "catch_up": catch_up,
        "hand_over": _hand_over_choices(complaint) if actions["hand_over"] else None,
        "scores": SCORES,
        "satisfied_from": services.SATISFIED,
        "track_url": track_url,
        "qr": qr_svg(track_url),
        "notice": notice,
        "error": error,
    }


@login_required
def complaint_detail(request, pk: int):
    complaint = complaint_for(request, pk)
    context = _detail_context(request, complaint)
    return render_in_hall(request, "complaints/complaint_detail.html", context, complaint.hall)


def _text(request, name: str, missing: str) -> str:
    text = request.POST.get(name, "").strip()[:2000]
    if not text:
        raise ApplicationError(missing)
    return text


def _checked(request, name: str) -> bool:
    return request.POST.get(name) in {"on", "1", "true"}


def _investigate(request, complaint: Complaint) -> str:
    note = _text(request, "note", _("Write what was found or done first."))
    evidence = request.FILES.getlist("evidence")
    complaint = services.complaint_investigate(complaint=complaint, note=note, evidence=evidence, actor=request.user)
    return _("%(number)s: investigation note recorded.") % {"number": complaint.number}


def _progress(request, complaint: Complaint) -> str:
    note = _text(request, "note", _("Write what the customer was told."))
    complaint = services.complaint_progress(complaint=complaint, note=note, actor=request.user)
    return _("%(number)s: progress report recorded.") % {"number": complaint.number}


def _resolve(request, complaint: Complaint) -> str:
    complaint = services.complaint_resolve(
        complaint=complaint,
        resolution=_text(request, "resolution", _("Write the resolution first.")),
        customer_confirmed=_checked(request, "customer_confirmed"),
        apply_to_group=_checked(request, "apply_to_group"),
        actor=request.user,
    )
    return _("%(number)s resolved. Follow up with the customer by %(due)s.") % {
        "number": complaint.number,
        "due": local_time(complaint.follow_up_due, complaint.hall),
    }


def _follow_up(request, complaint: Complaint) -> str:
    complaint = services.complaint_follow_up(
        complaint=complaint,
        satisfaction=posted_satisfaction(request),
        note=request.POST.get("note", "").strip()[:2000],
        apply_to_group=_checked(request, "apply_to_group"),
        actor=request.user,
    )
    if complaint.status == S.INVESTIGATING:
        return _("%(number)s: the customer is not satisfied, so the complaint is reopened for %(name)s.") % {
            "number": complaint.number,
            "name": complaint.owner.display_name,
        }
    return _("%(number)s: follow-up recorded.") % {"number": complaint.number}


def _close(request, complaint: Complaint) -> str:
    complaint = services.complaint_close(complaint=complaint, actor=request.user)
    return _("%(number)s closed.") % {"number": complaint.number}


def _reopen(request, complaint: Complaint) -> str:
    reason = _text(request, "reason", _("Write why the complaint is reopened."))
    complaint = services.complaint_reopen(complaint=complaint, reason=reason, actor=request.user)
    return _("%(number)s reopened.") % {"number": complaint.number}


def _hand_over(request, complaint: Complaint) -> str:
    chosen = request.POST.get("to", "")
    to = hall_staff(complaint.hall).filter(pk=chosen).first() if chosen.isdecimal() else None
    if to is None:
        raise ApplicationError(_("Choose a member of staff of this hall."))
    reason = _text(request, "reason", _("Write why the complaint is handed over."))
    complaint = services.complaint_hand_over(complaint=complaint, to=to, reason=reason, actor=request.user)
    return _("%(number)s handed over to %(name)s.") % {"number": complaint.number, "name": to.display_name}


def _catch_up(request, complaint: Complaint, step: str) -> str:
    complaint = services.complaint_catch_up(complaint=complaint, step=step, actor=request.user)
    return CAUGHT_UP[step] % {"number": complaint.number}


CAUGHT_UP = {
    "resolve": gettext_lazy("%(number)s: the rest of its incident is resolved with its resolution."),
    "follow_up": gettext_lazy("%(number)s: the follow-up is recorded for the rest of its incident."),
}


# The action in the address → the service's name for it, and its handler.
ACTIONS = {
    "investigate": "investigate",
    "progress": "progress",
    "resolve": "resolve",
    "follow-up": "follow_up",
    "close": "close",
    "reopen": "reopen",
    "hand-over": "hand_over",
}
# On an incident's first complaint that took the step alone: the same step for its members still open.
CATCH_UPS = {"incident-resolve": "resolve", "incident-follow-up": "follow_up"}
HANDLERS = {
    "investigate": _investigate,
    "progress": _progress,
    "resolve": _resolve,
    "follow_up": _follow_up,
    "close": _close,
    "reopen": _reopen,
    "hand_over": _hand_over,
}


@login_required
@require_POST
def complaint_action(request, pk: int, action: str):
    """Every action form posts here: htmx gets the detail panel back, a plain form goes back where it came from."""
    complaint = complaint_for(request, pk)
    step = ACTIONS.get(action) or CATCH_UPS.get(action)
    if step is None:
        raise Http404
    if not may_do(request.user, complaint, step):
        raise PermissionDenied
    handler = HANDLERS[step] if action in ACTIONS else partial(_catch_up, step=step)
    return answer_action(request, complaint, handler, partial(_panel, request, pk))


def _panel(request, pk: int, notice: str, error: str):
    complaint = complaint_for(request, pk)
    context = _detail_context(request, complaint, notice=notice, error=error)
    return render_in_hall(request, "complaints/_complaint_panel.html", context, complaint.hall)


@login_required
def complaint_incident(request, pk: int):
    complaint = complaint_for(request, pk)
    lead = complaint_for(request, complaint.group_id) if complaint.group_id else complaint
    members = _for_rows(selectors.incident_members(lead), request.user)
    context = {
        "lead": lead,
        "complaint": lead,
        "members": members,
        "open_count": sum(member.status in OPEN_COMPLAINT_STATUSES for member in members),
        "can_resolve": _allowed(request.user, lead, "resolve"),
        "can_follow_up": _allowed(request.user, lead, "follow_up"),
        "catch_up": _catch_up_offers(request.user, lead),
        "scores": SCORES,
        "satisfied_from": services.SATISFIED,
    }
    return render_in_hall(request, "complaints/complaint_incident.html", context, lead.hall)
