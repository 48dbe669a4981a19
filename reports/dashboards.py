"""What the report pages show: the headline figures against their targets, the charts (which figures of which
grouping, drawn by static/js/reports.js from the data given here) and the tables per clerk, per counter and per
hall. The figures come from the engine (reports.selectors.kpis_answer), never over HTTP; a figure no area
computes yet is simply absent and shown as "—"."""

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hall.models import Hall
from reports import engine, selectors
from reports.periods import Period

# The three figures a hall is judged on first (KPIS.md "Targets"), and which side of its target is good.
HEADLINES = {
    "response_timeliness": gettext_lazy("Response timeliness"),
    "customer_satisfaction": gettext_lazy("Customer satisfaction"),
    "complaint_rate": gettext_lazy("Complaint rate"),
}
# Figures where less is better; for every other figure more is.
LOWER_IS_BETTER = {"complaint_rate", "wait_avg", "wait_p90", "no_show_rate", "waits_over_target"}


@dataclass(frozen=True)
class Chart:
    """One chart: `kind` "series" draws each figure of `series` over the rows of `group_by`; "heatmap" draws the
    first figure over weekday × hour (its table shows every figure of `series`); "figures" draws the figures of
    `series` (or those named `<prefix>…`) of the period as bars. `unit` is "percent", "minutes" or "count"; `target`
    names the headline whose target is drawn. A series with "axis": 1 is read on a second value axis. `short` marks
    the heat map's cells where capacity fell short: its figure above `above`, or arrivals with no counter open."""

    id: str
    title: str
    group_by: str
    series: tuple = ()
    kind: str = "series"
    unit: str = "count"
    target: str = ""
    prefix: str = ""
    short: dict | None = None


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    charts: tuple = field(default_factory=tuple)


def _s(figure, name, style="line", axis=0):
    spec = {"figure": figure, "name": name, "style": style}
    if axis:
        spec["axis"] = axis
    return spec


# More arrivals than this per counter-hour open is a queue the open counters could not keep up with.
SHORT_ABOVE = 10


def sections() -> list[Section]:
    """The dashboard's charts, in the order shown (built per request: their names are in the reader's language)."""
    return [
        Section(
            "traffic",
            _("Traffic"),
            (
                Chart(
                    "arrivals_by_hour",
                    _("Arrivals by hour"),
                    "hour",
                    (
                        _s("issued", _("Tickets issued"), "bar"),
                        _s("arrivals", _("Average per open day")),
                        _s("counters_open", _("Counters open (average per open day)"), axis=1),
                    ),
                ),
                Chart(
                    "arrivals_week",
                    _("Arrivals per open day, weekday × hour"),
                    "weekday_hour",
                    (
                        _s("arrivals", _("Average per open day")),
                        _s("counters_open", _("Counters open (average per open day)")),
                        _s("arrivals_per_counter", _("Arrivals per open counter-hour")),
                    ),
                    kind="heatmap",
                    short={
                        "figure": "arrivals_per_counter",
                        "above": SHORT_ABOVE,
                        "name": _("Short of counters: over %(above)s arrivals per open counter-hour, or none open")
                        % {"above": SHORT_ABOVE},
                    },
                ),
            ),
        ),
        Section(
            "waits",
            _("Wait and service"),
            (
                Chart(
                    "waits_per_day",
                    _("Wait and handling time per day (minutes)"),
                    "day",
                    (
                        _s("wait_avg", _("Average wait")),
                        _s("wait_p90", _("Wait, 90th percentile")),
                        _s("service_avg", _("Average handling")),
                        _s("service_p90", _("Handling, 90th percentile")),
                    ),
                    unit="minutes",
                ),
                Chart(
                    "over_target_per_day",
                    _("Over target per day"),
                    "day",
                    (
                        _s("waits_over_target", _("Waits over target"), "bar"),
                        _s("services_over_target", _("Handling over target"), "bar"),
                    ),
                    unit="percent",
                ),
                Chart(
                    "prediction_by_type",
                    _("Wait prediction error by business type (minutes)"),
                    "business_type",
                    (_s("wait_prediction_error", _("Predicted − real wait"), "bar"),),
                    unit="minutes",
                ),
                Chart(
                    "prediction_by_hour",
                    _("Wait prediction error by hour (minutes)"),
                    "hour",
                    (_s("wait_prediction_error", _("Predicted − real wait"), "bar"),),
                    unit="minutes",
                ),
            ),
        ),
        Section(
            "repairs",
            _("Repairs"),
            (
                Chart(
                    "timeliness_per_day",
                    _("Response timeliness per day"),
                    "day",
                    (
                        _s("response_timeliness", _("Response timeliness")),
                        _s("callback_on_time", _("Callbacks on time")),
                    ),
                    unit="percent",
                    target="response_timeliness",
                ),
                Chart(
                    "timeliness_by_urgency",
                    _("Response timeliness by urgency"),
                    "total",
                    kind="figures",
                    unit="percent",
                    target="response_timeliness",
                    prefix="response_timeliness_",
                ),
            ),
        ),
        Section(
            "complaints",
            _("Complaints"),
            (
                Chart(
                    "complaint_clocks",
                    _("Complaint clocks on time"),
                    "total",
                    (
                        _s("first_contact_on_time", _("First contact")),
                        _s("progress_on_time", _("Progress report")),
                        _s("result_on_time", _("Result")),
                        _s("follow_up_on_time", _("Follow-up")),
                    ),
                    kind="figures",
                    unit="percent",
                ),
                Chart(
                    "complaint_rate_per_day",
                    _("Complaint rate per day"),
                    "day",
                    (_s("complaint_rate", _("Complaint rate")),),
                    unit="percent",
                    target="complaint_rate",
                ),
            ),
        ),
        Section(
            "satisfaction",
            _("Satisfaction"),
            (
                Chart(
                    "satisfaction_per_day",
                    _("Satisfaction per day"),
                    "day",
                    _satisfaction_series("line"),
                    unit="percent",
                    target="customer_satisfaction",
                ),
                Chart(
                    "satisfaction_per_clerk",
                    _("Satisfaction per clerk"),
                    "clerk",
                    _satisfaction_series("bar"),
                    unit="percent",
                    target="customer_satisfaction",
                ),
            ),
        ),
    ]


