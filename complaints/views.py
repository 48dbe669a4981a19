"""A complaint's page and its actions, and its incident's page (the desk, the intake and the customer's pages are
in desk_views, intake_views and public_views)."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from complaints import policies, selectors, services
from complaints.desk_views import rows_for
from complaints.models import OPEN_COMPLAINT_STATUSES, Complaint
from complaints.models import ComplaintStatus as S
from hall import sla
from hall.errors import ApplicationError, NotPermitted
from hall.forms import SCORES, posted_satisfaction
from hall.limits import TEXT_MAX
from hall.models import HALL_ROLES, Role, User
from hall.pages import (
    answer_action,
    customer_flags,
    local_time,
    promise,
    qr_svg,
    render_in_hall,
)
from hall.people import people_who_can
from hall.permissions import ensure_role, get_in_hall, phone_for
from hall.timeline import timeline_for

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


def complaint_for(request, pk: int) -> Complaint:
    complaint = get_in_hall(
        Complaint.objects.select_related("hall", "owner", "customer", "accepted_by", "group"), request.user, pk=pk
    )
    ensure_role(request.user, *policies.DESK_ROLES)
    return complaint


def _allowed(user, complaint: Complaint, action: str) -> bool:
    return complaint.status in services.TRANSITIONS[action] and policies.may(user, complaint, action)


def _catch_up_offers(user, lead: Complaint) -> dict[str, int]:
    """The steps an incident's first complaint took alone that this user may now take for its open members, each
    with how many members would take it."""
    offers = {}
    for step in CATCH_UPS.values():
        count = services.catch_up_count(lead, step) if policies.may(user, lead, step) else 0
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
    staff = [user for user in selectors.desk_staff(hall_id=complaint.hall_id) if user.pk != complaint.owner_id]
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
        "text_max": TEXT_MAX,
        "hall_people": people_who_can(complaint.hall_id, HALL_ROLES) if actions["resolve"] else (),
    }


@login_required
def complaint_detail(request, pk: int):
    complaint = complaint_for(request, pk)
    context = _detail_context(request, complaint)
    return render_in_hall(request, "complaints/complaint_detail.html", context, complaint.hall)


def _text(request, name: str, missing: str = "") -> str:
    """The posted text, refused when it is missing (if `missing` says why) or too long: never cut."""
    text = request.POST.get(name, "").strip()
    if not text and missing:
        raise ApplicationError(missing)
    if len(text) > TEXT_MAX:
        raise ApplicationError(
            _("The text is too long: at most %(limit)s characters, this one has %(length)s. Nothing was saved.")
            % {"limit": TEXT_MAX, "length": len(text)}
        )
    return text


def _checked(request, name: str) -> bool:
    return request.POST.get(name) in {"on", "1", "true"}


def _justified(request, complaint: Complaint) -> dict:
    """The resolve form's "justified" choice (yes / no / not said) and the person it is justified against."""
    justified = {"yes": True, "no": False}.get(request.POST.get("justified", ""))
    against = request.POST.get("justified_against", "")
    person = None
    if against:
        person = (
            people_who_can(complaint.hall_id, HALL_ROLES).filter(pk=against).first() if against.isdecimal() else None
        )
        if person is None:
            raise ApplicationError(_("Nobody of this hall's staff has this id."))
    return {"justified": justified, "justified_against": person}


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
        **_justified(request, complaint),
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
        note=_text(request, "note"),
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
    to = selectors.desk_staff(hall_id=complaint.hall_id).filter(pk=chosen).first() if chosen.isdecimal() else None
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
    handler = HANDLERS[step] if action in ACTIONS else partial(_catch_up, step=step)
    return answer_action(request, complaint, partial(_forbidden_when_refused, handler), partial(_panel, request, pk))


def _forbidden_when_refused(handler, request, complaint: Complaint) -> str:
    """Someone the policy does not let take the step gets the 403 page, as for any page they may not use."""
    try:
        return handler(request, complaint)
    except NotPermitted as refusal:
        raise PermissionDenied(refusal.message) from refusal


def _panel(request, pk: int, notice: str, error: str):
    complaint = complaint_for(request, pk)
    context = _detail_context(request, complaint, notice=notice, error=error)
    return render_in_hall(request, "complaints/_complaint_panel.html", context, complaint.hall)


@login_required
def complaint_incident(request, pk: int):
    complaint = complaint_for(request, pk)
    lead = complaint_for(request, complaint.group_id) if complaint.group_id else complaint
    members = rows_for(selectors.incident_members(lead), request.user)
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
        "text_max": TEXT_MAX,
    }
    return render_in_hall(request, "complaints/complaint_incident.html", context, lead.hall)
