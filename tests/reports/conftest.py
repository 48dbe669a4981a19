import datetime as dt
import zoneinfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.utils import timezone

from hall.models import SlaClock
from repairs.models import RepairOrder
from reports import engine
from tickets.models import Rating

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def _probe_parts(halls, first, last):
    """Ratings by their ticket's day, and repair response clocks decided (stopped or past due) by the order's day:
    figures the roll-up must follow when they change after their day."""
    now = timezone.now()
    repair_type = ContentType.objects.get_for_model(RepairOrder)
    for hall in halls:
        rated = Rating.objects.filter(ticket__hall=hall, ticket__service_date__range=(first, last))
        for row in rated.values("ticket__service_date").annotate(n=Count("id")):
            yield hall.pk, row["ticket__service_date"], "total", "", {"probe_rated": row["n"]}
        repairs = {
            repair.pk: timezone.localtime(repair.created_at, hall.tz).date()
            for repair in RepairOrder.objects.filter(hall=hall)
        }
        clocks = SlaClock.objects.filter(content_type=repair_type, object_id__in=repairs, name="respond")
        for clock in clocks:
            day = repairs[clock.object_id]
            if first <= day <= last and (clock.stopped_at is not None or clock.due_at <= now):
                yield hall.pk, day, "total", "", {"probe_decided": 1}


@pytest.fixture
def probe(monkeypatch):
    """A source of two figures that change after their day (a rating the next morning, a deadline passing)."""
    source = engine.Source(
        name="probe",
        parts=_probe_parts,
        figures={
            "probe_rated": lambda parts: engine.count(parts.get("probe_rated", 0)),
            "probe_decided": lambda parts: engine.count(parts.get("probe_decided", 0)),
        },
    )
    monkeypatch.setattr(engine, "SOURCES", [*engine.SOURCES, source])
    return source
