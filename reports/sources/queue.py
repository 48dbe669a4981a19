"""The queue's parts and figures (docs/KPIS.md "The queue").

How KPIS.md's definitions are read here, where it leaves a choice:
- A ticket counts on its issue day (Ticket.service_date); by business type under the type it was issued for
  (Ticket.issued_type), whatever it was transferred to; by hour in the local hour of its issue. Its rating counts
  with it, whenever it was given.
- Wait: the first call − the issue (Ticket.called_at keeps the first call), so recalls, the calls of a reactivated
  no-show and the calls after a transfer are not waiting. Transfer wait: for each transfer (its timeline event),
  the first call after it − the transfer; a transfer never called again has none.
- Service: a stint (TicketStint) that ended by a finish or by a transfer away; a stint the nightly expiry closed is
  no service. In the total, business type and hour rows service_avg and service_p90 are over tickets, a ticket's
  service time being the sum of its stints (grouped as the ticket is); in the counter and clerk rows they are over
  that counter's or clerk's own stints. Services over target are stints everywhere, against the target of the
  stint's business type; a stint's hour is its ticket's.
- Durations are measured in whole seconds (rounded down), so that means and percentiles come exact from the
  histograms and the roll-up gives the same figures as the live path. "Over target" is strictly longer than the
  type's target (BusinessType.wait_target_minutes, .service_target_minutes) as it stands when the day is computed.
- Wait prediction error: over called tickets that were promised a wait at issue; predicted − real, so a positive
  error means the customer was called sooner than promised; "within 5" is |error| ≤ 5 minutes.
- By counter and clerk, served, no-shows and ratings are the tickets that ended at that counter (Ticket.counter)
  and were called by that clerk (Ticket.served_by): the clerk who calls a ticket is the one who marks it a no-show.
- Counter utilisation: seconds serving (its stints) ÷ seconds open. A counter is open from its open (the timeline's
  counter_open) to its next pause or close, or, when neither comes that day, to the hall's closing time
  (Hall.closes_at; nothing if it opened later). A counter left open from an earlier day counts from the hall's
  opening time, on days with tickets. The total row pools all counters; other rows have no utilisation.
- Counters open by hour: the same open intervals, each split across the local hours it covers, pooled over all
  counters (counter_open_seconds), on the days with tickets only, so that it is over the same days as the open days
  it is divided by: counters_open is the average number of counters open in that hour on the open days, and
  arrivals_per_counter the tickets issued per counter-hour open (null when no counter was open).

Parts (all additive; histograms are {seconds: count}):
- total, business_type, hour: issued, served, no_shows, cancelled, ratings, ratings_satisfied, wait_seconds,
  waits_over_target, predictions, prediction_error_seconds, prediction_abs_error_seconds, predictions_within_5,
  transfer_wait_seconds, service_seconds (per ticket), stints, services_over_target; total also serving_seconds and
  open_seconds; hour also counter_open_seconds.
- counter, clerk: served, no_shows, ratings, ratings_satisfied, service_seconds (per stint), stints,
  services_over_target; counter also serving_seconds and open_seconds.
"""

import datetime as dt
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DurationField, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import ExtractHour

from hall.models import TimelineEvent
from reports.engine import OPEN_DAYS, Source, count, rate, register
from tickets.models import SATISFIED_SCORE, BusinessType, Counter, Ticket, TicketCall, TicketStint
from tickets.models import TicketStatus as S

PREDICTION_TOLERANCE_SECONDS = 5 * 60
COUNTER_OPEN, COUNTER_PAUSE, COUNTER_CLOSE = "counter_open", "counter_pause", "counter_close"


def _duration(end, start):
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def _seconds(duration: dt.timedelta) -> int:
    return max(0, int(duration.total_seconds()))


class _Parts:
    """The parts of one hall's days, by (day, dimension, key)."""

    def __init__(self, hall_id):
        self.hall_id = hall_id
        self.parts: dict[tuple, dict] = defaultdict(dict)

    def add(self, day, keys, name, value) -> None:
        if not value:
            return
        for dimension, key in keys:
            parts = self.parts[(day, dimension, key)]
            parts[name] = parts.get(name, 0) + value

    def tally(self, day, keys, name, seconds: int) -> None:
        """One more duration of `seconds` in the histogram `name`."""
        for dimension, key in keys:
            histogram = self.parts[(day, dimension, key)].setdefault(name, {})
            histogram[str(seconds)] = histogram.get(str(seconds), 0) + 1

    def rows(self):
        for (day, dimension, key), parts in self.parts.items():
            yield self.hall_id, day, dimension, key, parts


