"""The complaints' parts and figures (docs/KPIS.md "Complaints").

Everything of a complaint belongs to its acceptance day (the local day of `created_at`): its four clocks, also the
ones started again when it is reopened, and its follow-ups. Readings where KPIS.md is silent:
- On time, per clock: every clock of that name counts, a reopened complaint's new progress and result clocks too.
- An answer is a follow-up's timeline event with a `satisfaction` (the complaint keeps only the last one); each
  complaint of an incident followed up together gives its own answer.
- Reopened: complaints reopened or sent back at least once (`reopen_count`).
- Repeat complainants: customers, told apart by their phone's digits, with two or more complaints accepted in the
  period. It does not add up over days, so each day keeps how many complaints each phone made, under a keyed hash
  of the phone (never the number), and the figure counts the hashes with 2 or more once the days are merged. A
  new SECRET_KEY gives new hashes: a customer then counts anew across the change.
- The complaint rate's volume is the queue's `served` and the repairs' `repairs_registered` of the same group;
  with no volume it is null, with volume and no complaints it is 0.
- The clerk dimension: the complaints accepted by each person, and the clocks of the complaints each person owns
  (首问负责人, who answers for them).
"""

import re

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac

from complaints.models import Complaint, ComplaintCategory, ComplaintChannel
from complaints.services import CLOCKS, SATISFIED
from reports.engine import Source, count, rate, register
from reports.sources.cases import (
    Collector,
    add_clocks,
    answers,
    by_time_zone,
    clock_part,
    local_day_and_hour,
    local_range,
)

MODEL = "complaint"


def phone_key(phone: str) -> str:
    """A phone's stand-in in the stored parts: the same for the same digits, and not the number."""
    digits = re.sub(r"\D", "", phone)
    return salted_hmac("reports.repeat_complainants", digits, algorithm="sha256").hexdigest()[:20]


def parts(halls, first, last):
    now = timezone.now()
    collector = Collector()
    for zone in by_time_zone(halls):
        hall = zone[0]
        start, end = local_range(hall, first, last)
        complaints = Complaint.objects.filter(hall__in=zone, created_at__gte=start, created_at__lt=end)
        _complaints(collector, complaints, hall)
        for row, values in add_clocks(collector, Complaint, MODEL, complaints, hall, now, person="owner"):
            collector.add(row["hall_id"], row["day"], "clerk", row["person"], **values)
    yield from collector.rows()


def _complaints(collector: Collector, complaints, hall) -> None:
    rows = (
        complaints.annotate(
            **local_day_and_hour("created_at", hall),
            answered=answers(Complaint),
            satisfied=answers(Complaint, satisfied=SATISFIED),
        )
        .values("hall_id", "day", "hour", "accepted_by_id", "channel", "category", "phone")
        .annotate(
            accepted=Count("pk"),
            reopened=Count("pk", filter=Q(reopen_count__gt=0)),
            answers=Sum("answered"),
            answers_satisfied=Sum("satisfied"),
        )
    )
    keys = {}
    for row in rows.order_by():
        hall_id, day, n = row["hall_id"], row["day"], row["accepted"]
        phone = keys.get(row["phone"]) or keys.setdefault(row["phone"], phone_key(row["phone"]))
        for dimension, key in (("total", ""), ("hour", row["hour"])):
            collector.add(
                hall_id,
                day,
                dimension,
                key,
                complaints_accepted=n,
                complaints_reopened=row["reopened"],
                complaint_answers=row["answers"] or 0,
                complaint_answers_satisfied=row["answers_satisfied"] or 0,
            )
            collector.add_to(hall_id, day, dimension, key, "complaints_by_channel", row["channel"], n)
            collector.add_to(hall_id, day, dimension, key, "complaints_by_category", row["category"], n)
            collector.add_to(hall_id, day, dimension, key, "complainant_phones", phone, n)
        if row["accepted_by_id"] is not None:
            collector.add(hall_id, day, "clerk", row["accepted_by_id"], complaints_accepted=n)


def _on_time(clock: str):
    return lambda p: rate(p.get(clock_part(MODEL, clock, "on_time"), 0), p.get(clock_part(MODEL, clock, "decided"), 0))


def _accepted_in(part: str, value: str):
    return lambda p: count(p.get(part, {}).get(value, 0))


def complaint_rate(p: dict) -> dict:
    return rate(p.get("complaints_accepted", 0), p.get("served", 0) + p.get("repairs_registered", 0))


def repeat_complainants(p: dict) -> dict:
    return count(sum(1 for n in p.get("complainant_phones", {}).values() if n >= 2))


FIGURES = {
    "complaints_accepted": lambda p: count(p.get("complaints_accepted", 0)),
    **{
        f"complaints_accepted_channel_{channel}": _accepted_in("complaints_by_channel", channel)
        for channel in ComplaintChannel.values
    },
    **{
        f"complaints_accepted_category_{category}": _accepted_in("complaints_by_category", category)
        for category in ComplaintCategory.values
    },
    "complaint_rate": complaint_rate,
    **{f"{clock}_on_time": _on_time(clock) for clock in CLOCKS},
    "complaint_satisfaction": lambda p: rate(p.get("complaint_answers_satisfied", 0), p.get("complaint_answers", 0)),
    "complaints_reopened": lambda p: count(p.get("complaints_reopened", 0)),
    "repeat_complainants": repeat_complainants,
}

register(Source(name="complaints", parts=parts, figures=FIGURES))