def _satisfaction_series(style):
    return (
        _s("pad_satisfaction", _("Rating pad"), style),
        _s("repair_satisfaction", _("Repair callbacks"), style),
        _s("complaint_satisfaction", _("Complaint follow-ups"), style),
        _s("customer_satisfaction", _("All answers"), style),
    )


def wall_charts() -> list[Chart]:
    """The big screen's charts: today, by hour and by counter."""
    return [
        Chart(
            "wall_arrivals",
            _("Tickets issued by hour"),
            "hour",
            (_s("issued", _("Tickets issued"), "bar"),),
        ),
        Chart(
            "wall_waits",
            _("Waits by hour (minutes)"),
            "hour",
            (_s("wait_avg", _("Average wait")), _s("wait_p90", _("Wait, 90th percentile"))),
            unit="minutes",
        ),
        Chart(
            "wall_counters",
            _("Served per counter"),
            "counter",
            (_s("served", _("Served"), "bar"),),
        ),
        Chart(
            "wall_satisfaction",
            _("Satisfaction today"),
            "total",
            _satisfaction_series("bar"),
            kind="figures",
            unit="percent",
            target="customer_satisfaction",
        ),
    ]


# The tables per clerk and per counter: (figure, heading, which number of the figure).
def staff_columns(group_by: str) -> list[dict]:
    columns = [
        {"figure": "served", "label": _("Served")},
        {"figure": "service_avg", "label": _("Average handling (min)")},
        {"figure": "pad_satisfaction", "label": _("Ratings"), "part": "denominator"},
        {"figure": "pad_satisfaction", "label": _("Pad satisfaction")},
        {"figure": "no_shows", "label": _("No-shows")},
    ]
    if group_by == "counter":
        columns.append({"figure": "counter_utilisation", "label": _("Utilisation")})
    return columns


# The ranking of halls: every column sorts, best first.
RANKING_FIGURES = (
    "response_timeliness",
    "customer_satisfaction",
    "complaint_rate",
    "served",
    "wait_avg",
    "repairs_registered",
    "complaints_accepted",
)


def ranking_columns() -> list[dict]:
    names = {
        **{name: str(label) for name, label in HEADLINES.items()},
        "served": _("Served"),
        "wait_avg": _("Average wait (min)"),
        "repairs_registered": _("Repairs registered"),
        "complaints_accepted": _("Complaints accepted"),
    }
    return [{"figure": name, "label": names[name]} for name in RANKING_FIGURES]


