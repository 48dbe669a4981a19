"""Leave, shifts, the duty manager of a day and a person's calendar address. Each change re-decides the undone
duties of the days it touches (staff.services.duties_redecide)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hall.errors import ApplicationError, InvalidTransition, NotPermitted
from hall.models import DutyManagerDay, Hall, Role, User, new_token
from hall.notifications import notify
from hall.people import can_do
from hall.timeline import record_event
from hall.workflow import transition
from staff import selectors
from staff.dates import days_between
from staff.models import CalendarFeed, Leave, LeaveStatus, Shift, ShiftTemplate
from staff.services import duties_redecide

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
        duties_redecide(hall=leave.hall, days=days_between(leave.start, leave.end), actor=actor)
        notify(
            recipients=[leave.staff],
            hall_id=leave.hall_id,
            kind="leave_approved",
            params={"first_date": leave.start, "last_date": leave.end},
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
            params={"first_date": leave.start, "last_date": leave.end},
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
            duties_redecide(hall=leave.hall, days=days_between(leave.start, leave.end), actor=actor)
            notify(
                recipients=User.objects.filter(hall_id=leave.hall_id, is_active=True, groups__name=Role.HALL_MANAGER),
                hall_id=leave.hall_id,
                kind="leave_cancelled",
                params={"name": str(leave.staff), "first_date": leave.start, "last_date": leave.end},
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
        _tell_of_shift(shift, actor, "rostered")
        duties_redecide(hall=hall, days=[date], actor=actor)
    return shift


def shift_delete(*, shift: Shift, actor=None) -> None:
    with transaction.atomic():
        record_event(subject=shift, action="unroster", actor=actor)
        _tell_of_shift(shift, actor, "cancelled")
        shift.delete()
        duties_redecide(hall=shift.hall, days=[shift.date], actor=actor)


def _tell_of_shift(shift: Shift, actor, change: str) -> None:
    """A person is told of a change to their future shift (unless they made it)."""
    if shift.start > timezone.now() and (actor is None or actor.pk != shift.staff_id):
        tz = shift.hall.tz
        notify(
            recipients=[shift.staff],
            hall_id=shift.hall_id,
            kind="shift_changed",
            params={
                "variant": change,
                "shift_date": shift.date,
                "start": f"{timezone.localtime(shift.start, tz):%H:%M}",
                "end": f"{timezone.localtime(shift.end, tz):%H:%M}",
            },
            link=reverse("roster-week"),
        )


def roster_set_duty_manager(*, hall: Hall, date: dt.date, manager: User, actor=None) -> DutyManagerDay:
    if not can_do(manager, hall, (Role.DUTY_MANAGER, Role.HALL_MANAGER)):
        raise ApplicationError(_("%(name)s is not a manager of this hall.") % {"name": manager})
    with transaction.atomic():
        day, _created = DutyManagerDay.objects.update_or_create(hall=hall, date=date, defaults={"manager": manager})
        record_event(subject=day, action="duty_manager", actor=actor, data={"manager": manager.pk})
        duties_redecide(hall=hall, days=[date], actor=actor)
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
                params={"duty_date": date},
                link=reverse("roster-week"),
            )
        duties_redecide(hall=hall, days=[date], actor=actor)


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
                link=reverse("duty-board"),
            )
    return feed
