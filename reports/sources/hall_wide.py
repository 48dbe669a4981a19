"""The figures across the hall (docs/KPIS.md "Across the hall"): customer satisfaction, SLA on time, chores on time.

Readings where KPIS.md is silent:
- Customer satisfaction pools the answers the areas give under the shared part names: the pad's `ratings` /
  `ratings_satisfied` (the queue), `repair_answers` / `repair_answers_satisfied`, `complaint_answers` /
  `complaint_answers_satisfied` and, once the sampled callbacks (回访) exist, `callbacks_answered` /
  `callbacks_satisfied`: a source that yields those two parts is counted in, nothing else is needed here.
- SLA on time: a clock belongs to its record's start day. The repair and complaint sources count their orders'
  and complaints' clocks on the registration / acceptance day, with the same parts their own on-time figures read,
  so the split here agrees with them. Every other clock (duties, handovers, any later workflow) is counted here
  on the local day and hour of its `started_at`, which is its record's start: a duty's clock starts at the duty's
  time, a handover's when it is written. SLA clocks are not split by person (chores on time is).
- Chores on time: a duty (one chore on one day) is on time when marked done at or before its stated time
  (`due_at`, not the end of its grace window, which the duty's clock in `sla_on_time` judges), decided when done or
  its time has passed; it belongs to its date, and on the clerk dimension to its person responsible.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q
from django.utils import timezone

from complaints.models import Complaint
from complaints.services import CLOCKS as COMPLAINT_CLOCKS
from hall.models import SlaClock
from repairs.models import RepairOrder
from repairs.services import CALLBACK, RESPOND
from reports.engine import Source, rate, register
from reports.sources.cases import Collector, by_time_zone, clock_part, decided, local_day_and_hour, local_range, on_time
from staff.handover_services import ACK_CLOCK
from staff.models import Duty
from staff.services import DONE_CLOCK

# The workflows of the split, by the model name of their clocks' records, with their clocks.
WORKFLOWS = {
    "repairs": ("repairorder", (RESPOND, CALLBACK)),
    "complaints": ("complaint", tuple(COMPLAINT_CLOCKS)),
    "chores": ("duty", (DONE_CLOCK,)),
    "handovers": ("handover", (ACK_CLOCK,)),
}
# Counted by their own sources, on their record's day.
COUNTED_ELSEWHERE = (RepairOrder, Complaint)


def parts(halls, first, last):
    now = timezone.now()
    elsewhere = [ContentType.objects.get_for_model(model).pk for model in COUNTED_ELSEWHERE]
    collector = Collector()
    for zone in by_time_zone(halls):
        start, end = local_range(zone[0], first, last)
        clocks = (
            SlaClock.objects.filter(hall__in=zone, started_at__gte=start, started_at__lt=end)
            .exclude(content_type_id__in=elsewhere)
            .annotate(**local_day_and_hour("started_at", zone[0]), model=F("content_type__model"))
            .values("hall_id", "day", "hour", "model", "name")
            .annotate(decided=Count("pk", filter=decided(now)), on_time=Count("pk", filter=on_time()))
        )
        for row in clocks.order_by():
            values = {
                "clocks_decided": row["decided"],
                "clocks_on_time": row["on_time"],
                clock_part(row["model"], row["name"], "decided"): row["decided"],
                clock_part(row["model"], row["name"], "on_time"): row["on_time"],
            }
            collector.add(row["hall_id"], row["day"], "total", "", **values)
            collector.add(row["hall_id"], row["day"], "hour", row["hour"], **values)
    duties = (
        Duty.objects.filter(hall__in=halls, date__range=(first, last))
        .values("hall_id", "date", "responsible_id")
        .annotate(
            decided=Count("pk", filter=Q(done_at__isnull=False) | Q(due_at__lte=now)),
            on_time=Count("pk", filter=Q(done_at__isnull=False, done_at__lte=F("due_at"))),
        )
    )
    for row in duties.order_by():
        values = {"duties_decided": row["decided"], "duties_on_time": row["on_time"]}
        collector.add(row["hall_id"], row["date"], "total", "", **values)
        if row["responsible_id"] is not None:
            collector.add(row["hall_id"], row["date"], "clerk", row["responsible_id"], **values)
    yield from collector.rows()


# Satisfaction answers of the period: (answered, satisfied) part names.
ANSWERS = (
    ("ratings", "ratings_satisfied"),
    ("repair_answers", "repair_answers_satisfied"),
    ("complaint_answers", "complaint_answers_satisfied"),
    ("callbacks_answered", "callbacks_satisfied"),
)


def customer_satisfaction(p: dict) -> dict:
    return rate(
        sum(p.get(satisfied, 0) for _, satisfied in ANSWERS), sum(p.get(answered, 0) for answered, _ in ANSWERS)
    )


def _workflow_on_time(model: str):
    prefix = f"clock_{model}_"

    def figure(p: dict) -> dict:
        named = {name: value for name, value in p.items() if name.startswith(prefix)}
        return rate(
            sum(value for name, value in named.items() if name.endswith("_on_time")),
            sum(value for name, value in named.items() if name.endswith("_decided")),
        )

    return figure


def _clock_on_time(model: str, clock: str):
    return lambda p: rate(p.get(clock_part(model, clock, "on_time"), 0), p.get(clock_part(model, clock, "decided"), 0))


FIGURES = {
    "customer_satisfaction": customer_satisfaction,
    "sla_on_time": lambda p: rate(p.get("clocks_on_time", 0), p.get("clocks_decided", 0)),
    **{f"sla_on_time_{workflow}": _workflow_on_time(model) for workflow, (model, _) in WORKFLOWS.items()},
    **{
        f"sla_on_time_{workflow}_{clock}": _clock_on_time(model, clock)
        for workflow, (model, clocks) in WORKFLOWS.items()
        for clock in clocks
    },
    "chores_on_time": lambda p: rate(p.get("duties_on_time", 0), p.get("duties_decided", 0)),
}

register(Source(name="hall", parts=parts, figures=FIGURES))