# Reading the figures


def answer(hall_or_halls, first: dt.date, last: dt.date, group_by: str) -> dict:
    halls = hall_or_halls if isinstance(hall_or_halls, list) else [hall_or_halls]
    param = "all" if isinstance(hall_or_halls, list) else str(hall_or_halls.pk)
    return selectors.kpis_answer(halls=halls, first=first, last=last, group_by=group_by, hall_param=param)


def headlines(current: dict, previous: dict | None, targets: dict) -> list[dict]:
    """The three headline figures of a `total` answer row against the hall's targets, with the previous period's."""
    cards = []
    for name, label in HEADLINES.items():
        figure = current.get(name) or {}
        value = figure.get("value")
        target = targets[name]
        lower = name in LOWER_IS_BETTER
        met = value is not None and (value <= target if lower else value >= target)
        state = "none" if value is None else "ok" if met else "bad"
        cards.append(
            {
                "name": name,
                "label": label,
                "figure": figure,
                "state": state,
                "target": target,
                "lower_is_better": lower,
                "previous": (previous or {}).get(name) or {},
            }
        )
    return cards


def _total_figures(answer_: dict) -> dict:
    return answer_["rows"][0]["figures"] if answer_["rows"] else {}


def _figures_chart_series(chart: Chart, totals: dict) -> list[dict]:
    if not chart.prefix:
        return list(chart.series)
    # Urgency 1, 2, 3, then key customers.
    names = sorted((name for name in totals if name.startswith(chart.prefix)), key=lambda name: ("key" in name, name))
    return [_s(name, qualifier_label(name.removeprefix(chart.prefix)), "bar") for name in names]


def qualifier_label(qualifier: str) -> str:
    """What a figure's qualifier (`response_timeliness_<qualifier>`) is called: urgency 1–3, key customers."""
    digits = "".join(ch for ch in qualifier if ch.isdigit())
    if "key" in qualifier:
        return _("Key customers")
    if digits:
        return _("Urgency %(level)s") % {"level": digits}
    return qualifier.replace("_", " ")


def _every_hour(rows: list[dict], hall: Hall) -> list[dict]:
    """The hour rows from the hall's opening to its closing hour (and any hour outside them that had figures),
    an hour without any as an empty row: the hours read as a clock, not only those with customers."""
    by_hour = {int(row["key"]): row for row in rows}
    first = min([hall.opens_at.hour, *by_hour])
    last = max([hall.closes_at.hour, *by_hour])
    return [
        by_hour.get(hour) or {"key": str(hour), "label": f"{hour:02d}:00", "figures": {}}
        for hour in range(first, last + 1)
    ]


def chart_data(charts: list[Chart], answers: dict[str, dict], targets: dict, hall: Hall) -> dict:
    """The charts' data as static/js/reports.js reads it: for each grouping its rows with only the figures the
    charts draw, and each chart's series, unit and target."""
    totals = _total_figures(answers["total"]) if "total" in answers else {}
    specs, wanted = [], {}
    for chart in charts:
        series = _figures_chart_series(chart, totals) if chart.kind == "figures" else list(chart.series)
        wanted.setdefault(chart.group_by, set()).update(s["figure"] for s in series)
        target = None
        if chart.target:
            target = {
                "value": targets[chart.target],
                "name": str(HEADLINES[chart.target]),
                "lower_is_better": chart.target in LOWER_IS_BETTER,
            }
        specs.append(
            {
                "id": chart.id,
                "kind": chart.kind,
                "group_by": chart.group_by,
                "unit": chart.unit,
                "series": [{**s, "name": str(s["name"])} for s in series],
                "target": target,
                "short": {**chart.short, "name": str(chart.short["name"])} if chart.short else None,
            }
        )
    groups = {}
    for group_by, names in wanted.items():
        rows = answers[group_by]["rows"]
        if group_by == "hour":
            rows = _every_hour(rows, hall)
        groups[group_by] = [
            {
                "key": row["key"],
                "label": row["label"],
                "figures": {name: row["figures"][name] for name in names if name in row["figures"]},
            }
            for row in rows
        ]
    return {"charts": specs, "groups": groups, "texts": chart_texts()}


