"""The repair orders' parts and figures (docs/KPIS.md "Repairs").

Everything of an order belongs to its registration day (the local day of `created_at`), whenever it happens: a
worker arriving after midnight, a callback the next morning. Readings where KPIS.md is silent:
- Response timeliness is judged on the order's first `respond` clock (the earliest started): its deadline is the
  one in force at registration, and it was stopped when the worker first arrived. An order sent back by an
  unsatisfied callback gets a new response clock; that one counts in `sla_on_time`, not here.
- A callback is a `callback` clock; an order sent back and completed again has two. Each callback's answer is its
  timeline event with a `satisfaction` (the order itself keeps only the last one).
- Reopened: orders sent back at least once by an unsatisfied callback. Repeat reports: orders linked to an
  earlier one.
- The clerk dimension is the person who registered the order: the orders registered, the repeat reports among
  them and the callbacks (the registering clerk calls back). Response timeliness is the repair worker's, and the
  answers are about the repair, so neither is in it.
"""

from django.db.models import Count, Exists, F, Q, Subquery, Sum
from django.utils import timezone

from hall.models import SlaClock, TimelineEvent
from repairs.models import RepairOrder, Urgency
from repairs.services import CALLBACK, RESPOND, SATISFIED
from reports.engine import Source, count, rate, register
from reports.sources.cases import (
    Collector,
    add_clocks,
    answers,
    by_time_zone,
    clock_part,
    local_day_and_hour,
    local_range,
    related,
)

MODEL = "repairorder"


def parts(halls, first, last):
    now = timezone.now()
    collector = Collector()
    for zone in by_time_zone(halls):
        hall = zone[0]
        start, end = local_range(hall, first, last)
        orders = RepairOrder.objects.filter(hall__in=zone, created_at__gte=start, created_at__lt=end)
        _orders(collector, orders, hall, now)
        _clocks(collector, orders, hall, now)
    yield from collector.rows()


def _orders(collector: Collector, orders, hall, now) -> None:
    first_respond = related(RepairOrder, SlaClock).filter(name=RESPOND).order_by("started_at", "id")
    annotated = orders.annotate(
        **local_day_and_hour("created_at", hall),
        first_due=Subquery(first_respond.values("due_at")[:1]),
        first_stop=Subquery(first_respond.values("stopped_at")[:1]),
        sent_back=Exists(related(RepairOrder, TimelineEvent).filter(action="reopen")),
        answered=answers(RepairOrder),
        satisfied=answers(RepairOrder, satisfied=SATISFIED),
    )
    rows = annotated.values("hall_id", "day", "hour", "registered_by_id", "urgency", "key_customer").annotate(
        registered=Count("pk"),
        repeats=Count("pk", filter=Q(repeat_of__isnull=False)),
        reopened=Count("pk", filter=Q(sent_back=True)),
        decided=Count("pk", filter=Q(first_stop__isnull=False) | Q(first_due__lte=now)),
        on_time=Count("pk", filter=Q(first_stop__isnull=False, first_stop__lte=F("first_due"))),
        answers=Sum("answered"),
        answers_satisfied=Sum("satisfied"),
    )
    for row in rows.order_by():
        hall_id, day, hour = row["hall_id"], row["day"], row["hour"]
        response = {
            "repair_response_decided": row["decided"],
            "repair_response_on_time": row["on_time"],
            f"repair_response_decided_{row['urgency']}": row["decided"],
            f"repair_response_on_time_{row['urgency']}": row["on_time"],
        }
        if row["key_customer"]:
            response |= {
                "repair_response_decided_key": row["decided"],
                "repair_response_on_time_key": row["on_time"],
            }
        registered = {"repairs_registered": row["registered"], "repeat_reports": row["repeats"]}
        others = {
            "repairs_reopened": row["reopened"],
            "repair_answers": row["answers"] or 0,
            "repair_answers_satisfied": row["answers_satisfied"] or 0,
        }
        for dimension, key in (("total", ""), ("hour", hour)):
            collector.add(hall_id, day, dimension, key, **registered, **response, **others)
        if row["registered_by_id"] is not None:
            collector.add(hall_id, day, "clerk", row["registered_by_id"], **registered)


def _clocks(collector: Collector, orders, hall, now) -> None:
    for row, values in add_clocks(collector, RepairOrder, MODEL, orders, hall, now, person="registered_by"):
        if row["name"] == CALLBACK and row["person"] is not None:
            collector.add(row["hall_id"], row["day"], "clerk", row["person"], **values)


def _response(suffix: str = ""):
    return lambda p: rate(p.get(f"repair_response_on_time{suffix}", 0), p.get(f"repair_response_decided{suffix}", 0))


FIGURES = {
    "repairs_registered": lambda p: count(p.get("repairs_registered", 0)),
    "response_timeliness": _response(),
    **{f"response_timeliness_urgency_{u}": _response(f"_{u}") for u in Urgency.values},
    "response_timeliness_key_customer": _response("_key"),
    "callback_on_time": lambda p: rate(
        p.get(clock_part(MODEL, CALLBACK, "on_time"), 0), p.get(clock_part(MODEL, CALLBACK, "decided"), 0)
    ),
    "repair_satisfaction": lambda p: rate(p.get("repair_answers_satisfied", 0), p.get("repair_answers", 0)),
    "repairs_reopened": lambda p: count(p.get("repairs_reopened", 0)),
    "repeat_reports": lambda p: count(p.get("repeat_reports", 0)),
}

register(Source(name="repairs", parts=parts, figures=FIGURES))
