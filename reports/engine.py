"""One computation of each figure a hall is judged on (docs/KPIS.md), for any halls, period and grouping.

Each area of the hall is a *source* (reports/sources/): for some halls and a range of their local days it gives
additive parts (counts, sums of seconds, histograms of seconds) per hall, day and key of a dimension. The figures
of a period are the parts of its days merged per group of the grouping asked for, turned into figures by the
sources' figure functions. Closed days' parts are read from the roll-up (DayParts), which the same sources write;
today's are computed live. A complete closed week or month is also kept merged (SpanParts), and a grouping that
does not need its days apart reads it instead of its days: a year by week is 52 rows, a month of 50 halls 50 rows.
So a year costs what a few stored rows cost, and the paths cannot disagree: a span is the sum of its days' rows.

Parts are merged by adding: numbers add, and a dict (a histogram {seconds: count}, or counts per customer) merges
key by key. A source's figure function sees all parts of its group, its own and the other sources' (the complaint
rate needs the tickets served and the repairs registered).
"""

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import accumulate
from operator import mul

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hall.models import Hall
from reports.models import DayParts, SpanParts, Targets

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


class Histogram:
    """A histogram part {seconds: count} of a group, read once for all its figures: exact to the second."""

    def __init__(self, counts: dict):
        ordered = sorted(zip(map(int, counts), counts.values(), strict=True))
        self.seconds = [seconds for seconds, _n in ordered]
        numbers = [n for _seconds, n in ordered]
        self.cumulative = list(accumulate(numbers))
        self.count = self.cumulative[-1] if numbers else 0
        self.total_seconds = sum(map(mul, self.seconds, numbers))

    def mean_minutes(self) -> dict:
        return mean_minutes(self.total_seconds, self.count)

    def percentile_minutes(self, fraction: float) -> dict:
        """The nearest-rank percentile, in minutes."""
        if not self.count:
            return {"value": None, "count": 0}
        rank = max(1, -(-int(fraction * self.count * 1000) // 1000))  # ceil(fraction × n) without float noise
        return {"value": round(self.seconds[bisect_left(self.cumulative, rank)] / 60, 4), "count": self.count}


def percentile_minutes(histogram: dict, fraction: float) -> dict:
    return Histogram(histogram).percentile_minutes(fraction)


class Parts(dict):
    """A group's merged parts as its figure functions see them: `histogram(name)` reads a histogram part once."""

    def histogram(self, name: str) -> Histogram:
        read = self.__dict__.setdefault("histograms", {})
        if name not in read:
            read[name] = Histogram(self.get(name, {}))
        return read[name]


# Merging


def merge_into(into: dict, parts: dict) -> None:
    for name, value in parts.items():
        if isinstance(value, dict):
            merge_into(into.setdefault(name, {}), value)
        else:
            into[name] = into.get(name, 0) + value


# Groupings (API.md "Reports"): each reads one dimension, names a row's group from (hall id, day, key), and may read
# these stored spans (a span row's day is its first day, so a grouping by day can read none, a grouping by week only
# weeks).

ONE_DAY = dt.timedelta(days=1)
WEEK, MONTH = SpanParts.Span.WEEK.value, SpanParts.Span.MONTH.value
ALL_SPANS = (MONTH, WEEK)  # the longest first: a period is covered by as few rows as it can


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


GROUPINGS: dict[str, tuple[str, Callable[[int, dt.date, str], str], tuple[str, ...]]] = {
    "total": ("total", lambda hall, day, key: "total", ALL_SPANS),
    "day": ("total", lambda hall, day, key: day.isoformat(), ()),
    "week": ("total", lambda hall, day, key: _iso_week(day), (WEEK,)),
    "month": ("total", lambda hall, day, key: f"{day:%Y-%m}", (MONTH,)),
    "hour": ("hour", lambda hall, day, key: key, ALL_SPANS),
    "weekday_hour": ("hour", lambda hall, day, key: f"{day.isoweekday()}-{key}", ()),
    "business_type": ("business_type", lambda hall, day, key: key, ALL_SPANS),
    "counter": ("counter", lambda hall, day, key: key, ALL_SPANS),
    "clerk": ("clerk", lambda hall, day, key: key, ALL_SPANS),
    "hall": ("total", lambda hall, day, key: str(hall), ALL_SPANS),
}
# The number of days the hall was open that a group's figures are over (for arrivals per day), by grouping.
OPEN_DAYS = "open_days"


# Reading a period


def span_first(span: str, day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday()) if span == WEEK else day.replace(day=1)


def span_last(span: str, first: dt.date) -> dt.date:
    if span == WEEK:
        return first + dt.timedelta(days=6)
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - ONE_DAY


@dataclass
class _Plan:
    """Where each hall's days of a period are read from: stored spans, stored days, or computed live."""

    spans: dict[int, list[tuple[str, dt.date]]] = field(default_factory=lambda: defaultdict(list))
    days: dict[int, list[tuple[dt.date, dt.date]]] = field(default_factory=lambda: defaultdict(list))
    live: dict[tuple[dt.date, dt.date], list[Hall]] = field(default_factory=lambda: defaultdict(list))


def _plan(halls: list[Hall], first: dt.date, last: dt.date, spans: tuple[str, ...]) -> _Plan:
    plan = _Plan()
    closed = {hall.pk: min(last, hall.today() - ONE_DAY) for hall in halls}
    stored = defaultdict(set)
    if spans and any(first <= closed_last for closed_last in closed.values()):
        stored_rows = SpanParts.objects.filter(
            hall__in=halls, dimension="total", span__in=spans, first_day__range=(first, max(closed.values()))
        )
        for hall_id, span, first_day in stored_rows.values_list("hall_id", "span", "first_day"):
            stored[hall_id].add((span, first_day))
    for hall in halls:
        day, run = first, None
        while day <= closed[hall.pk]:
            span = next((s for s in spans if (s, day) in stored[hall.pk] and span_last(s, day) <= last), None)
            if span:
                plan.spans[hall.pk].append((span, day))
                day = span_last(span, day) + ONE_DAY
                run = None
                continue
            if run is None:
                run = [day, day]
                plan.days[hall.pk].append(run)
            run[1] = day
            day += ONE_DAY
        if runs := plan.days.pop(hall.pk, None):
            plan.days[hall.pk] = [tuple(run) for run in runs]
    rolled = defaultdict(set)
    if plan.days:
        total_rows = DayParts.objects.filter(_on_days(plan), dimension="total")
        for hall_id, day in total_rows.values_list("hall_id", "day"):
            rolled[hall_id].add(day)
    for hall in halls:
        for start, end in plan.days.get(hall.pk, []):
            for missing in _gaps(start, end, rolled[hall.pk]):
                plan.live[missing].append(hall)
        if closed[hall.pk] < last:
            plan.live[(max(first, closed[hall.pk] + ONE_DAY), last)].append(hall)
    return plan


def _on_days(plan: _Plan) -> Q:
    """The day rows of the plan's runs of stored days."""
    condition = Q(pk__in=[])
    for hall_id, runs in plan.days.items():
        for run in runs:
            condition |= Q(hall_id=hall_id, day__range=run)
    return condition


def _stored(plan: _Plan, dimension: str | None) -> list[PartRow]:
    """The stored rows of the plan in one dimension (every dimension if None): a span's row at its first day."""
    on_dimension = {"dimension": dimension} if dimension else {}
    rows: list[PartRow] = []
    if plan.days:
        stored_days = DayParts.objects.filter(_on_days(plan), **on_dimension)
        rows += [(*row,) for row in stored_days.values_list("hall_id", "day", "dimension", "key", "parts")]
    if plan.spans:
        condition = Q(pk__in=[])
        for hall_id, chosen in plan.spans.items():
            for span in {span for span, _day in chosen}:
                condition |= Q(hall_id=hall_id, span=span, first_day__in=[day for s, day in chosen if s == span])
        stored_spans = SpanParts.objects.filter(condition, **on_dimension)
        rows += [(*row,) for row in stored_spans.values_list("hall_id", "first_day", "dimension", "key", "parts")]
    return rows


def day_parts(
    halls: list[Hall], first: dt.date, last: dt.date, dimension: str, spans: tuple[str, ...] = ()
) -> list[PartRow]:
    """The parts of these halls' days first..last in one dimension: closed days from the roll-up where it has them
    (a complete week or month of `spans` from its merged row, dated its first day), the others (today, a day not
    rolled up yet) computed live."""
    plan = _plan(halls, first, last, spans)
    rows = _stored(plan, dimension)
    for (start, end), live_halls in plan.live.items():
        rows += [row for row in compute(live_halls, start, end) if row[2] == dimension]
    return rows


def _gaps(first: dt.date, last: dt.date, done: set) -> list[tuple[dt.date, dt.date]]:
    """The runs of days first..last that are not in `done`."""
    gaps, start, day = [], None, first
    while day <= last:
        if day in done:
            if start is not None:
                gaps.append((start, day - ONE_DAY))
                start = None
        elif start is None:
            start = day
        day += ONE_DAY
    if start is not None:
        gaps.append((start, last))
    return gaps


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
        day += ONE_DAY
    return [(*key, parts) for key, parts in merged.items()]


def figures_of(parts: dict) -> dict:
    parts = Parts(parts)
    return {name: figure(parts) for source in SOURCES for name, figure in source.figures.items()}


def kpis(*, halls: list[Hall], first: dt.date, last: dt.date, group_by: str = "total") -> list[dict]:
    """The figures of these halls over the local days first..last, one row per group: [{key, figures}] in key
    order. Labels are the caller's (reports.labels)."""
    dimension, group_of, spans = GROUPINGS[group_by]
    rows: dict[str, list[dict]] = defaultdict(list)
    for hall_id, day, _dimension, key, parts in day_parts(halls, first, last, dimension, spans):
        rows[group_of(hall_id, day, key)].append(parts)
    groups: dict[str, dict] = {}
    for group, group_rows in rows.items():
        groups[group] = group_rows[0] if len(group_rows) == 1 else {}  # a row read for this call alone: no copy
        if len(group_rows) > 1:
            for parts in group_rows:
                merge_into(groups[group], parts)
    if dimension == "hour":
        open_days = _open_days(halls, first, last, by_weekday=group_by == "weekday_hour")
        for group, parts in groups.items():
            parts[OPEN_DAYS] = open_days.get(group.split("-")[0] if group_by == "weekday_hour" else "all", 0)
    return [{"key": key, "figures": figures_of(groups[key])} for key in sorted(groups, key=_sort_key)]


def _open_days(halls, first, last, *, by_weekday: bool) -> dict[str, int]:
    """How many hall-days of the period had customers, in all or per ISO weekday ("1" Monday … "7")."""
    plan = _plan(halls, first, last, ())
    issued = []
    if plan.days:
        issued += DayParts.objects.filter(_on_days(plan), dimension="total").values_list("day", "parts__issued")
    for (start, end), live_halls in plan.live.items():
        issued += [(row[1], row[4].get("issued")) for row in compute(live_halls, start, end) if row[2] == "total"]
    counts: dict[str, int] = defaultdict(int)
    for day, tickets in issued:
        if tickets:
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
    """Writes the parts of these halls' closed days first..last again (idempotent), and the weeks and months that
    hold them; returns the day rows written."""
    now = timezone.now()
    written = 0
    for hall in halls:
        closed_last = min(last, hall.today() - ONE_DAY)
        if first > closed_last:
            continue
        rows = compute([hall], first, closed_last)
        with transaction.atomic():
            DayParts.objects.filter(hall=hall, day__range=(first, closed_last)).delete()
            DayParts.objects.bulk_create(
                DayParts(hall_id=hall_id, day=day, dimension=dimension, key=key, parts=parts, computed_at=now)
                for hall_id, day, dimension, key, parts in rows
            )
            _rollup_spans(hall, first, closed_last, now)
        written += len(rows)
    return written


def _rollup_spans(hall: Hall, first: dt.date, last: dt.date, now) -> None:
    """Merges again the weeks, then the months, that hold a day of first..last, from their days' rows (a month
    from its weeks where it can); a span not yet over, or with a day not rolled up, has no rows."""
    for span in (WEEK, MONTH):
        start = span_first(span, first)
        while start <= last:
            end = span_last(span, start)
            SpanParts.objects.filter(hall=hall, span=span, first_day=start).delete()
            plan = _plan([hall], start, end, (WEEK,) if span == MONTH else ())
            if end < hall.today() and not plan.live:
                merged: dict[tuple[str, str], dict] = {}
                for _hall_id, _day, dimension, key, parts in _stored(plan, None):
                    merge_into(merged.setdefault((dimension, key), {}), parts)
                SpanParts.objects.bulk_create(
                    SpanParts(
                        hall=hall,
                        span=span,
                        first_day=start,
                        dimension=dimension,
                        key=key,
                        parts=parts,
                        computed_at=now,
                    )
                    for (dimension, key), parts in merged.items()
                )
            start = end + ONE_DAY
