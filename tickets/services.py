"""Queue tickets and counters: every write goes through these functions."""

from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hall.db import next_value
from hall.errors import CounterBusy, CounterNotOpen, InvalidTransition, QuotaReached
from hall.models import Hall
from hall.notifications import notify
from hall.timeline import insert_with_event, record_event
from hall.workflow import transition
from tickets import policies, queries, selectors
from tickets.models import (
    ACTIVE_STATUSES,
    BusinessType,
    Channel,
    Counter,
    CounterStatus,
    Priority,
    Rating,
    Ticket,
    TicketCall,
    TicketSequence,
    TicketStint,
)
from tickets.models import TicketStatus as S

MAX_RECALLS = 2

# The one map of allowed moves: action -> {from status: to status}.
TRANSITIONS = {
    "call": {S.WAITING: S.CALLED},
    "recall": {S.CALLED: S.CALLED},
    "start": {S.CALLED: S.SERVING},
    "finish": {S.SERVING: S.DONE},
    "no_show": {S.CALLED: S.NO_SHOW},
    "reactivate": {S.NO_SHOW: S.WAITING},
    "cancel": {S.WAITING: S.CANCELLED, S.CALLED: S.CANCELLED},
    "transfer": {S.WAITING: S.WAITING, S.CALLED: S.WAITING, S.SERVING: S.WAITING},
    "expire": {S.WAITING: S.CANCELLED, S.CALLED: S.CANCELLED, S.SERVING: S.CANCELLED},
}

COUNTER_TRANSITIONS = {
    "open": {CounterStatus.CLOSED: CounterStatus.OPEN, CounterStatus.PAUSED: CounterStatus.OPEN},
    "pause": {CounterStatus.OPEN: CounterStatus.PAUSED},
    "close": {CounterStatus.OPEN: CounterStatus.CLOSED, CounterStatus.PAUSED: CounterStatus.CLOSED},
}


def _queue_changed(hall_id: int) -> None:
    transaction.on_commit(lambda: selectors.board_changed(hall_id))


# Issuing


def ticket_issue(
    *,
    hall: Hall,
    business_type: BusinessType,
    priority: str = Priority.NORMAL,
    phone: str = "",
    channel: str = Channel.KIOSK,
    actor=None,
) -> Ticket:
    if business_type.hall_id != hall.pk or not business_type.is_active:
        raise InvalidTransition(_("This business is not offered in this hall."))
    now = timezone.now()
    service_date = hall.today()
    # Read before the transaction, which holds the sequence row every other kiosk of this type waits for.
    service_minutes = selectors.mean_service_minutes(business_type)
    with transaction.atomic():
        # The sequence row stays locked until this commits: kiosks of this type take their numbers one by one.
        seq = next_value(
            TicketSequence,
            limit=business_type.daily_quota,
            hall_id=hall.pk,
            business_type_id=business_type.pk,
            service_date=service_date,
        )
        if seq is None:
            raise QuotaReached
        ticket = Ticket(
            hall=hall,
            business_type=business_type,
            issued_type=business_type,
            service_date=service_date,
            seq=seq,
            number=f"{business_type.code}{seq:03d}",
            priority=priority,
            phone=phone,
            channel=channel,
            issued_at=now,
        )
        # Counted before the insert, so the row is written once: the sequence row locked above already
        # orders this ticket after every earlier one of its type.
        ahead, open_counters = queries.queue_at_issue(ticket)
        ticket.position_at_issue = ahead
        ticket.predicted_wait_minutes = selectors.wait_minutes(ahead, service_minutes, open_counters)
        insert_with_event(ticket, action="issue", actor=actor, to_status=S.WAITING, at=now, data={"channel": channel})
        _queue_changed(hall.pk)
    return ticket


# Calling


