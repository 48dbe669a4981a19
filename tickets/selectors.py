"""Reads for the queue screens: positions, predicted waits, the board and the floor."""

import math
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Avg, Count, Exists, F, Min, OuterRef, Q, Subquery
from django.utils import timezone

from hall.cache import Kept
from hall.models import Hall
from tickets.models import (
    ACTIVE_STATUSES,
    SATISFIED_SCORE,
    BusinessType,
    Counter,
    CounterStatus,
    Priority,
    Rating,
    Ticket,
    TicketCall,
    TicketStatus,
)

# Every kiosk press needs its hall's business types and each type's mean service time: this process keeps them
# (see hall.cache.Kept) and forgets them at once when it saves a hall or a type itself.
_issuing_types = Kept()
# The mean service time, an estimate, is shared for a minute and kept in front of that.
_service_minutes = Kept("service-minutes", shared_seconds=60)
# The board every display polls, until a change to the queue commits.
_boards = Kept("board", seconds=0, shared_seconds=settings.BOARD_CACHE_SECONDS)


SERVICE_TIME_SAMPLE = 20
SERVICE_TIME_MIN_SAMPLES = 3
SERVICE_TIME_WINDOW = timedelta(days=7)


def issuing_business_type(hall: Hall, code: str) -> BusinessType | None:
    """The hall's active business type with that letter, from the copy this process keeps."""
    types = _issuing_types.get(
        hall.pk, lambda: {bt.code: bt for bt in BusinessType.objects.filter(hall=hall, is_active=True).order_by()}
    )
    return types.get(code)


def issuing_reference_changed(**kwargs) -> None:
    """Signal receiver: a hall or business type saved or deleted here is read afresh by the next issue."""
    _issuing_types.forget()
    _service_minutes.forget()


def service_time_changed(business_type_id: int) -> None:
    """Called after a ticket of the type finished: the next estimate learns from it."""
    _service_minutes.forget(business_type_id)


def mean_service_minutes(business_type: BusinessType) -> float:
    """Mean real service time of the type's recent tickets; the type's default before there is history."""
    return _service_minutes.get(business_type.pk, lambda: _mean_service_minutes(business_type))


def _mean_service_minutes(business_type: BusinessType) -> float:
    since = timezone.now() - SERVICE_TIME_WINDOW
    rows = list(
        Ticket.objects.filter(
            business_type=business_type, status=TicketStatus.DONE, finished_at__gte=since, started_at__isnull=False
        )
        .order_by("-finished_at")
        .values_list("started_at", "finished_at")[:SERVICE_TIME_SAMPLE]
    )
    if len(rows) < SERVICE_TIME_MIN_SAMPLES:
        minutes = float(business_type.default_service_minutes)
    else:
        minutes = sum((end - start).total_seconds() for start, end in rows) / len(rows) / 60
    return minutes


def open_counters_serving(business_type: BusinessType) -> int:
    return Counter.objects.filter(business_types=business_type, status=CounterStatus.OPEN).count()


def people_ahead(ticket: Ticket) -> int:
    """Waiting tickets of the same type that will be called before this one: a priority ticket waits for the
    priority ones issued before it, a normal one for every one issued before it and every priority one.
    The kiosk counts it in SQL (tickets.queries.queue_at_issue); a test holds the two to the same answers."""
    waiting = Ticket.objects.filter(
        hall_id=ticket.hall_id, business_type_id=ticket.business_type_id, status=TicketStatus.WAITING
    )
    # A ticket not saved yet (being issued) comes after every one issued at the same instant.
    same_instant = Q(issued_at=ticket.issued_at, id__lt=ticket.id) if ticket.id else Q(issued_at=ticket.issued_at)
    earlier = Q(issued_at__lt=ticket.issued_at) | same_instant
    if ticket.priority == Priority.PRIORITY:
        return waiting.filter(earlier, priority=Priority.PRIORITY).count()
    return waiting.filter(earlier | Q(priority=Priority.PRIORITY)).exclude(id=ticket.id).count()


def predicted_wait_minutes(business_type: BusinessType, ahead: int) -> int | None:
    return wait_minutes(ahead, mean_service_minutes(business_type), open_counters_serving(business_type))


def wait_minutes(ahead: int, service_minutes: float, open_counters: int) -> int | None:
    """None while no open counter serves the type: any number would be a promise nobody keeps."""
    if not open_counters:
        return None
    return math.ceil(ahead * service_minutes / open_counters)


def counters_open_at(ticket: Ticket, wait: int | None) -> str | None:
    """When the hall's counters usually open, told instead of a wait for a waiting ticket no open counter serves."""
    if ticket.status != TicketStatus.WAITING or wait is not None:
        return None
    return ticket.hall.opens_at.strftime("%H:%M")