def _ticket_keys(type_id, hour):
    return (("total", ""), ("business_type", str(type_id)), ("hour", str(hour)))


def _at_counter_keys(counter_id, clerk_id):
    keys = [("counter", str(counter_id))] if counter_id is not None else []
    if clerk_id is not None:
        keys.append(("clerk", str(clerk_id)))
    return keys


def parts(halls, first, last):
    for hall in halls:
        yield from _hall_parts(hall, first, last)


def _hall_parts(hall, first, last):
    out = _Parts(hall.pk)
    tickets = Ticket.objects.filter(hall=hall, service_date__range=(first, last)).order_by()
    issue_hour = ExtractHour("issued_at", tzinfo=hall.tz)
    targets = {
        pk: (wait * 60, service * 60)
        for pk, wait, service in BusinessType.objects.filter(hall=hall).values_list(
            "pk", "wait_target_minutes", "service_target_minutes"
        )
    }
    days_with_tickets = _ticket_counts(out, tickets, issue_hour)
    _counter_counts(out, tickets)
    _waits(out, tickets, issue_hour, targets)
    _transfer_waits(out, hall, tickets, issue_hour)
    _services(out, hall, first, last, targets)
    _open_time(out, hall, first, last, days_with_tickets)
    return out.rows()


def _ticket_counts(out: _Parts, tickets, issue_hour) -> set:
    """Issued, ended and rated tickets per issue day, type and hour; returns the days with tickets."""
    rows = (
        tickets.annotate(hour=issue_hour)
        .values("service_date", "issued_type_id", "hour")
        .annotate(
            issued=Count("id"),
            served=Count("id", filter=Q(status=S.DONE)),
            no_shows=Count("id", filter=Q(status=S.NO_SHOW)),
            cancelled=Count("id", filter=Q(status=S.CANCELLED)),
            ratings=Count("rating"),
            ratings_satisfied=Count("rating", filter=Q(rating__score__gte=SATISFIED_SCORE)),
        )
    )
    days = set()
    for row in rows:
        days.add(row["service_date"])
        keys = _ticket_keys(row["issued_type_id"], row["hour"])
        for name in ("issued", "served", "no_shows", "cancelled", "ratings", "ratings_satisfied"):
            out.add(row["service_date"], keys, name, row[name])
    return days


def _counter_counts(out: _Parts, tickets) -> None:
    """Served and no-show tickets, and their ratings, by the counter they ended at and the clerk who called them."""
    rows = (
        tickets.filter(status__in=[S.DONE, S.NO_SHOW])
        .values("service_date", "counter_id", "served_by_id")
        .annotate(
            served=Count("id", filter=Q(status=S.DONE)),
            no_shows=Count("id", filter=Q(status=S.NO_SHOW)),
            ratings=Count("rating"),
            ratings_satisfied=Count("rating", filter=Q(rating__score__gte=SATISFIED_SCORE)),
        )
    )
    for row in rows:
        keys = _at_counter_keys(row["counter_id"], row["served_by_id"])
        for name in ("served", "no_shows", "ratings", "ratings_satisfied"):
            out.add(row["service_date"], keys, name, row[name])


def _waits(out: _Parts, tickets, issue_hour, targets) -> None:
    rows = (
        tickets.filter(called_at__isnull=False)
        .annotate(hour=issue_hour, wait=_duration("called_at", "issued_at"))
        .values_list("service_date", "issued_type_id", "hour", "wait", "predicted_wait_minutes")
    )
    for day, type_id, hour, wait, predicted in rows:
        keys = _ticket_keys(type_id, hour)
        seconds = _seconds(wait)
        out.tally(day, keys, "wait_seconds", seconds)
        out.add(day, keys, "waits_over_target", int(seconds > targets[type_id][0]))
        if predicted is not None:
            error = predicted * 60 - seconds
            out.add(day, keys, "predictions", 1)
            out.add(day, keys, "prediction_error_seconds", error)
            out.add(day, keys, "prediction_abs_error_seconds", abs(error))
            out.add(day, keys, "predictions_within_5", int(abs(error) <= PREDICTION_TOLERANCE_SECONDS))


