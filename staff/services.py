"""AB-role chores, daily duties, leave, shifts and handovers.

A person works a day when rostered that day and not on approved leave; on a day the hall has no roster at
all, everyone not on leave works. Each day's duty goes to the chore's A if A works, else to B (who is told),
else to the duty manager of the day. Duties are re-decided whenever a leave or a shift changes.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hall import sla
from hall.errors import ApplicationError, InvalidTransition, NotPermitted
from hall.models import DutyManagerDay, Hall, Role, User, new_token
from hall.notifications import notify
from hall.people import responsible_managers
from hall.timeline import record_event
from hall.workflow import transition
from staff import selectors
from staff.dates import days_between
from staff.models import (
    CalendarFeed,
    Chore,
    Duty,
    DutyRole,
    DutyStatus,
    Handover,
    HandoverStatus,
    Leave,
    LeaveStatus,
    Shift,
    ShiftTemplate,
)
from staff.schedules import due_at, falls_on, parse_schedule

DONE_CLOCK, ACK_CLOCK = "done", "acknowledge"
DUTY_MOVES = {"done": {DutyStatus.OPEN: DutyStatus.DONE}}
DUTY_LABELS = {"done": gettext_lazy("marked done")}
HANDOVER_MOVES = {"acknowledge": {HandoverStatus.OPEN: HandoverStatus.ACKNOWLEDGED}}
HANDOVER_LABELS = {"acknowledge": gettext_lazy("acknowledged")}


# Who is responsible


def decide(chore: Chore, day: dt.date, away: dict[int, str]) -> tuple[User | None, str, dict]:
    """(responsible, role, why) for the chore on the day, `why` as staff.reasons codes it; `away` maps each
    absent person to the code of the reason."""
    names = {"a": str(chore.a), "b": str(chore.b)}
    if chore.a_id not in away:
        return chore.a, DutyRole.A, {}
    if chore.b_id not in away:
        return chore.b, DutyRole.B, {"code": "covers", **names, "away": away[chore.a_id]}
    # The day's duty manager; if even they are away, any manager of the hall who works that day.
    present = responsible_managers(chore.hall, day, fallback=[Role.DUTY_MANAGER, Role.HALL_MANAGER], away=away)
    return (present[0] if present else None), DutyRole.DUTY, {"code": "both_away", **names}


def duties_generate(*, hall: Hall, date: dt.date, actor=None) -> list[Duty]:
    """Creates the day's missing duties and re-decides who is responsible for the undone ones (idempotent)."""
    chores = [c for c in hall.chores.filter(is_active=True).select_related("a", "b", "hall") if falls_on(c, date)]
    duties = []
    with transaction.atomic():
        # One generation per hall at a time: the night task and a manager's button may meet.
        Hall.objects.select_for_update(no_key=True).get(pk=hall.pk)
        away = selectors.away_on(hall, date)
        existing = {d.chore_id: d for d in Duty.objects.select_for_update().filter(hall=hall, date=date)}
        for chore in chores:
            responsible, role, why = decide(chore, date, away)
            duty = existing.get(chore.pk)
            if duty is None:
                duty = Duty.objects.create(hall=hall, chore=chore, date=date, due_at=due_at(chore, date), role=role)
                _assign(duty, responsible, role, why, actor, new=True)
            elif duty.status == DutyStatus.OPEN and (duty.responsible_id, duty.role) != (
                getattr(responsible, "pk", None),
                role,
            ):
                _assign(duty, responsible, role, why, actor, new=False)
            duties.append(duty)
    return duties


