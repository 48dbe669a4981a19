"""AB-role chores and the day's duties (leave, shifts and duty managers are in roster_services, handovers in
handover_services).

A person works a day when rostered that day and not on approved leave; on a day the hall has no roster at
all, everyone not on leave works. Each day's duty goes to the chore's A if A works, else to B (who is told),
else to the duty manager of the day. Duties are re-decided whenever a leave or a shift changes.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from hall import sla
from hall.errors import ApplicationError, NotPermitted
from hall.models import HALL_ROLES, Hall, Role, User
from hall.notifications import notify
from hall.people import can_do, responsible_managers
from hall.timeline import record_event
from hall.workflow import transition
from staff import selectors
from staff.models import Chore, Duty, DutyRole, DutyStatus
from staff.schedules import due_at, falls_on, parse_schedule

# Chores are the hall's own: neither repair workers nor accounts without a role (administrators) do them.
CHORE_ROLES = HALL_ROLES
DONE_CLOCK = "done"  # a grace clock: hall.sla.GRACE_CLOCKS names it
DUTY_MOVES = {"done": {DutyStatus.OPEN: DutyStatus.DONE}}
DUTY_LABELS = {"done": gettext_lazy("marked done")}

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
            label=(
                gettext_noop("Duty %(chore)s on %(date)s"),
                {"chore": duty.chore.name, "date": f"{duty.date:%m-%d}"},
            ),
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
                params={"chore": duty.chore.name, "duty_date": duty.date},
                link=link,
            )
    if role != DutyRole.A and responsible is not None:
        notify(
            recipients=[responsible],
            hall_id=duty.hall_id,
            kind="duty_cover",
            params={
                "a": str(duty.chore.a),
                "chore": duty.chore.name,
                "due_at": timezone.localtime(duty.due_at, duty.hall.tz),
            },
            body=duty.reason_text,
            link=link,
        )


def duties_redecide(*, hall: Hall, days, actor=None) -> None:
    """Re-decides who is responsible for the undone duties of the given days from today on (a leave, a shift or
    A and B changed)."""
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
        if not can_do(person, hall, CHORE_ROLES):
            raise ApplicationError(_("%(name)s is not one of this hall's people who do its chores.") % {"name": person})


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
        duties_redecide(hall=chore.hall, days=sorted(days), actor=actor)
    return chore
