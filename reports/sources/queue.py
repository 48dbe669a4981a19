"""The queue's parts and figures (docs/KPIS.md "The queue")."""

from django.db.models import Count
from django.db.models.functions import ExtractHour

from reports.engine import Source, count, register
from tickets.models import Ticket


def parts(halls, first, last):
    for hall in halls:
        tickets = Ticket.objects.filter(hall=hall, service_date__range=(first, last))
        for row in tickets.values("service_date").annotate(n=Count("id")):
            yield hall.pk, row["service_date"], "total", "", {"issued": row["n"]}
        for row in tickets.values("service_date", "issued_type_id").annotate(n=Count("id")):
            yield hall.pk, row["service_date"], "business_type", str(row["issued_type_id"]), {"issued": row["n"]}
        by_hour = tickets.annotate(hour=ExtractHour("issued_at", tzinfo=hall.tz)).values("service_date", "hour")
        for row in by_hour.annotate(n=Count("id")):
            yield hall.pk, row["service_date"], "hour", str(row["hour"]), {"issued": row["n"]}


register(Source(name="queue", parts=parts, figures={"issued": lambda p: count(p.get("issued", 0))}))
