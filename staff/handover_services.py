"""Handovers at the end of a shift: the outgoing person's note and open items, acknowledged by whoever takes over."""

import datetime as dt

from django.db import transaction
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
from staff.models import Handover, HandoverStatus

ACK_CLOCK = "acknowledge"
HANDOVER_MOVES = {"acknowledge": {HandoverStatus.OPEN: HandoverStatus.ACKNOWLEDGED}}
HANDOVER_LABELS = {"acknowledge": gettext_lazy("acknowledged")}
# A shift of the hall is taken over by its people: neither a repair worker nor an administrator without a role.
INCOMING_ROLES = HALL_ROLES


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
    reminded. It is recorded as handed over now (`created_at`); `shift_end` is the shift's planned end."""
    if incoming is not None and not can_do(incoming, hall, INCOMING_ROLES):
        raise ApplicationError(
            _("%(name)s is not one of this hall's people who can take a shift over.") % {"name": incoming}
        )
    with transaction.atomic():
        handover = Handover.objects.create(
            hall=hall,
            author=author,
            incoming=incoming,
            shift_end=shift_end,
            created_at=timezone.now(),
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
            label=(gettext_noop("Handover from %(author)s"), {"author": str(author)}),
            link=reverse("handover-list"),
        )
        if responsible is not None:
            notify(
                recipients=[responsible],
                hall_id=hall.pk,
                kind="handover",
                params={"author": str(author), **handed_over_times(handover, hall.tz)},
                body=note,
                link=reverse("handover-list"),
            )
    return handover


def handed_over_times(handover: Handover, tz) -> dict[str, str]:
    """The day and time the shift was handed over and its planned end (with its day when that is another), in
    the hall's time zone `tz`, as the texts show them: "15:20 交班（班次至 17:30）"."""
    at, end = (timezone.localtime(moment, tz) for moment in (handover.created_at, handover.shift_end))
    planned = f"{end:%H:%M}" if end.date() == at.date() else f"{end:%m-%d %H:%M}"
    return {"day": f"{at:%m-%d}", "at": f"{at:%H:%M}", "end": planned}


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
