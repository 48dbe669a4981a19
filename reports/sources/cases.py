"""What the case sources (repairs, complaints, the hall's clocks and chores) share: a hall's local days as an
instant range, counts of a record's related rows as SQL, the clocks of records grouped by their record's start,
and the collector of a day's parts.

A clock is *decided* when it was stopped or its deadline has passed "now"; it is *on time* when it was stopped at or
before its deadline. A clock still running before its deadline is in neither count, so the figures of a day can
still change later: they are right for the moment they are computed.

Clock parts are named `clock_<model>_<clock name>_decided` / `_on_time` (the model is the clock's record's model
name: repairorder, complaint, duty, handover), and every clock also adds to the shared `clocks_decided` /
`clocks_on_time`.
"""

import datetime as dt
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import ExtractHour, TruncDate

from hall.models import SlaClock, TimelineEvent


def by_time_zone(halls) -> list[list]:
    """The halls in groups sharing a time zone: each group's local days are the same instants, so one query
    answers for all of its halls."""
    zones = defaultdict(list)
    for hall in halls:
        zones[hall.timezone].append(hall)
    return list(zones.values())


def local_range(hall, first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants [start of `first`, start of the day after `last`) in the hall's time zone."""
    tz = hall.tz
    return (
        dt.datetime.combine(first, dt.time.min, tzinfo=tz),
        dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def local_day_and_hour(field: str, hall) -> dict:
    """Annotations: the local day and hour (0–23) of a datetime field in the hall's time zone."""
    return {"day": TruncDate(field, tzinfo=hall.tz), "hour": ExtractHour(field, tzinfo=hall.tz)}


def decided(now: dt.datetime, prefix: str = "") -> Q:
    return Q(**{f"{prefix}stopped_at__isnull": False}) | Q(**{f"{prefix}due_at__lte": now})


def on_time(prefix: str = "") -> Q:
    return Q(**{f"{prefix}stopped_at__isnull": False, f"{prefix}stopped_at__lte": F(f"{prefix}due_at")})


def number_of(queryset) -> Subquery:
    """The number of rows of a queryset correlated on OuterRef("pk"), as an integer expression of the outer row."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def related(model, base, outer: str = "pk"):
    """The rows of `base` (SlaClock or TimelineEvent) that belong to the outer record of `model`."""
    return base.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id=OuterRef(outer))


def answers(model, *, satisfied: int | None = None) -> Subquery:
    """How many satisfaction answers (timeline events carrying a `satisfaction`) the outer record has; with
    `satisfied`, only those at least that."""
    events = related(model, TimelineEvent).filter(data__has_key="satisfaction")
    if satisfied is not None:
        events = events.filter(data__satisfaction__gte=satisfied)
    return number_of(events)


def clock_part(model_name: str, clock: str, which: str) -> str:
    return f"clock_{model_name}_{clock}_{which}"


def record_clocks(model, records, hall, now, *, person: str | None = None):
    """The clocks of these records (a queryset of `model`), counted per hall, local day and hour (in `hall`'s time
    zone) of their record's `created_at`, clock name and, with `person`, that field of the record: dicts with
    hall_id, day, hour, name, person, decided, on_time. One grouped query; the record's fields are read by primary
    key."""
    record = model.objects.filter(pk=OuterRef("object_id")).order_by()
    clocks = SlaClock.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=records.values("pk")
    ).annotate(record_at=Subquery(record.values("created_at")[:1]), **local_day_and_hour("record_at", hall))
    fields = ["hall_id", "day", "hour", "name"]
    if person:
        clocks = clocks.annotate(person=Subquery(record.values(person)[:1]))
        fields.append("person")
    rows = clocks.values(*fields).annotate(
        decided=Count("pk", filter=decided(now)), on_time=Count("pk", filter=on_time())
    )
    for row in rows.order_by():
        row.setdefault("person", None)
        yield row


def add_clocks(collector, model, model_name: str, records, hall, now, *, person: str):
    """Adds the clocks of these records (record_clocks) to the total and hour rows, each under its own parts and in
    the hall's `clocks_*` totals; yields each row with its own parts, for the caller's rule of whose they are."""
    for row in record_clocks(model, records, hall, now, person=person):
        values = {
            clock_part(model_name, row["name"], "decided"): row["decided"],
            clock_part(model_name, row["name"], "on_time"): row["on_time"],
        }
        for dimension, key in (("total", ""), ("hour", row["hour"])):
            collector.add(
                row["hall_id"],
                row["day"],
                dimension,
                key,
                clocks_decided=row["decided"],
                clocks_on_time=row["on_time"],
                **values,
            )
        yield row, values


class Collector:
    """Parts per (hall id, day, dimension, key), added up; zeros are left out. `rows()` gives the PartRows."""

    def __init__(self):
        self.parts: dict[tuple, dict] = defaultdict(dict)

    def add(self, hall_id: int, day, dimension: str, key, **values) -> None:
        parts = self.parts[(hall_id, day, dimension, "" if key is None else str(key))]
        for name, value in values.items():
            if value:
                parts[name] = parts.get(name, 0) + value

    def add_to(self, hall_id: int, day, dimension: str, key, name: str, item: str, value: int) -> None:
        """Adds to one entry of a dict part (counts per channel, per customer)."""
        if value:
            counts = self.parts[(hall_id, day, dimension, "" if key is None else str(key))].setdefault(name, {})
            counts[item] = counts.get(item, 0) + value

    def rows(self):
        for (hall_id, day, dimension, key), parts in self.parts.items():
            if parts:
                yield hall_id, day, dimension, key, parts
