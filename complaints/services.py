"""Complaints (投诉): accept → investigate → resolve → follow up → close, with reopen and hand-over.

Four clocks run on a complaint (hall.sla), each stopped by its own step: `first_contact` (2 h) by the first
investigation note or progress report, `progress` (3 working days) by a progress report, `result` (15 working
days) by the resolution, `follow_up` (24 h after resolution) by the follow-up. Urgent complaints (loss still
going on, key customers, elderly people living alone) get the hall's urgent share of each.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from complaints import policies
from complaints.models import Complaint, ComplaintEvidence
from complaints.models import ComplaintStatus as S
from hall import sla
from hall.db import insert
from hall.errors import ApplicationError, InvalidTransition
from hall.models import HALL_ROLES, Customer, Hall, Role, User
from hall.notifications import notify
from hall.numbering import next_number
from hall.people import can_do, responsible_managers
from hall.services import customer_for_contact
from hall.timeline import record_event
from hall.workflow import transition

SATISFIED = 4
FIRST_CONTACT, PROGRESS, RESULT, FOLLOW_UP = "first_contact", "progress", "result", "follow_up"
ACCEPT_CLOCKS = (FIRST_CONTACT, PROGRESS, RESULT)
CLOCKS = {
    FIRST_CONTACT: ("complaint-first-contact", "first_contact_due", gettext_noop("first contact")),
    PROGRESS: ("complaint-progress", "progress_due", gettext_noop("progress report")),
    RESULT: ("complaint-result", "result_due", gettext_noop("result")),
    FOLLOW_UP: ("complaint-follow-up", "follow_up_due", gettext_noop("follow-up")),
}

TRANSITIONS = {
    "investigate": {S.ACCEPTED: S.INVESTIGATING, S.INVESTIGATING: S.INVESTIGATING},
    "progress": {S.ACCEPTED: S.ACCEPTED, S.INVESTIGATING: S.INVESTIGATING},
    "resolve": {S.ACCEPTED: S.RESOLVED, S.INVESTIGATING: S.RESOLVED},
    "follow_up": {S.RESOLVED: S.FOLLOWED_UP},
    "follow_up_unsatisfied": {S.RESOLVED: S.INVESTIGATING},
    "reopen": {S.RESOLVED: S.INVESTIGATING, S.FOLLOWED_UP: S.INVESTIGATING},
    "close": {S.FOLLOWED_UP: S.CLOSED},
    "hand_over": {S.ACCEPTED: S.ACCEPTED, S.INVESTIGATING: S.INVESTIGATING, S.RESOLVED: S.RESOLVED},
}
LABELS = {
    "investigate": gettext_lazy("investigated"),
    "progress": gettext_lazy("given a progress report"),
    "resolve": gettext_lazy("resolved"),
    "follow_up": gettext_lazy("followed up"),
    "follow_up_unsatisfied": gettext_lazy("followed up"),
    "reopen": gettext_lazy("reopened"),
    "close": gettext_lazy("closed"),
    "hand_over": gettext_lazy("handed over"),
}

# The statuses in which an incident's first complaint has taken each step that its members can catch up on.
CAUGHT_UP_FROM = {
    "resolve": (S.RESOLVED, S.FOLLOWED_UP, S.CLOSED),
    "follow_up": (S.FOLLOWED_UP, S.CLOSED),
}
NOT_YET = {
    "resolve": gettext_lazy("%(number)s is not resolved yet: resolve it for the whole incident instead."),
    "follow_up": gettext_lazy("%(number)s is not followed up yet: follow it up for the whole incident instead."),
}
NOTHING_LEFT = {
    "resolve": gettext_lazy("No complaint of incident %(number)s is left to resolve."),
    "follow_up": gettext_lazy("No complaint of incident %(number)s is left to follow up."),
}
APPLY_FROM_LEAD = gettext_lazy("Apply it to the incident from its first complaint, %(number)s.")


def _move(complaint: Complaint, action: str, actor, **kwargs) -> Complaint:
    return transition(record=complaint, action=action, moves=TRANSITIONS, labels=LABELS, actor=actor, **kwargs)


def _authorize(complaint: Complaint, actor, step: str) -> Complaint:
    """Locks the complaint and applies the policy to it as it is now, so that a hand-over just made counts.
    Inside the caller's transaction."""
    locked = Complaint.objects.select_for_update(no_key=True).get(pk=complaint.pk)
    policies.ensure_may(actor, locked, step)
    return locked