def _assign(duty: Duty, responsible, role: str, why: dict, actor, *, new: bool) -> None:
    previous, previous_role = duty.responsible_id, duty.role
    duty.responsible, duty.role, duty.why, duty.reason = responsible, role, why, ""
    duty.save(update_fields=["responsible", "role", "why", "reason"])
    record_event(
        subject=duty,
        action="assign",
        actor=actor,
        data={"responsible": getattr(responsible, "pk", None), "from": previous, "role": role, "why": why},
    )
    link = reverse("duty-board") + f"?date={duty.date:%Y-%m-%d}"
    if new:
        sla.clock_start(
            subject=duty,
            name=DONE_CLOCK,
            policy_key="duty-done",
            responsible=responsible,
            label=_("Duty %(chore)s on %(date)s") % {"chore": duty.chore.name, "date": f"{duty.date:%m-%d}"},
            link=link,
            start=duty.due_at,
        )
    else:
        sla.clock_reassign(subject=duty, name=DONE_CLOCK, responsible=responsible)
        if previous_role != DutyRole.A and previous not in (None, getattr(responsible, "pk", None)):
            # They were told to cover; now someone else has it (A is back, or the roster changed).
            notify(
                recipients=User.objects.filter(pk=previous),
                hall_id=duty.hall_id,
                kind="duty_uncover",
                subject=_("You no longer cover %(chore)s on %(date)s") % {"chore": duty.chore.name, "date": duty.date},
                link=link,
            )
    if role != DutyRole.A and responsible is not None:
        notify(
            recipients=[responsible],
            hall_id=duty.hall_id,
            kind="duty_cover",
            subject=_("You cover for %(a)s today: %(chore)s at %(at)s")
            % {
                "a": duty.chore.a,
                "chore": duty.chore.name,
                "at": f"{timezone.localtime(duty.due_at, duty.hall.tz):%m-%d %H:%M}",
            },
            body=duty.reason_text,
            link=link,
        )


def _redecide(hall: Hall, days, actor=None) -> None:
    today = hall.today()
    for day in days:
        if day >= today and Duty.objects.filter(hall=hall, date=day).exists():
            duties_generate(hall=hall, date=day, actor=actor)


def may_mark_done(user, duty: Duty) -> bool:
    if user.pk == duty.responsible_id or user.is_superuser:
        return True
    return user.hall_id == duty.hall_id and user.has_role(Role.DUTY_MANAGER, Role.HALL_MANAGER)


def duty_complete(*, duty: Duty, actor, note: str = "") -> Duty:
    """Only the responsible person, a duty manager or the hall manager may mark a duty done."""
    if not may_mark_done(actor, duty):
        raise NotPermitted(_("Only the person responsible or a manager may mark this duty done."))

    def change(record, now):
        record.done_at, record.done_by, record.note = now, actor, note
        sla.clock_stop(subject=record, name=DONE_CLOCK, at=now)
        return ["done_at", "done_by", "note"]

    return transition(
        record=duty, action="done", moves=DUTY_MOVES, labels=DUTY_LABELS, actor=actor, change=change, note=note
    )


# Chores and their A and B


def _ensure_hall_manager(actor) -> None:
    if actor is not None and not actor.has_role(Role.HALL_MANAGER):
        raise NotPermitted(_("Only the hall manager assigns A and B."))


def _check_people(hall: Hall, a: User, b: User) -> None:
    for person in (a, b):
        if person.hall_id != hall.pk:
            raise ApplicationError(_("%(name)s is not a member of this hall.") % {"name": person})


def chore_create(*, hall: Hall, name: str, a: User, b: User, schedule: str, checklist: str = "", actor=None) -> Chore:
    _ensure_hall_manager(actor)
    _check_people(hall, a, b)
    with transaction.atomic():
        try:
            with transaction.atomic():
                chore = Chore.objects.create(
                    hall=hall, name=name, a=a, b=b, checklist=checklist, **parse_schedule(schedule)
                )
        except IntegrityError:
            raise ApplicationError(_("This hall already has a chore of that name.")) from None
        record_event(subject=chore, action="create", actor=actor, data={"a": a.pk, "b": b.pk, "schedule": schedule})
    return chore


def chore_assign(*, chore: Chore, a: User, b: User, actor=None) -> Chore:
    """Changes A and B (the hall manager only), on the chore's timeline; today's and later undone duties follow."""
    _ensure_hall_manager(actor)
    _check_people(chore.hall, a, b)
    with transaction.atomic():
        chore = Chore.objects.select_for_update().select_related("hall").get(pk=chore.pk)
        before = {"a": chore.a_id, "b": chore.b_id}
        chore.a, chore.b = a, b
        chore.save(update_fields=["a", "b"])
        record_event(subject=chore, action="assign", actor=actor, data={"from": before, "to": {"a": a.pk, "b": b.pk}})
        days = Duty.objects.filter(chore=chore, status=DutyStatus.OPEN).values_list("date", flat=True).distinct()
        _redecide(chore.hall, sorted(days), actor)
    return chore