def ticket_progress(ticket: Ticket) -> dict:
    """Live place in the queue for a waiting ticket (None otherwise)."""
    if ticket.status != TicketStatus.WAITING:
        return {"position": None, "predicted_wait_minutes": None, "counters_open_at": None}
    ahead = people_ahead(ticket)
    wait = predicted_wait_minutes(ticket.business_type, ahead)
    return {"position": ahead, "predicted_wait_minutes": wait, "counters_open_at": counters_open_at(ticket, wait)}


def kiosk_types(hall: Hall) -> list[dict]:
    """waiting_by_type, each type saying whether an open counter serves it now."""
    served = set(
        BusinessType.objects.filter(hall=hall, counters__status=CounterStatus.OPEN).values_list("code", flat=True)
    )
    return [{**row, "served_now": row["type"].code in served} for row in waiting_by_type(hall)]


def waiting_counts(hall: Hall) -> dict[str, int]:
    counts = dict(
        Ticket.objects.filter(hall=hall, status=TicketStatus.WAITING)
        .values_list("business_type__code")
        .annotate(n=Count("id"))
        .values_list("business_type__code", "n")
    )
    return {bt.code: counts.get(bt.code, 0) for bt in hall.business_types.filter(is_active=True)}


def board_changed(hall_id: int) -> None:
    """Called after a commit that changes the queue: the next board read is computed afresh."""
    _boards.forget(hall_id)


def cached_board_snapshot(hall_id: int) -> dict | None:
    return _boards.peek(hall_id)


def board_snapshot(hall: Hall, recent: int = 10) -> dict:
    return _boards.get(hall.pk, lambda: _compute_board(hall, recent))


def _compute_board(hall: Hall, recent: int) -> dict:
    # Each number once, by its last call, and only while the ticket is still with the counter that called it:
    # a recall replaces the call it repeats; a transfer or a reactivation takes the number off the board.
    today = TicketCall.objects.filter(hall=hall, at__gte=start_of_day(hall)).order_by("-at", "-id")
    later_call = TicketCall.objects.filter(ticket_id=OuterRef("ticket_id"), id__gt=OuterRef("id"))
    calls = list(
        today.filter(ticket__counter_id=F("counter_id"))
        .filter(~Exists(later_call))
        # The hall's very last call: the "now calling" panel shows it only while it stands; when its ticket was
        # transferred away, no older call takes its place there.
        .annotate(last_call=Subquery(today.values("id")[:1]))
        .values("id", "ticket__number", "counter__number", "at", "is_recall", "last_call")[:recent]
    )
    return {
        "now_calling": calls[0]["id"] if calls and calls[0]["id"] == calls[0]["last_call"] else None,
        "recent_calls": [
            {
                "id": call["id"],
                "number": call["ticket__number"],
                "counter": call["counter__number"],
                "called_at": timezone.localtime(call["at"], hall.tz).isoformat(),
                "recall": call["is_recall"],
            }
            for call in calls
        ],
        "waiting": waiting_counts(hall),
    }