def _transfer_waits(out: _Parts, hall, tickets, issue_hour) -> None:
    transfers = TimelineEvent.objects.filter(
        hall=hall,
        content_type=ContentType.objects.get_for_model(Ticket),
        action="transfer",
        object_id__in=tickets.values("pk"),
    ).order_by()
    next_call = (
        TicketCall.objects.filter(ticket_id=OuterRef("object_id"), at__gt=OuterRef("at"), is_recall=False)
        .order_by("at")
        .values("at")[:1]
    )
    waits = list(
        transfers.annotate(next_call=Subquery(next_call))
        .filter(next_call__isnull=False)
        .annotate(wait=_duration("next_call", "at"))
        .values_list("object_id", "wait")
    )
    if not waits:
        return
    transferred = {
        pk: (day, type_id, hour)
        for pk, day, type_id, hour in tickets.filter(pk__in={ticket_id for ticket_id, _wait in waits})
        .annotate(hour=issue_hour)
        .values_list("pk", "service_date", "issued_type_id", "hour")
    }
    for ticket_id, wait in waits:
        day, type_id, hour = transferred[ticket_id]
        out.tally(day, _ticket_keys(type_id, hour), "transfer_wait_seconds", _seconds(wait))


def _services(out: _Parts, hall, first, last, targets) -> None:
    """Each service stint at its counter and clerk, and each ticket's sum of its stints."""
    stints = (
        TicketStint.objects.filter(hall=hall, service_date__range=(first, last), ended_at__isnull=False)
        .filter(Q(transferred=True) | Q(ticket__status=S.DONE))
        .annotate(hour=ExtractHour("ticket__issued_at", tzinfo=hall.tz), seconds=_duration("ended_at", "started_at"))
        .order_by()
        .values_list(
            "ticket_id",
            "service_date",
            "business_type_id",
            "ticket__issued_type_id",
            "hour",
            "counter_id",
            "clerk_id",
            "seconds",
        )
    )
    tickets: dict[int, list] = {}
    for ticket_id, day, type_id, issued_type_id, hour, counter_id, clerk_id, duration in stints:
        seconds = _seconds(duration)
        at_counter = _at_counter_keys(counter_id, clerk_id)
        keys = (("total", ""), ("business_type", str(type_id)), ("hour", str(hour)), *at_counter)
        out.add(day, keys, "stints", 1)
        out.add(day, keys, "services_over_target", int(seconds > targets[type_id][1]))
        out.tally(day, at_counter, "service_seconds", seconds)
        out.add(day, (("total", ""), ("counter", str(counter_id))), "serving_seconds", seconds)
        ticket = tickets.setdefault(ticket_id, [day, issued_type_id, hour, 0])
        ticket[3] += seconds
    for day, issued_type_id, hour, seconds in tickets.values():
        out.tally(day, _ticket_keys(issued_type_id, hour), "service_seconds", seconds)


def _open_time(out: _Parts, hall, first, last, days_with_tickets) -> None:
    tz = hall.tz
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    counter_events = TimelineEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Counter),
        action__in=[COUNTER_OPEN, COUNTER_PAUSE, COUNTER_CLOSE],
    )
    before = counter_events.filter(object_id=OuterRef("pk"), at__lt=start).order_by("-at", "-id").values("action")[:1]
    state_before = dict(
        Counter.objects.filter(hall=hall).annotate(last=Subquery(before)).order_by().values_list("pk", "last")
    )
    events = defaultdict(lambda: defaultdict(list))  # counter -> local day -> [(at, action)]
    for counter_id, at, action in (
        counter_events.filter(object_id__in=list(state_before), at__gte=start, at__lt=end)
        .order_by("object_id", "at", "id")
        .values_list("object_id", "at", "action")
    ):
        events[counter_id][at.astimezone(tz).date()].append((at, action))
    for counter_id, last_action in state_before.items():
        is_open = last_action == COUNTER_OPEN
        day = first
        while day <= last:
            since = None
            if is_open and day in days_with_tickets:
                since = dt.datetime.combine(day, hall.opens_at, tzinfo=tz)
            intervals = []
            for at, action in events[counter_id][day]:
                is_open = action == COUNTER_OPEN
                if is_open:
                    since = since or at
                elif since is not None:
                    intervals.append((since, at))
                    since = None
            if since is not None:
                intervals.append((since, dt.datetime.combine(day, hall.closes_at, tzinfo=tz)))
            seconds = sum(_seconds(until - since) for since, until in intervals)
            out.add(day, (("total", ""), ("counter", str(counter_id))), "open_seconds", seconds)
            if day in days_with_tickets:
                for since, until in intervals:
                    for hour, piece in _by_local_hour(since, until, tz):
                        out.add(day, (("hour", str(hour)),), "counter_open_seconds", piece)
            day += dt.timedelta(days=1)


