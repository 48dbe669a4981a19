"""One computation of each figure a hall is judged on (docs/KPIS.md), for any halls, period and grouping.

Each area of the hall is a *source* (reports/sources/): for some halls and a range of their local days it gives
additive parts (counts, sums of seconds, histograms of seconds) per hall, day and key of a dimension. The figures
of a period are the parts of its days merged per group of the grouping asked for, turned into figures by the
sources' figure functions. Closed days' parts are read from the roll-up (DayParts), which the same sources write;
today's are computed live. So a year costs what its stored rows cost, and the two paths cannot disagree.

Parts are merged by adding: numbers add, and a dict (a histogram {seconds: count}, or counts per customer) merges
key by key. A source's figure function sees all parts of its group, its own and the other sources' (the complaint
rate needs the tickets served and the repairs registered).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from hall.models import Hall
from reports.models import DayParts, Targets

# The dimensions a day's parts are kept by; "total" is the whole day, "hour" the local hour of the start (0–23).
DIMENSIONS = ("total", "business_type", "counter", "clerk", "hour")

# A part row: (hall id, local day, dimension, key, parts).
PartRow = tuple[int, dt.date, str, str, dict]


@dataclass(frozen=True)
class Source:
    """One area's parts and figures. `parts(halls, first, last)` yields PartRows for those local days; `figures`
    maps a figure's API name to a function of a group's merged parts that answers {value, numerator?,
    denominator?, count?}."""

    name: str
    parts: Callable[[list[Hall], dt.date, dt.date], Iterable[PartRow]]
    figures: dict[str, Callable[[dict], dict]] = field(default_factory=dict)


SOURCES: list[Source] = []


def register(source: Source) -> Source:
    SOURCES.append(source)
    return source


# Figure helpers for the sources


def rate(numerator: int, denominator: int) -> dict:
    """A rate with its numerator and denominator; null, never 0 or 1, when nothing is in the denominator."""
    return {
        "value": numerator / denominator if denominator else None,
        "numerator": numerator,
        "denominator": denominator,
    }


def count(value: int) -> dict:
    return {"value": value}


def mean_minutes(total_seconds: float, n: int) -> dict:
    return {"value": round(total_seconds / n / 60, 4) if n else None, "count": n}


def percentile_minutes(histogram: dict, fraction: float) -> dict:
    """The nearest-rank percentile of a histogram {seconds: count}, in minutes: exact to the second."""
    n = sum(histogram.values())
    if not n:
        return {"value": None, "count": 0}
    rank = max(1, -(-int(fraction * n * 1000) // 1000))  # ceil(fraction × n) without float noise
    seen = 0
    for seconds in sorted(histogram, key=int):
        seen += histogram[seconds]
        if seen >= rank:
            return {"value": round(int(seconds) / 60, 4), "count": n}
    raise AssertionError("unreachable")


def histogram(seconds: Iterable[float]) -> dict:
    """The histogram part of these durations, by whole second (JSON keys are strings)."""
    counts = defaultdict(int)
    for value in seconds:
        counts[str(max(0, int(value)))] += 1
    return dict(counts)


# Merging


def merge_into(into: dict, parts: dict) -> None:
    for name, value in parts.items():
        if isinstance(value, dict):
            merge_into(into.setdefault(name, {}), value)
        else:
            into[name] = into.get(name, 0) + value


# Groupings (API.md "Reports"): each reads one dimension and names a row's group from (hall id, day, key).


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


GROUPINGS: dict[str, tuple[str, Callable[[int, dt.date, str], str]]] = {
    "total": ("total", lambda hall, day, key: "total"),
    "day": ("total", lambda hall, day, key: day.isoformat()),
    "week": ("total", lambda hall, day, key: _iso_week(day)),
    "month": ("total", lambda hall, day, key: f"{day:%Y-%m}"),
    "hour": ("hour", lambda hall, day, key: key),
    "weekday_hour": ("hour", lambda hall, day, key: f"{day.isoweekday()}-{key}"),
    "business_type": ("business_type", lambda hall, day, key: key),
    "counter": ("counter", lambda hall, day, key: key),
    "clerk": ("clerk", lambda hall, day, key: key),
    "hall": ("total", lambda hall, day, key: str(hall)),
}
# The number of days the hall was open that a group's figures are over (for arrivals per day), by grouping.
OPEN_DAYS = "open_days"


# Reading a period


def day_parts(halls: list[Hall], first: dt.date, last: dt.date, dimension: str) -> list[PartRow]:
    """The parts of these halls' days first..last in one dimension: closed days from the roll-up where it has them,
    the others (today, a day not rolled up yet) computed live."""
    rows: list[PartRow] = []
    live: dict[tuple[dt.date, dt.date], list[Hall]] = defaultdict(list)
    for hall in halls:
        closed_last = min(last, hall.today() - dt.timedelta(days=1))
        rolled = set()
        if first <= closed_last:
            stored = DayParts.objects.filter(hall=hall, day__range=(first, closed_last))
            for row in stored.filter(dimension__in={dimension, "total"}).values_list(
                "day", "dimension", "key", "parts"
            ):
                day, row_dimension, key, parts = row
                rolled.add(day)
                if row_dimension == dimension:
                    rows.append((hall.pk, day, row_dimension, key, parts))
        for start, end in _spans(first, last, rolled):
            live[(start, end)].append(hall)
    for (start, end), live_halls in live.items():
        rows += [row for row in compute(live_halls, start, end) if row[2] == dimension]
    return rows


def _spans(first: dt.date, last: dt.date, done: set) -> list[tuple[dt.date, dt.date]]:
    """The runs of days first..last that are not in `done`."""
    spans, start, day = [], None, first
    while day <= last:
        if day in done:
            if start is not None:
                spans.append((start, day - dt.timedelta(days=1)))
                start = None
        elif start is None:
            start = day
        day += dt.timedelta(days=1)
    if start is not None:
        spans.append((start, last))
    return spans


def compute(halls: list[Hall], first: dt.date, last: dt.date) -> list[PartRow]:
    """Every source's parts of these days, merged per (hall, day, dimension, key), with a `total` row for each day."""
    merged: dict[tuple, dict] = {}
    for source in SOURCES:
        for hall_id, day, dimension, key, parts in source.parts(halls, first, last):
            merge_into(merged.setdefault((hall_id, day, dimension, key), {}), parts)
    day = first
    while day <= last:
        for hall in halls:
            merged.setdefault((hall.pk, day, "total", ""), {})
        day += dt.timedelta(days=1)
    return [(*key, parts) for key, parts in merged.items()]