def _act(complaint: Complaint, step: str, actor, **kwargs) -> Complaint:
    """A step of one complaint taken by someone the policy lets take it."""
    with transaction.atomic():
        _authorize(complaint, actor, step)
        return _move(complaint, step, actor, **kwargs)


def _link(complaint: Complaint) -> str:
    return reverse("complaint-detail", args=[complaint.pk])


def _start(complaint: Complaint, now, *names: str, due=None, first: bool = False) -> list[str]:
    """Starts these clocks together and copies their deadlines to the complaint; returns the fields it set."""
    label = gettext_noop("Complaint %(number)s: %(step_text)s")
    clocks = sla.clocks_start(
        subject=complaint,
        clocks={
            name: (CLOCKS[name][0], (label, {"number": complaint.number, "step_text": CLOCKS[name][2]}))
            for name in names
        },
        urgent=complaint.urgent,
        responsible=complaint.owner,
        link=_link(complaint),
        start=now,
        due=due,
        first=first,
    )
    for name, clock in clocks.items():
        setattr(complaint, CLOCKS[name][1], clock.due_at)
    return [CLOCKS[name][1] for name in names]


def _stop(complaint: Complaint, now, *names: str) -> None:
    sla.clocks_stop(subject=complaint, names=names, at=now)


def is_urgent(*, ongoing_loss: bool, customer: Customer) -> bool:
    return ongoing_loss or customer.key_customer or customer.elderly_alone


def default_owner(hall: Hall) -> User | None:
    """Who owns a complaint nobody took in person (the public web form): the duty manager of the day,
    else a hall manager."""
    return next(iter(responsible_managers(hall, fallback=[Role.HALL_MANAGER])), None)


def complaint_accept(
    *,
    hall: Hall,
    customer_name: str,
    phone: str,
    channel: str,
    category: str,
    description: str,
    address: str = "",
    ongoing_loss: bool = False,
    group: Complaint | None = None,
    actor=None,
) -> Complaint:
    """The taker becomes the owner (首问负责人); a complaint from the public form goes to the duty manager."""
    taker = actor if actor is not None and actor.is_authenticated else None
    owner = taker or default_owner(hall)
    if owner is None:
        raise ApplicationError(_("This hall has nobody to own a complaint yet."))
    if group is not None and group.hall_id != hall.pk:
        raise ApplicationError(_("The incident belongs to another hall."))
    now = timezone.now()
    with transaction.atomic():
        customer = customer_for_contact(hall=hall, name=customer_name, phone=phone, address=address)
        urgent = is_urgent(ongoing_loss=ongoing_loss, customer=customer)
        # Worked out before the day's number is taken: its row stays locked until the commit.
        due = sla.deadlines(
            hall=hall, policy_keys=[CLOCKS[name][0] for name in ACCEPT_CLOCKS], urgent=urgent, start=now
        )
        complaint = Complaint(
            hall=hall,
            number=next_number(hall=hall, kind="complaint", prefix="TS"),
            customer=customer,
            customer_name=customer_name,
            phone=phone,
            address=address,
            channel=channel,
            category=category,
            description=description,
            ongoing_loss=ongoing_loss,
            urgent=urgent,
            owner=owner,
            accepted_by=taker,
            group=(group.group or group) if group is not None else None,
            created_at=now,
            next_due_at=sla.soonest(due),
            **{CLOCKS[name][1]: due[CLOCKS[name][0]] for name in ACCEPT_CLOCKS},
        )
        insert(complaint)
        _start(complaint, now, *ACCEPT_CLOCKS, due=due, first=True)
        record_event(
            subject=complaint,
            action="accept",
            actor=taker,
            to_status=S.ACCEPTED,
            at=now,
            data={"channel": channel, "owner": owner.pk, "urgent": complaint.urgent},
        )
        if taker is None:
            notify(
                recipients=[owner],
                hall_id=hall.pk,
                kind="complaint_received",
                params={"number": complaint.number},
                link=_link(complaint),
            )
    return complaint


def complaint_investigate(*, complaint: Complaint, note: str, evidence=(), actor=None) -> Complaint:
    """An investigation note (and evidence); the first one counts as the first contact."""

    def change(record, now):
        _stop(record, now, FIRST_CONTACT)
        if record.first_contact_at is None:
            record.first_contact_at = now
            return ["first_contact_at"]
        return []

    with transaction.atomic():
        _authorize(complaint, actor, "investigate")
        ComplaintEvidence.content_types(evidence)
        complaint = _move(complaint, "investigate", actor, change=change, note=note, data={"files": len(evidence)})
        ComplaintEvidence.attach(evidence, actor=actor, complaint=complaint)
    return complaint