def ticket_call_next(*, counter: Counter, actor=None) -> Ticket | None:
    """Calls the counter's next ticket; None when nobody it may call is waiting."""
    now = timezone.now()
    with transaction.atomic():
        counter = (
            Counter.objects.select_for_update(no_key=True, of=("self",))
            .select_related("hall")
            .prefetch_related("services")
            .get(pk=counter.pk)
        )
        policies.ensure_may_work_counter(actor, counter, "call")
        if counter.status != CounterStatus.OPEN:
            raise CounterNotOpen
        if Ticket.objects.filter(counter=counter, status__in=ACTIVE_STATUSES).exists():
            raise CounterBusy
        ticket = _pick_next(counter, now)
        if ticket is None:
            return None
        _update_priority_streak(counter, ticket)
        ticket.status = S.CALLED
        ticket.counter = counter
        ticket.served_by_id = actor.pk if actor is not None and actor.is_authenticated else counter.clerk_id
        ticket.called_at = ticket.called_at or now
        ticket.target_counter = None
        ticket.target_clerk = None
        ticket.save(update_fields=["status", "counter", "served_by", "called_at", "target_counter", "target_clerk"])
        TicketCall.objects.create(hall_id=counter.hall_id, ticket=ticket, counter=counter, at=now)
        record_event(
            subject=ticket,
            action="call",
            actor=actor,
            from_status=S.WAITING,
            to_status=S.CALLED,
            at=now,
            data={"counter": counter.number},
        )
        _queue_changed(counter.hall_id)
    return ticket


def _pick_next(counter: Counter, now) -> Ticket | None:
    """Priority first unless the counter already called its limit of priority tickets in a row."""
    classes = [Priority.PRIORITY, Priority.NORMAL]
    if counter.priority_streak >= counter.hall.priority_streak_limit:
        classes.reverse()
    for priority in classes:
        ticket = _best_of_class(counter, priority, now)
        if ticket is not None:
            return ticket
    return None


def _waiting_for(counter: Counter):
    return Ticket.objects.filter(hall_id=counter.hall_id, status=S.WAITING)


def _lock_first(queryset) -> Ticket | None:
    # skip_locked: a head another counter is taking right now is passed over, never taken twice.
    return queryset.select_for_update(skip_locked=True, no_key=True).order_by("issued_at", "id").first()


def _best_of_class(counter: Counter, priority: str, now) -> Ticket | None:
    """A ticket transferred to this counter or its clerk first; otherwise the head of the type whose
    wait, times the type's weight at this counter, is longest."""
    waiting = _waiting_for(counter).filter(priority=priority)
    directed = waiting.filter(target_counter=counter)
    if counter.clerk_id:
        directed = directed | waiting.filter(target_clerk_id=counter.clerk_id)
    ticket = _lock_first(directed)
    if ticket is not None:
        return ticket
    undirected = waiting.filter(target_counter__isnull=True, target_clerk__isnull=True)
    weights = {service.business_type_id: service.weight for service in counter.services.all()}
    heads = (
        undirected.filter(business_type_id__in=weights)
        .values_list("business_type_id")
        .annotate(oldest=Min("issued_at"))
        .values_list("business_type_id", "oldest")
    )
    # Rank the types without locking, then lock one ticket only, in the best type that still has one free.
    ranked = sorted(heads, key=lambda head: (-(now - head[1]).total_seconds() * weights[head[0]], head[1]))
    for business_type_id, _oldest in ranked:
        ticket = _lock_first(undirected.filter(business_type_id=business_type_id))
        if ticket is not None:
            return ticket
    return None


def _update_priority_streak(counter: Counter, ticket: Ticket) -> None:
    normal_waits = (
        ticket.priority == Priority.PRIORITY
        and _waiting_for(counter)
        .filter(priority=Priority.NORMAL, business_type__in=counter.business_types.all())
        .exists()
    )
    streak = counter.priority_streak + 1 if normal_waits else 0
    if streak != counter.priority_streak:
        counter.priority_streak = streak
        counter.save(update_fields=["priority_streak"])


# Transitions of a called ticket