def floor_snapshot(hall: Hall) -> dict:
    """The duty manager's live view: per type waiting and longest wait, and every counter's state."""
    now = timezone.now()
    per_type = {
        row["business_type"]: row
        for row in Ticket.objects.filter(hall=hall, status=TicketStatus.WAITING)
        .values("business_type")
        .annotate(waiting=Count("id"), oldest=Min("issued_at"))
    }
    types = [
        {
            "type": bt,
            "waiting": per_type.get(bt.pk, {}).get("waiting", 0),
            "longest_wait_minutes": int((now - per_type[bt.pk]["oldest"]).total_seconds() // 60)
            if bt.pk in per_type
            else 0,
            "open_counters": sum(1 for c in bt.counters.all() if c.status == CounterStatus.OPEN),
        }
        for bt in hall.business_types.filter(is_active=True).prefetch_related("counters")
    ]
    active = {
        t.counter_id: t
        for t in Ticket.objects.filter(hall=hall, status__in=ACTIVE_STATUSES).select_related("business_type")
    }
    served_today = dict(
        Ticket.objects.filter(hall=hall, service_date=hall.today(), status=TicketStatus.DONE)
        .values_list("counter")
        .annotate(n=Count("id"))
        .values_list("counter", "n")
    )
    counters = [
        {
            "counter": counter,
            "ticket": active.get(counter.pk),
            "busy_minutes": int(
                (now - (active[counter.pk].started_at or active[counter.pk].called_at)).total_seconds() // 60
            )
            if counter.pk in active
            else None,
            "served_today": served_today.get(counter.pk, 0),
        }
        for counter in hall.counters.select_related("clerk").prefetch_related("business_types")
    ]
    return {"types": types, "counters": counters, "at": now}


def tickets_today(hall: Hall):
    return Ticket.objects.filter(hall=hall, service_date=hall.today()).select_related(
        "business_type", "counter", "served_by"
    )


def counter_current_ticket(counter: Counter) -> Ticket | None:
    return (
        Ticket.objects.filter(counter=counter, status__in=ACTIVE_STATUSES)
        .select_related("business_type", "issued_type")
        .first()
    )


def counter_last_finished(counter: Counter, within: timedelta = timedelta(minutes=10)) -> Ticket | None:
    """The ticket the counter's rating pad asks about: finished lately and not yet rated."""
    return (
        Ticket.objects.filter(
            counter=counter, status=TicketStatus.DONE, finished_at__gte=timezone.now() - within, rating__isnull=True
        )
        .order_by("-finished_at")
        .first()
    )


def start_of_day(hall: Hall) -> datetime:
    return datetime.combine(hall.today(), time.min, tzinfo=hall.tz)


def waiting_by_type(hall: Hall) -> list[dict]:
    """The hall's active business types in display order, each with how many tickets wait for it."""
    counts = waiting_counts(hall)
    return [
        {"type": bt, "waiting": counts.get(bt.code, 0)}
        for bt in hall.business_types.filter(is_active=True).order_by("sort_order", "code")
    ]


def clerk_day(user, hall: Hall) -> dict:
    """The clerk's own day at the counters: visits finished, mean handling time, ratings and share satisfied."""
    day = Ticket.objects.filter(
        hall=hall, served_by_id=user.pk, service_date=hall.today(), status=TicketStatus.DONE
    ).aggregate(
        served=Count("id"),
        handling=Avg(F("finished_at") - F("started_at")),
        rated=Count("rating"),
        satisfied=Count("rating", filter=Q(rating__score__gte=SATISFIED_SCORE)),
    )
    handling = day["handling"]
    return {
        "served": day["served"],
        "handling_minutes": round(handling.total_seconds() / 60, 1) if handling is not None else None,
        "rated": day["rated"],
        "satisfied_percent": round(100 * day["satisfied"] / day["rated"]) if day["rated"] else None,
    }


def counter_no_shows_today(counter: Counter):
    return Ticket.objects.filter(
        counter=counter, status=TicketStatus.NO_SHOW, service_date=counter.hall.today()
    ).select_related("business_type")


def transfer_targets(counter: Counter) -> dict:
    """Where the counter may send a ticket: the hall's business types, its other counters, its clerks."""
    from hall.models import Role, User

    hall_id = counter.hall_id
    return {
        "types": BusinessType.objects.filter(hall_id=hall_id, is_active=True).order_by("sort_order", "code"),
        "counters": Counter.objects.filter(hall_id=hall_id).exclude(pk=counter.pk).order_by("number"),
        "clerks": User.objects.filter(hall_id=hall_id, is_active=True, groups__name=Role.CLERK)
        .exclude(pk=counter.clerk_id)
        .order_by("username")
        .distinct(),
    }


def counter_numbers_by_clerk(hall_id: int) -> dict[int, list[int]]:
    """The numbers of the hall's counters each clerk works, by the clerk's id: how a customer knows who served them."""
    found = {}
    for clerk_id, number in (
        Counter.objects.filter(hall_id=hall_id, clerk__isnull=False)
        .values_list("clerk_id", "number")
        .order_by("number")
    ):
        found.setdefault(clerk_id, []).append(number)
    return found


def served_with_phone(hall: Hall, day) -> list[tuple[int, int | None, str]]:
    """(ticket id, clerk id, phone) of the day's tickets served to the end that left a phone, by id: what the
    sampled callbacks (callbacks/) are drawn from."""
    return list(
        Ticket.objects.filter(hall=hall, service_date=day, status=TicketStatus.DONE)
        .exclude(phone="")
        .order_by("pk")
        .values_list("pk", "served_by_id", "phone")
    )


def pad_ratings_by_clerk(hall: Hall, start: datetime, end: datetime) -> tuple[dict[int, tuple[int, int]], int, int]:
    """The pad ratings given in [start, end) in the hall: (per clerk who served the ticket: (ratings, satisfied)),
    and the hall's (ratings, satisfied). A rating counts as satisfied at SATISFIED_SCORE or more."""
    rows = (
        Rating.objects.filter(ticket__hall=hall, created_at__gte=start, created_at__lt=end)
        .values("ticket__served_by")
        .annotate(n=Count("id"), ok=Count("id", filter=Q(score__gte=SATISFIED_SCORE)))
    )
    by_clerk, total, satisfied = {}, 0, 0
    for row in rows:
        total += row["n"]
        satisfied += row["ok"]
        if row["ticket__served_by"] is not None:
            by_clerk[row["ticket__served_by"]] = (row["n"], row["ok"])
    return by_clerk, total, satisfied


def clerks_who_served(hall: Hall, first, last) -> set[tuple[int, object]]:
    """(clerk id, service date) of every ticket served in the hall on these days."""
    return set(
        Ticket.objects.filter(hall=hall, service_date__range=(first, last), served_by__isnull=False)
        .values_list("served_by_id", "service_date")
        .distinct()
    )