# Leave


def leave_request(*, staff: User, start: dt.date, end: dt.date, reason: str = "", actor=None) -> Leave:
    if end < start:
        raise ApplicationError(_("The leave ends before it starts."))
    if staff.hall_id is None:
        raise ApplicationError(_("%(name)s belongs to no hall.") % {"name": staff})
    leave = Leave.objects.create(hall_id=staff.hall_id, staff=staff, start=start, end=end, reason=reason)
    record_event(subject=leave, action="request", actor=actor, to_status=LeaveStatus.REQUESTED, note=reason)
    return leave


LEAVE_MOVES = {
    "approve": {LeaveStatus.REQUESTED: LeaveStatus.APPROVED},
    "reject": {LeaveStatus.REQUESTED: LeaveStatus.REJECTED},
    "cancel": {LeaveStatus.REQUESTED: LeaveStatus.CANCELLED, LeaveStatus.APPROVED: LeaveStatus.CANCELLED},
}
LEAVE_LABELS = {
    "approve": gettext_lazy("approved"),
    "reject": gettext_lazy("rejected"),
    "cancel": gettext_lazy("cancelled"),
}


def _decide_leave(leave: Leave, action: str, actor, note: str = "") -> Leave:
    if actor is not None and not actor.has_role(Role.HALL_MANAGER):
        raise NotPermitted(_("Only the hall manager decides on leave."))

    def change(record, now):
        record.decided_by, record.decided_at = actor, now
        return ["decided_by", "decided_at"]

    return transition(
        record=leave, action=action, moves=LEAVE_MOVES, labels=LEAVE_LABELS, actor=actor, change=change, note=note
    )


def leave_approve(*, leave: Leave, actor=None) -> tuple[Leave, list[dict]]:
    """Approves; returns the chores left with neither A nor B on some day of the leave, as warnings."""
    with transaction.atomic():
        leave = _decide_leave(leave, "approve", actor)
        warnings = selectors.uncovered_chores(leave.hall, leave.start, leave.end)
        _redecide(leave.hall, days_between(leave.start, leave.end), actor)
        notify(
            recipients=[leave.staff],
            hall_id=leave.hall_id,
            kind="leave_approved",
            subject=_("Your leave %(start)s – %(end)s is approved") % {"start": leave.start, "end": leave.end},
            link=reverse("leave-list"),
        )
    return leave, warnings


def leave_reject(*, leave: Leave, actor=None, note: str = "") -> Leave:
    with transaction.atomic():
        leave = _decide_leave(leave, "reject", actor, note)
        notify(
            recipients=[leave.staff],
            hall_id=leave.hall_id,
            kind="leave_rejected",
            subject=_("Your leave %(start)s – %(end)s is not approved") % {"start": leave.start, "end": leave.end},
            body=note,
            link=reverse("leave-list"),
        )
    return leave


def may_cancel(leave: Leave, today: dt.date) -> bool:
    return leave.status in LEAVE_MOVES["cancel"] and leave.end >= today


def leave_cancel(*, leave: Leave, actor, note: str = "") -> Leave:
    """The person on leave takes back a request, or an approved leave that has not ended: the approved leave's
    days from today on are re-decided (A takes back what B covered) and the hall managers are told."""
    if actor.pk != leave.staff_id:
        raise NotPermitted(_("Only the person on leave cancels it."))

    def change(record, now):
        if record.end < record.hall.today():
            raise InvalidTransition(_("This leave is over and cannot be cancelled."))
        return []

    with transaction.atomic():
        was_approved = Leave.objects.select_for_update().get(pk=leave.pk).status == LeaveStatus.APPROVED
        leave = transition(
            record=leave, action="cancel", moves=LEAVE_MOVES, labels=LEAVE_LABELS, actor=actor, change=change, note=note
        )
        if was_approved:
            _redecide(leave.hall, days_between(leave.start, leave.end), actor)
            notify(
                recipients=User.objects.filter(hall_id=leave.hall_id, is_active=True, groups__name=Role.HALL_MANAGER),
                hall_id=leave.hall_id,
                kind="leave_cancelled",
                subject=_("%(name)s cancelled their leave %(start)s – %(end)s")
                % {"name": leave.staff, "start": leave.start, "end": leave.end},
                body=note,
                link=reverse("leave-list"),
            )
    return leave