def _transition(*, ticket: Ticket, action: str, actor=None, change=None, **kwargs) -> Ticket:
    def checked_change(t, now):
        # Under the ticket's lock, before anything is saved.
        policies.ensure_may_move_ticket(actor, t, action)
        fields = change(t, now) if change else ()
        if action == "start":
            TicketStint.objects.create(
                hall_id=t.hall_id,
                ticket=t,
                service_date=t.service_date,
                business_type_id=t.business_type_id,
                counter_id=t.counter_id,
                clerk_id=t.served_by_id,
                started_at=now,
            )
        elif action in STINT_ENDS:
            TicketStint.objects.filter(ticket=t, ended_at__isnull=True).update(
                ended_at=now, transferred=action == "transfer"
            )
        return fields

    ticket = transition(
        record=ticket,
        action=action,
        moves=TRANSITIONS,
        labels=ACTION_LABELS,
        actor=actor,
        change=checked_change,
        **kwargs,
    )
    _queue_changed(ticket.hall_id)
    return ticket


# The moves that end a ticket's spell at a counter, if it has one.
STINT_ENDS = {"finish", "transfer", "expire", "cancel", "no_show"}

ACTION_LABELS = {
    "call": gettext_lazy("called"),
    "recall": gettext_lazy("recalled"),
    "start": gettext_lazy("started"),
    "finish": gettext_lazy("finished"),
    "no_show": gettext_lazy("marked no-show"),
    "reactivate": gettext_lazy("reactivated"),
    "cancel": gettext_lazy("cancelled"),
    "transfer": gettext_lazy("transferred"),
    "expire": gettext_lazy("expired"),
}


def ticket_recall(*, ticket: Ticket, actor=None) -> Ticket:
    def change(t, now):
        if t.recall_count >= MAX_RECALLS:
            raise InvalidTransition(_("The ticket was already recalled twice; mark it a no-show."))
        t.recall_count += 1
        TicketCall.objects.create(hall_id=t.hall_id, ticket=t, counter_id=t.counter_id, at=now, is_recall=True)
        return ["recall_count"]

    return _transition(ticket=ticket, action="recall", actor=actor, change=change)


def ticket_start(*, ticket: Ticket, actor=None) -> Ticket:
    def change(t, now):
        t.started_at = now
        return ["started_at"]

    return _transition(ticket=ticket, action="start", actor=actor, change=change)


def _finished(ticket, now):
    ticket.finished_at = now
    return ["finished_at"]


def ticket_finish(*, ticket: Ticket, actor=None, note: str = "") -> Ticket:
    def change(t, now):
        transaction.on_commit(lambda: selectors.service_time_changed(t.business_type_id))
        return _finished(t, now)

    return _transition(ticket=ticket, action="finish", actor=actor, note=note, change=change)


def ticket_no_show(*, ticket: Ticket, actor=None) -> Ticket:
    return _transition(ticket=ticket, action="no_show", actor=actor, change=_finished)


def ticket_reactivate(*, ticket: Ticket, actor=None) -> Ticket:
    """A no-show customer who turns up again goes back to the queue at their original place."""

    def change(t, now):
        if t.service_date != t.hall.today():
            raise InvalidTransition(_("Only today's tickets can be reactivated."))
        t.counter = None
        t.finished_at = None
        t.recall_count = 0
        return ["counter", "finished_at", "recall_count"]

    return _transition(ticket=ticket, action="reactivate", actor=actor, change=change)


def ticket_cancel(*, ticket: Ticket, actor=None, note: str = "") -> Ticket:
    return _transition(ticket=ticket, action="cancel", actor=actor, note=note, change=_finished)