def figures_of(parts: dict) -> dict:
    return {name: figure(parts) for source in SOURCES for name, figure in source.figures.items()}


def kpis(*, halls: list[Hall], first: dt.date, last: dt.date, group_by: str = "total") -> list[dict]:
    """The figures of these halls over the local days first..last, one row per group: [{key, figures}] in key
    order. Labels are the caller's (reports.labels)."""
    dimension, group_of = GROUPINGS[group_by]
    groups: dict[str, dict] = {}
    for hall_id, day, _dimension, key, parts in day_parts(halls, first, last, dimension):
        merge_into(groups.setdefault(group_of(hall_id, day, key), {}), parts)
    if dimension == "hour":
        open_days = _open_days(halls, first, last, by_weekday=group_by == "weekday_hour")
        for group, parts in groups.items():
            parts[OPEN_DAYS] = open_days.get(group.split("-")[0] if group_by == "weekday_hour" else "all", 0)
    return [{"key": key, "figures": figures_of(groups[key])} for key in sorted(groups, key=_sort_key)]


def _open_days(halls, first, last, *, by_weekday: bool) -> dict[str, int]:
    """How many hall-days of the period had customers, in all or per ISO weekday ("1" Monday … "7")."""
    counts: dict[str, int] = defaultdict(int)
    for _hall_id, day, _dimension, _key, parts in day_parts(halls, first, last, "total"):
        if parts.get("issued"):
            counts[str(day.isoweekday()) if by_weekday else "all"] += 1
    return counts


def _sort_key(key: str):
    return [int(part) if part.isdigit() else part for part in key.replace("-", " ").split()]


def targets(hall: Hall | None) -> dict:
    """The hall's three targets as fractions (the defaults for several halls or a hall without its own)."""
    row = Targets.objects.filter(hall=hall).first() if hall is not None else None
    row = row or Targets()
    return {
        name: float(getattr(row, name)) for name in ("response_timeliness", "customer_satisfaction", "complaint_rate")
    }


# The roll-up


def rollup(halls: list[Hall], first: dt.date, last: dt.date) -> int:
    """Writes the parts of these halls' closed days first..last again (idempotent); returns the rows written."""
    now = timezone.now()
    written = 0
    for hall in halls:
        closed_last = min(last, hall.today() - dt.timedelta(days=1))
        if first > closed_last:
            continue
        rows = compute([hall], first, closed_last)
        with transaction.atomic():
            DayParts.objects.filter(hall=hall, day__range=(first, closed_last)).delete()
            DayParts.objects.bulk_create(
                DayParts(hall_id=hall_id, day=day, dimension=dimension, key=key, parts=parts, computed_at=now)
                for hall_id, day, dimension, key, parts in rows
            )
        written += len(rows)
    return written