def chart_texts() -> dict:
    return {
        "noData": _("No figures for this period yet."),
        "weekdays": [str(name) for name in WEEKDAYS_ABBR.values()],
        "hour": _("Hour"),
        "groups": {
            "hour": _("Hour"),
            "day": _("Day"),
            "business_type": _("Business type"),
            "clerk": _("Clerk"),
            "counter": _("Counter"),
            "weekday_hour": _("Weekday"),
            "total": _("Figure"),
        },
    }


def export_links(hall: Hall, first: dt.date, last: dt.date, group_by: str) -> dict:
    """The API's table downloads of one grouping (API.md "Reports": kpis.csv and kpis.xlsx take kpis' query)."""
    base = reverse("api-reports-kpis").rstrip("/")
    query = urlencode({"hall": hall.pk, "from": first.isoformat(), "to": last.isoformat(), "group_by": group_by})
    return {"csv": f"{base}.csv?{query}", "xlsx": f"{base}.xlsx?{query}"}


DASHBOARD_GROUPINGS = ("total", "day", "hour", "weekday_hour", "business_type", "clerk", "counter")


def dashboard(hall: Hall, period: Period) -> dict:
    """Everything /reports/ shows for a hall and period."""
    answers = {g: answer(hall, period.first, period.last, g) for g in DASHBOARD_GROUPINGS}
    previous = answer(hall, period.previous_first, period.previous_last, "total")
    targets = answers["total"]["targets"]
    page_sections = sections()
    charts = [chart for section in page_sections for chart in section.charts]
    return {
        "headlines": headlines(_total_figures(answers["total"]), _total_figures(previous), targets),
        "sections": [
            {
                "id": section.id,
                "title": section.title,
                "charts": [
                    {"chart": chart, "links": export_links(hall, period.first, period.last, chart.group_by)}
                    for chart in section.charts
                ],
            }
            for section in page_sections
        ],
        "chart_data": chart_data(charts, answers, targets, hall),
        "tables": [
            {
                "id": group_by,
                "title": _("Per clerk") if group_by == "clerk" else _("Per counter"),
                "heading": _("Clerk") if group_by == "clerk" else _("Counter"),
                "columns": staff_columns(group_by),
                "rows": answers[group_by]["rows"],
                "links": export_links(hall, period.first, period.last, group_by),
            }
            for group_by in ("clerk", "counter")
        ],
    }


def wall(hall: Hall) -> dict:
    """Today's headline figures and key charts for the big screen."""
    today = hall.today()
    charts = wall_charts()
    answers = {g: answer(hall, today, today, g) for g in {chart.group_by for chart in charts} | {"total"}}
    yesterday = answer(hall, today - dt.timedelta(days=1), today - dt.timedelta(days=1), "total")
    targets = answers["total"]["targets"]
    totals = _total_figures(answers["total"])
    return {
        "today": today,
        "headlines": headlines(totals, _total_figures(yesterday), targets),
        "totals": totals,
        "charts": charts,
        "chart_data": chart_data(charts, answers, targets, hall),
    }


def ranking(halls: list[Hall], period: Period, sort: str) -> dict:
    """The halls side by side over a period, best first by the figure `sort` ("-name" turns the order round)."""
    rows = {row["key"]: row["figures"] for row in answer(halls, period.first, period.last, "hall")["rows"]}
    reverse_order = sort.startswith("-")
    name = sort.removeprefix("-")
    if name not in RANKING_FIGURES:
        name, reverse_order = RANKING_FIGURES[0], False
    entries = []
    for hall in halls:
        figures = rows.get(str(hall.pk), {})
        cards = headlines(figures, None, engine.targets(hall))
        entries.append({"hall": hall, "figures": figures, "headlines": {card["name"]: card for card in cards}})

    def value(entry):
        return (entry["figures"].get(name) or {}).get("value")

    known = [entry for entry in entries if value(entry) is not None]
    unknown = [entry for entry in entries if value(entry) is None]
    best_first = name not in LOWER_IS_BETTER
    known.sort(key=value, reverse=best_first != reverse_order)
    ranked = known + sorted(unknown, key=lambda entry: entry["hall"].code)
    for position, entry in enumerate(ranked, start=1):
        entry["rank"] = position if value(entry) is not None else None
    return {"rows": ranked, "sort": name, "reversed": reverse_order, "columns": ranking_columns()}