def _by_local_hour(since: dt.datetime, until: dt.datetime, tz):
    """(local hour, whole seconds) of the interval since..until, split at the local hours' boundaries."""
    at = since
    while at < until:
        local = at.astimezone(tz)
        into_hour = dt.timedelta(minutes=local.minute, seconds=local.second, microseconds=local.microsecond)
        boundary = min(until, at + dt.timedelta(hours=1) - into_hour)
        yield local.hour, _seconds(boundary - at)
        at = boundary


# Figures


def _prediction_error(p: dict) -> dict:
    n = p.get("predictions", 0)
    if not n:
        return {"value": None, "mean_absolute": None, "within_5_share": None, "count": 0}
    return {
        "value": round(p.get("prediction_error_seconds", 0) / n / 60, 4),
        "mean_absolute": round(p.get("prediction_abs_error_seconds", 0) / n / 60, 4),
        "within_5_share": p.get("predictions_within_5", 0) / n,
        "count": n,
    }


def _arrivals(p: dict) -> dict:
    """Tickets issued per open day: only in the hour and weekday × hour groupings, which know the open days."""
    if OPEN_DAYS not in p:
        return {"value": None}
    issued, days = p.get("issued", 0), p[OPEN_DAYS]
    # An average, not a share: no numerator and denominator, so that no screen or export shows it as a percent.
    return {"value": round(issued / days, 4) if days else None, "issued": issued, "open_days": days}


def _counters_open(p: dict) -> dict:
    """Counters open on average in the hour, on the open days: only in the hour and weekday × hour groupings."""
    if not p.get(OPEN_DAYS):
        return {"value": None}
    return {"value": round(p.get("counter_open_seconds", 0) / 3600 / p[OPEN_DAYS], 4)}


def _arrivals_per_counter(p: dict) -> dict:
    """Tickets issued per counter-hour open (arrivals ÷ counters_open): high where capacity fell short."""
    if OPEN_DAYS not in p:
        return {"value": None}
    open_seconds = p.get("counter_open_seconds", 0)
    return {"value": round(p.get("issued", 0) * 3600 / open_seconds, 4) if open_seconds else None}


FIGURES = {
    "issued": lambda p: count(p.get("issued", 0)),
    "served": lambda p: count(p.get("served", 0)),
    "no_shows": lambda p: count(p.get("no_shows", 0)),
    "cancelled": lambda p: count(p.get("cancelled", 0)),
    "no_show_rate": lambda p: rate(p.get("no_shows", 0), p.get("served", 0) + p.get("no_shows", 0)),
    "wait_avg": lambda p: p.histogram("wait_seconds").mean_minutes(),
    "wait_p50": lambda p: p.histogram("wait_seconds").percentile_minutes(0.5),
    "wait_p90": lambda p: p.histogram("wait_seconds").percentile_minutes(0.9),
    "waits_over_target": lambda p: rate(p.get("waits_over_target", 0), p.histogram("wait_seconds").count),
    "wait_prediction_error": _prediction_error,
    "transfer_wait_avg": lambda p: p.histogram("transfer_wait_seconds").mean_minutes(),
    "service_avg": lambda p: p.histogram("service_seconds").mean_minutes(),
    "service_p90": lambda p: p.histogram("service_seconds").percentile_minutes(0.9),
    "services_over_target": lambda p: rate(p.get("services_over_target", 0), p.get("stints", 0)),
    "pad_satisfaction": lambda p: rate(p.get("ratings_satisfied", 0), p.get("ratings", 0)),
    "rating_coverage": lambda p: rate(p.get("ratings", 0), p.get("served", 0)),
    "arrivals": _arrivals,
    "counter_utilisation": lambda p: rate(p.get("serving_seconds", 0), p.get("open_seconds", 0)),
    "counters_open": _counters_open,
    "arrivals_per_counter": _arrivals_per_counter,
}

register(Source(name="queue", parts=parts, figures=FIGURES))