def complaint_progress(*, complaint: Complaint, note: str, actor=None) -> Complaint:
    """A progress report given to the customer: it is a contact, and it stops the progress clock."""

    def change(record, now):
        _stop(record, now, FIRST_CONTACT, PROGRESS)
        if record.first_contact_at is None:
            record.first_contact_at = now
            return ["first_contact_at"]
        return []

    return _act(complaint, "progress", actor, change=change, note=note)


def _resolve_change(resolution: str, customer_confirmed: bool):
    def change(record, now):
        _stop(record, now, FIRST_CONTACT, PROGRESS, RESULT)
        record.resolution = resolution
        record.customer_confirmed = customer_confirmed
        record.resolved_at = now
        record.first_contact_at = record.first_contact_at or now
        return [
            "resolution",
            "customer_confirmed",
            "resolved_at",
            "first_contact_at",
            *_start(record, now, FOLLOW_UP),
        ]

    return change


def complaint_resolve(
    *,
    complaint: Complaint,
    resolution: str,
    customer_confirmed: bool,
    apply_to_group: bool = False,
    justified: bool | None = None,
    justified_against=None,
    actor=None,
) -> Complaint:
    """Records the resolution and starts the 24 h follow-up clock; on an incident's first complaint,
    `apply_to_group` resolves every open member the same way, each on its own timeline. `justified` and
    `justified_against` (a member of the hall's staff, only for a justified complaint) are this complaint's own."""
    if justified_against is not None and (
        justified is not True or not can_do(justified_against, complaint.hall_id, HALL_ROLES)
    ):
        raise ApplicationError(JUSTIFIED_AGAINST_REFUSED)
    change = _resolve_change(resolution, customer_confirmed)
    own_change = _justified_change(change, justified, justified_against)
    data = None
    if justified is not None:
        data = {"justified": justified, "justified_against": getattr(justified_against, "pk", None)}
    with transaction.atomic():
        _authorize(complaint, actor, "resolve")
        complaint = _move(complaint, "resolve", actor, change=own_change, note=resolution, data=data)
        if apply_to_group:
            _move_members(complaint, "resolve", actor, change=change, note=resolution)
    return complaint


JUSTIFIED_AGAINST_REFUSED = gettext_lazy(
    "A complaint is justified against a member of the hall's staff, and only when it is justified."
)


def _justified_change(change, justified, against):
    def justified_change(record, now):
        record.justified = justified
        record.justified_against = against
        return [*change(record, now), "justified", "justified_against"]

    return justified_change


def _follow_up_change(satisfaction: int, note: str):
    def change(record, now):
        _stop(record, now, FOLLOW_UP)
        record.satisfaction = satisfaction
        record.follow_up_note = note
        if satisfaction >= SATISFIED:
            record.followed_up_at = now
            return ["satisfaction", "follow_up_note", "followed_up_at"]
        return ["satisfaction", "follow_up_note", *_reopen_fields(record, now)]

    return change


def complaint_follow_up(
    *, complaint: Complaint, satisfaction: int, note: str = "", apply_to_group: bool = False, actor=None
) -> Complaint:
    """The callback after resolution; 1–3 means not satisfied and reopens the complaint to investigation."""
    action = "follow_up" if satisfaction >= SATISFIED else "follow_up_unsatisfied"
    change = _follow_up_change(satisfaction, note)
    data = {"satisfaction": satisfaction}
    with transaction.atomic():
        _authorize(complaint, actor, "follow_up")
        complaint = _move(complaint, action, actor, change=change, note=note, data=data)
        if apply_to_group:
            _move_members(complaint, action, actor, change=change, note=note, data=data)
        if action == "follow_up_unsatisfied":
            _tell_owner_reopened(complaint, note)
    return complaint


def _reopen_fields(record: Complaint, now) -> list[str]:
    """Back to investigation: the progress and result promises start again from now."""
    _stop(record, now, FOLLOW_UP)
    record.reopen_count += 1
    record.resolved_at = None
    return ["reopen_count", "resolved_at", *_start(record, now, PROGRESS, RESULT)]


def complaint_reopen(*, complaint: Complaint, reason: str, actor=None) -> Complaint:
    with transaction.atomic():
        _authorize(complaint, actor, "reopen")
        complaint = _move(complaint, "reopen", actor, change=_reopen_fields, note=reason)
        _tell_owner_reopened(complaint, reason)
    return complaint