def ticket_transfer(
    *,
    ticket: Ticket,
    actor=None,
    business_type: BusinessType | None = None,
    counter: Counter | None = None,
    clerk=None,
    note: str = "",
) -> Ticket:
    """Back to the queue under another type, counter or clerk, keeping its number and issue time,
    so it goes ahead of everyone who came after it."""
    if business_type is None and counter is None and clerk is None:
        raise InvalidTransition(_("Say where the ticket goes: a business type, a counter or a clerk."))
    for target in (business_type, counter, clerk):
        if target is not None and target.hall_id != ticket.hall_id:
            raise InvalidTransition(_("A ticket can only be transferred within its hall."))

    def change(t, now):
        t.business_type = business_type or t.business_type
        t.target_counter = counter
        t.target_clerk = clerk
        t.counter = None
        t.started_at = None
        t.recall_count = 0
        return ["business_type", "target_counter", "target_clerk", "counter", "started_at", "recall_count"]

    data = {
        "business_type": business_type.code if business_type else None,
        "counter": counter.number if counter else None,
        "clerk": clerk.pk if clerk else None,
    }
    # The clerk's notification commits with the transfer or not at all (the outbox's promise).
    with transaction.atomic():
        ticket = _transition(ticket=ticket, action="transfer", actor=actor, note=note, change=change, data=data)
        if clerk is not None:
            notify(
                recipients=[clerk],
                hall_id=ticket.hall_id,
                kind="ticket_transferred",
                params={"number": ticket.number},
                body=note,
            )
    return ticket


def ticket_rate(*, ticket: Ticket, score: int, comment: str = "") -> Rating:
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update(no_key=True).get(pk=ticket.pk)
        if ticket.status != S.DONE:
            raise InvalidTransition(_("Only a finished visit can be rated."))
        if Rating.objects.filter(ticket=ticket).exists():
            raise InvalidTransition(_("This visit has already been rated."))
        try:
            with transaction.atomic():
                rating = Rating.objects.create(ticket=ticket, score=score, comment=comment)
        except IntegrityError as exc:
            raise InvalidTransition(_("This visit has already been rated.")) from exc
        record_event(subject=ticket, action="rate", data={"score": score})
    return rating


def tickets_expire_stale(*, today=None) -> int:
    """Closes tickets left open from earlier days (the queue starts empty every morning)."""
    expired = 0
    for hall in Hall.objects.all():
        stale = Ticket.objects.filter(
            hall=hall, service_date__lt=today or hall.today(), status__in=[S.WAITING, *ACTIVE_STATUSES]
        )
        for ticket in stale.iterator():
            _transition(ticket=ticket, action="expire", note=_("Still open at the end of the day."), change=_finished)
            expired += 1
    return expired


# Counters


def _counter_transition(*, counter: Counter, action: str, actor=None, change=None) -> Counter:
    with transaction.atomic():
        # Locked first so that who may act is decided on the state the action will change.
        locked = Counter.objects.select_for_update(no_key=True).get(pk=counter.pk)
        policies.ensure_may_work_counter(actor, locked, action)
        counter = transition(
            record=locked,
            action=action,
            moves=COUNTER_TRANSITIONS,
            labels=COUNTER_ACTION_LABELS,
            actor=actor,
            change=change,
            event_action=f"counter_{action}",
            # A close names the clerk it signed out too: a manager may close a counter for its clerk.
            data={"clerk": locked.clerk_id} if action == "close" else None,
        )
        _queue_changed(counter.hall_id)
    return counter


COUNTER_ACTION_LABELS = {
    "open": gettext_lazy("opened"),
    "pause": gettext_lazy("paused"),
    "close": gettext_lazy("closed"),
}


def counter_open(*, counter: Counter, actor=None) -> Counter:
    def change(c, now):
        if actor is not None and actor.is_authenticated:
            c.clerk = actor
        c.priority_streak = 0
        return ["clerk", "priority_streak"]

    return _counter_transition(counter=counter, action="open", actor=actor, change=change)


def counter_pause(*, counter: Counter, actor=None) -> Counter:
    return _counter_transition(counter=counter, action="pause", actor=actor)


def counter_close(*, counter: Counter, actor=None) -> Counter:
    def change(c, now):
        if Ticket.objects.filter(counter=c, status__in=ACTIVE_STATUSES).exists():
            raise CounterBusy(_("Finish, transfer or cancel the current ticket before closing the counter."))
        c.clerk = None
        return ["clerk"]

    return _counter_transition(counter=counter, action="close", actor=actor, change=change)
