"""Reads for the queue screens: positions, predicted waits, the board and the floor."""

import math
import secrets
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Min, Q
from django.utils import timezone

from hall.cache import Kept
from hall.models import BusinessType, Counter, CounterStatus, Hall
from tickets.models import ACTIVE_STATUSES, Priority, Ticket, TicketCall, TicketStatus

# Every kiosk press needs its hall's business types and each type's mean service time: this process keeps them
# (see hall.cache.Kept) and forgets them at once when it saves a hall or a type itself.
_issuing_types = Kept()
# The mean service time, an estimate, is kept in front of the copy shared in the cache.
_service_minutes = Kept()


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


def _service_minutes_key(business_type_id: int) -> str:
    return f"service-minutes:{business_type_id}"


def service_time_changed(business_type_id: int) -> None:
    """Called after a ticket of the type finished: the next estimate learns from it."""
    _service_minutes.forget(business_type_id)
    cache.delete(_service_minutes_key(business_type_id))


def mean_service_minutes(business_type: BusinessType) -> float:
    """Mean real service time of the type's recent tickets; the type's default before there is history."""
    return _service_minutes.get(business_type.pk, lambda: _shared_mean_service_minutes(business_type))


def _shared_mean_service_minutes(business_type: BusinessType) -> float:
    key = _service_minutes_key(business_type.pk)
    cached = cache.get(key)
    if cached is not None:
        return cached
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
    cache.set(key, minutes, 60)
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


def predicted_wait_minutes(business_type: BusinessType, ahead: int) -> int:
    return wait_minutes(ahead, mean_service_minutes(business_type), open_counters_serving(business_type))


def wait_minutes(ahead: int, service_minutes: float, open_counters: int) -> int:
    return math.ceil(ahead * service_minutes / max(open_counters, 1))


def ticket_progress(ticket: Ticket) -> dict:
    """Live place in the queue for a waiting ticket (None otherwise)."""
    if ticket.status != TicketStatus.WAITING:
        return {"position": None, "predicted_wait_minutes": None}
    ahead = people_ahead(ticket)
    return {"position": ahead, "predicted_wait_minutes": predicted_wait_minutes(ticket.business_type, ahead)}


def waiting_counts(hall: Hall) -> dict[str, int]:
    counts = dict(
        Ticket.objects.filter(hall=hall, status=TicketStatus.WAITING)
        .values_list("business_type__code")
        .annotate(n=Count("id"))
        .values_list("business_type__code", "n")
    )
    return {bt.code: counts.get(bt.code, 0) for bt in hall.business_types.filter(is_active=True)}


def _board_version_key(hall_id: int) -> str:
    return f"board-version:{hall_id}"


def board_changed(hall_id: int) -> None:
    """Called after a commit that changes the queue: the next board read is computed afresh."""
    cache.set(_board_version_key(hall_id), secrets.token_hex(8), None)


def _cached_board(hall_id: int) -> tuple[dict | None, str | None]:
    """The cached snapshot if no change came after it, and the current version; one round trip."""
    version_key, key = _board_version_key(hall_id), f"board:{hall_id}"
    found = cache.get_many([version_key, key])
    version, cached = found.get(version_key), found.get(key)
    if cached is not None and cached["version"] == version:
        return cached["snapshot"], version
    return None, version


def cached_board_snapshot(hall_id: int) -> dict | None:
    return _cached_board(hall_id)[0]


def board_snapshot(hall: Hall, recent: int = 10) -> dict:
    snapshot, version = _cached_board(hall.pk)
    if snapshot is None:
        # The version was read before computing: a change committed meanwhile makes this copy stale at once.
        snapshot = _compute_board(hall, recent)
        cache.set(f"board:{hall.pk}", {"version": version, "snapshot": snapshot}, settings.BOARD_CACHE_SECONDS)
    return snapshot


def _compute_board(hall: Hall, recent: int) -> dict:
    calls = (
        TicketCall.objects.filter(hall=hall, at__gte=start_of_day(hall))
        .order_by("-at", "-id")
        .values("id", "ticket__number", "counter__number", "at", "is_recall")[:recent]
    )
    return {
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