# Shifts and the roster


def shift_create(
    *,
    hall: Hall,
    staff: User,
    date: dt.date,
    start: dt.time,
    end: dt.time,
    post: str = "",
    template: ShiftTemplate | None = None,
    actor=None,
) -> Shift:
    """Rosters a person; the database refuses a shift overlapping another of theirs."""
    if staff.hall_id != hall.pk:
        raise ApplicationError(_("%(name)s is not a member of this hall.") % {"name": staff})
    starts = dt.datetime.combine(date, start, tzinfo=hall.tz)
    ends = dt.datetime.combine(date if end > start else date + dt.timedelta(days=1), end, tzinfo=hall.tz)
    with transaction.atomic():
        try:
            with transaction.atomic():
                shift = Shift.objects.create(
                    hall=hall, staff=staff, date=date, start=starts, end=ends, post=post, template=template
                )
        except IntegrityError:
            raise ApplicationError(
                _("%(name)s already has a shift overlapping %(start)s–%(end)s on %(date)s.")
                % {"name": staff, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}", "date": date}
            ) from None
        record_event(subject=shift, action="roster", actor=actor, note=post)
        _tell_of_shift(shift, actor, _("You are rostered on %(date)s, %(start)s–%(end)s"))
        _redecide(hall, [date], actor)
    return shift


def shift_delete(*, shift: Shift, actor=None) -> None:
    with transaction.atomic():
        record_event(subject=shift, action="unroster", actor=actor)
        _tell_of_shift(shift, actor, _("Your shift on %(date)s, %(start)s–%(end)s is cancelled"))
        shift.delete()
        _redecide(shift.hall, [shift.date], actor)


def _tell_of_shift(shift: Shift, actor, message: str) -> None:
    """A person is told of a change to their future shift (unless they made it)."""
    if shift.start > timezone.now() and (actor is None or actor.pk != shift.staff_id):
        tz = shift.hall.tz
        notify(
            recipients=[shift.staff],
            hall_id=shift.hall_id,
            kind="shift_changed",
            subject=message
            % {
                "date": shift.date,
                "start": f"{timezone.localtime(shift.start, tz):%H:%M}",
                "end": f"{timezone.localtime(shift.end, tz):%H:%M}",
            },
            link=reverse("roster-week"),
        )


def roster_set_duty_manager(*, hall: Hall, date: dt.date, manager: User, actor=None) -> DutyManagerDay:
    if manager.hall_id != hall.pk or not manager.has_role(Role.DUTY_MANAGER, Role.HALL_MANAGER):
        raise ApplicationError(_("%(name)s is not a manager of this hall.") % {"name": manager})
    with transaction.atomic():
        day, _created = DutyManagerDay.objects.update_or_create(hall=hall, date=date, defaults={"manager": manager})
        record_event(subject=day, action="duty_manager", actor=actor, data={"manager": manager.pk})
        _redecide(hall, [date], actor)
    return day


def roster_clear_duty_manager(*, hall: Hall, date: dt.date, actor=None) -> None:
    """Takes the named duty manager off the day; the day falls back to everyone with the duty manager role."""
    with transaction.atomic():
        day = DutyManagerDay.objects.select_for_update().select_related("manager").filter(hall=hall, date=date).first()
        if day is None:
            raise InvalidTransition(_("Nobody is named duty manager on %(date)s.") % {"date": date})
        record_event(subject=day, action="duty_manager_clear", actor=actor, data={"manager": day.manager_id})
        day.delete()
        if date >= hall.today() and (actor is None or actor.pk != day.manager_id):
            notify(
                recipients=[day.manager],
                hall_id=hall.pk,
                kind="duty_manager_cleared",
                subject=_("You are no longer the duty manager on %(date)s") % {"date": date},
                link=reverse("roster-week"),
            )
        _redecide(hall, [date], actor)