def _tell_owner_reopened(complaint: Complaint, reason: str) -> None:
    notify(
        recipients=[complaint.owner],
        hall_id=complaint.hall_id,
        kind="complaint_reopened",
        params={"number": complaint.number},
        body=reason,
        link=_link(complaint),
    )


def complaint_close(*, complaint: Complaint, actor=None) -> Complaint:
    def change(record, now):
        record.closed_at = now
        return ["closed_at"]

    return _act(complaint, "close", actor, change=change)


def complaint_hand_over(*, complaint: Complaint, to: User, reason: str, actor=None) -> Complaint:
    """The only way the owner changes: with a reason, both people told, on the timeline."""

    def change(record, now):
        if record.owner_id == to.pk:
            raise ApplicationError(_("%(name)s already owns this complaint.") % {"name": to})
        record.owner = to
        for name in CLOCKS:
            sla.clock_reassign(subject=record, name=name, responsible=to)
        return ["owner"]

    with transaction.atomic():
        previous = _authorize(complaint, actor, "hand_over").owner
        if not can_do(to, complaint.hall_id, policies.DESK_ROLES):
            raise ApplicationError(_("%(name)s is not one of this hall's people at the complaint desk.") % {"name": to})
        complaint = _move(
            complaint, "hand_over", actor, change=change, note=reason, data={"from": previous.pk, "to": to.pk}
        )
        notify(
            recipients=[to, previous],
            hall_id=complaint.hall_id,
            kind="complaint_handed_over",
            params={"number": complaint.number, "from": str(previous), "to": str(to)},
            body=reason,
            link=_link(complaint),
        )
    return complaint


def complaint_update(*, complaint: Complaint, actor=None, **fields) -> Complaint:
    """Corrects what was written at intake; the owner is never among the fields (see hand-over)."""
    editable = {"category", "description", "address", "customer_name"}
    if not fields.keys() <= editable:
        raise ApplicationError(_("Only %(fields)s can be corrected.") % {"fields": ", ".join(sorted(editable))})
    with transaction.atomic():
        complaint = _authorize(complaint, actor, "update")
        changed = {name: value for name, value in fields.items() if getattr(complaint, name) != value}
        for name, value in changed.items():
            setattr(complaint, name, value)
        if changed:
            complaint.save(update_fields=sorted(changed))
            record_event(subject=complaint, action="update", actor=actor, data={"fields": sorted(changed)})
    return complaint


def _open_members(lead: Complaint, action: str):
    """The incident's members that can still take this step (the statuses it moves from)."""
    return lead.members.filter(status__in=TRANSITIONS[action]).order_by("id")


def _move_members(lead: Complaint, action: str, actor, *, change, note: str, data: dict | None = None) -> int:
    """The lead's step taken by each open member of its incident, on the member's own timeline."""
    members = list(_open_members(lead, action))
    for member in members:
        _move(member, action, actor, change=change, note=note, data={**(data or {}), "incident": lead.number})
    return len(members)


def catch_up_count(lead: Complaint, step: str) -> int:
    """How many of the incident's complaints would take the step its first complaint took alone (0: none)."""
    if lead.group_id is not None or lead.status not in CAUGHT_UP_FROM[step]:
        return 0
    return _open_members(lead, step).count()


def complaint_catch_up(*, complaint: Complaint, step: str, actor=None) -> Complaint:
    """After an incident's first complaint was resolved (or followed up) on its own, its members still open take
    the same step with what was recorded on it: its resolution and confirmation, or its satisfaction and notes."""
    if complaint.group_id is not None:
        raise ApplicationError(APPLY_FROM_LEAD % {"number": complaint.group.number})
    with transaction.atomic():
        # Locked so that two people catching the incident up at once move each member once.
        lead = _authorize(complaint, actor, step)
        if lead.status not in CAUGHT_UP_FROM[step]:
            raise InvalidTransition(NOT_YET[step] % {"number": lead.number})
        if step == "resolve":
            change = _resolve_change(lead.resolution, lead.customer_confirmed)
            moved = _move_members(lead, step, actor, change=change, note=lead.resolution)
        else:
            change = _follow_up_change(lead.satisfaction, lead.follow_up_note)
            data = {"satisfaction": lead.satisfaction}
            moved = _move_members(lead, step, actor, change=change, note=lead.follow_up_note, data=data)
        if not moved:
            raise InvalidTransition(NOTHING_LEFT[step] % {"number": lead.number})
    return lead