# Calendar feed


def calendar_feed_rotate(*, user: User, actor) -> CalendarFeed:
    """A new secret for the person's iCal feed, so the old address answers 404; by the person or their hall
    manager, who tells them to subscribe again."""
    manages = actor.is_superuser or (actor.hall_id == user.hall_id and actor.has_role(Role.HALL_MANAGER))
    if actor.pk != user.pk and not manages:
        raise NotPermitted(_("Only the person or their hall manager gives a calendar a new address."))
    if not user.is_active:
        raise InvalidTransition(_("%(name)s has left; their calendar is closed.") % {"name": user})
    if user.hall_id is None:
        raise ApplicationError(_("%(name)s belongs to no hall.") % {"name": user})
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        feed.token = new_token()
        feed.save(update_fields=["token"])
        record_event(subject=user, action="calendar_feed_rotate", actor=actor)
        if actor.pk != user.pk:
            notify(
                recipients=[user],
                hall_id=user.hall_id,
                kind="calendar_feed_rotated",
                subject=_("Your calendar has a new address: subscribe to it again"),
                body=_("The old address no longer works. The new one is under My calendar on the duty board."),
                link=reverse("duty-board"),
            )
    return feed


# Handover


def handover_create(
    *,
    hall: Hall,
    author: User,
    shift_end: dt.datetime,
    note: str = "",
    incoming: User | None = None,
    extra_items: list[dict] = (),
) -> Handover:
    """The outgoing person's note, with the shift's open items listed automatically (and any the author adds);
    the incoming person (else the duty manager) has 30 minutes to acknowledge before the duty manager is
    reminded."""
    if incoming is not None and incoming.hall_id != hall.pk:
        raise ApplicationError(_("%(name)s is not a member of this hall.") % {"name": incoming})
    with transaction.atomic():
        handover = Handover.objects.create(
            hall=hall,
            author=author,
            incoming=incoming,
            shift_end=shift_end,
            note=note,
            open_items=[*selectors.open_items(hall), *extra_items],
        )
        record_event(subject=handover, action="hand_over", actor=author, to_status=HandoverStatus.OPEN, note=note)
        responsible = incoming or next(iter(responsible_managers(hall)), None)
        sla.clock_start(
            subject=handover,
            name=ACK_CLOCK,
            policy_key="handover-ack",
            responsible=responsible,
            label=_("Handover from %(author)s") % {"author": author},
            link=reverse("handover-list"),
        )
        if responsible is not None:
            notify(
                recipients=[responsible],
                hall_id=hall.pk,
                kind="handover",
                subject=_("%(author)s handed the shift over to you") % {"author": author},
                body=note,
                link=reverse("handover-list"),
            )
    return handover


def handover_acknowledge(*, handover: Handover, actor) -> Handover:
    """By the person taking over (anyone of the hall but its author when none was named) or a manager."""
    is_manager = actor.hall_id == handover.hall_id and actor.has_role(Role.DUTY_MANAGER, Role.HALL_MANAGER)
    taking_over = actor.pk == handover.incoming_id or (
        handover.incoming_id is None and actor.hall_id == handover.hall_id and actor.pk != handover.author_id
    )
    if not (taking_over or is_manager or actor.is_superuser):
        raise NotPermitted(_("Only the person taking over acknowledges this handover."))

    def change(record, now):
        record.acknowledged_at = now
        record.incoming = record.incoming or actor
        sla.clock_stop(subject=record, name=ACK_CLOCK, at=now)
        return ["acknowledged_at", "incoming"]

    return transition(
        record=handover,
        action="acknowledge",
        moves=HANDOVER_MOVES,
        labels=HANDOVER_LABELS,
        actor=actor,
        change=change,
    )
