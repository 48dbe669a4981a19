"""What each group of a grouping is called on screens and in exports."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from hall.models import Hall
from tickets.models import BusinessType, Counter

WEEKDAYS = {
    "1": gettext_lazy("Mon"),
    "2": gettext_lazy("Tue"),
    "3": gettext_lazy("Wed"),
    "4": gettext_lazy("Thu"),
    "5": gettext_lazy("Fri"),
    "6": gettext_lazy("Sat"),
    "7": gettext_lazy("Sun"),
}


def labels(group_by: str, keys: list[str]) -> dict[str, str]:
    """{key: label} for these keys of the grouping."""
    ids = [int(key) for key in keys if key.isdigit()]
    if group_by == "business_type":
        names = {str(bt.pk): f"{bt.code} {bt.name}" for bt in BusinessType.objects.filter(pk__in=ids)}
    elif group_by == "counter":
        names = {
            str(c.pk): c.name or _("Counter %(number)s") % {"number": c.number}
            for c in Counter.objects.filter(pk__in=ids)
        }
    elif group_by == "clerk":
        names = {str(u.pk): u.display_name for u in get_user_model().objects.filter(pk__in=ids)}
    elif group_by == "hall":
        names = {str(h.pk): h.name for h in Hall.objects.filter(pk__in=ids)}
    elif group_by == "total":
        names = {"total": _("Total")}
    elif group_by == "hour":
        names = {key: f"{int(key):02d}:00" for key in keys}
    elif group_by == "weekday_hour":
        names = {key: f"{WEEKDAYS[key.split('-')[0]]} {int(key.split('-')[1]):02d}:00" for key in keys}
    elif group_by == "day":
        names = {key: dt.date.fromisoformat(key).strftime("%m-%d") for key in keys}
    else:  # week, month: the key reads well as it is
        names = {}
    return {key: str(names.get(key, key)) for key in keys}


# The figures of each area, in the order tables show them (API.md "Reports"), with what their columns are called.
AREAS: dict[str, list[str]] = {
    "queue": [
        "issued",
        "served",
        "no_shows",
        "cancelled",
        "no_show_rate",
        "wait_avg",
        "wait_p50",
        "wait_p90",
        "waits_over_target",
        "wait_prediction_error",
        "transfer_wait_avg",
        "service_avg",
        "service_p90",
        "services_over_target",
        "pad_satisfaction",
        "rating_coverage",
        "arrivals",
        "counter_utilisation",
        "counters_open",
        "arrivals_per_counter",
    ],
    "repairs": [
        "repairs_registered",
        "response_timeliness",
        "callback_on_time",
        "repair_satisfaction",
        "repairs_reopened",
        "repeat_reports",
    ],
    "complaints": [
        "complaints_accepted",
        "complaint_rate",
        "first_contact_on_time",
        "progress_on_time",
        "result_on_time",
        "follow_up_on_time",
        "complaint_satisfaction",
        "complaints_reopened",
        "repeat_complainants",
    ],
    "hall": ["customer_satisfaction", "sla_on_time", "chores_on_time"],
}
AREA_LABELS = {
    "queue": pgettext_lazy("report area", "Queue"),
    "repairs": pgettext_lazy("report area", "Repairs"),
    "complaints": pgettext_lazy("report area", "Complaints"),
    "hall": pgettext_lazy("report area", "Hall"),
}
FIGURE_LABELS = {
    "issued": gettext_lazy("Tickets issued"),
    "served": gettext_lazy("Tickets served"),
    "no_shows": gettext_lazy("No-shows"),
    "cancelled": gettext_lazy("Tickets cancelled"),
    "no_show_rate": gettext_lazy("No-show rate"),
    "wait_avg": gettext_lazy("Mean wait (min)"),
    "wait_p50": gettext_lazy("Median wait (min)"),
    "wait_p90": gettext_lazy("90th percentile wait (min)"),
    "waits_over_target": gettext_lazy("Waits over target"),
    "wait_prediction_error": gettext_lazy("Wait prediction error (min)"),
    "transfer_wait_avg": gettext_lazy("Mean wait after a transfer (min)"),
    "service_avg": gettext_lazy("Mean service time (min)"),
    "service_p90": gettext_lazy("90th percentile service time (min)"),
    "services_over_target": gettext_lazy("Services over target"),
    "pad_satisfaction": gettext_lazy("Rating pad satisfaction"),
    "rating_coverage": gettext_lazy("Rating coverage"),
    "arrivals": gettext_lazy("Arrivals per day"),
    "counter_utilisation": gettext_lazy("Counter utilisation"),
    "counters_open": gettext_lazy("Counters open (average)"),
    "arrivals_per_counter": gettext_lazy("Arrivals per open counter-hour"),
    "repairs_registered": gettext_lazy("Repair orders registered"),
    "response_timeliness": gettext_lazy("Response timeliness"),
    "callback_on_time": gettext_lazy("Repair callbacks on time"),
    "repair_satisfaction": gettext_lazy("Repair satisfaction"),
    "repairs_reopened": gettext_lazy("Repair orders reopened"),
    "repeat_reports": gettext_lazy("Repeat repair reports"),
    "complaints_accepted": gettext_lazy("Complaints accepted"),
    "complaint_rate": gettext_lazy("Complaint rate"),
    "first_contact_on_time": gettext_lazy("First contact on time"),
    "progress_on_time": gettext_lazy("Progress reports on time"),
    "result_on_time": gettext_lazy("Results on time"),
    "follow_up_on_time": gettext_lazy("Complaint follow-ups on time"),
    "complaint_satisfaction": gettext_lazy("Complaint satisfaction"),
    "complaints_reopened": gettext_lazy("Complaints reopened"),
    "repeat_complainants": gettext_lazy("Repeat complainants"),
    "customer_satisfaction": gettext_lazy("Customer satisfaction"),
    "sla_on_time": gettext_lazy("Deadlines kept"),
    "chores_on_time": gettext_lazy("Chores on time"),
}
# The targets (reports.engine.targets): the figure each is for, and whether the figure must stay at or above it.
TARGET_AT_LEAST = {"response_timeliness": True, "customer_satisfaction": True, "complaint_rate": False}
ORDER = [name for names in AREAS.values() for name in names]


def _base(name: str) -> str:
    """The contract's figure an extra figure `<figure>_<qualifier>` qualifies (the name itself when it is one)."""
    if name in FIGURE_LABELS:
        return name
    bases = [base for base in ORDER if name.startswith(base + "_")]
    return max(bases, key=len) if bases else name


def figure_label(name: str) -> str:
    base = _base(name)
    if base not in FIGURE_LABELS:
        return name
    qualifier = name[len(base) + 1 :]
    return f"{FIGURE_LABELS[base]} {qualifier}" if qualifier else str(FIGURE_LABELS[base])


def area_of(name: str) -> str:
    base = _base(name)
    return next((area for area, names in AREAS.items() if base in names), "hall")


def figure_order(names) -> list[str]:
    """These figure names in the tables' order: the contract's, each followed by its extras; unknown ones last."""
    return sorted(names, key=lambda name: (ORDER.index(_base(name)) if _base(name) in ORDER else len(ORDER), name))


def figure_kind(figure: dict) -> str:
    """How a figure is shown: a `rate` (numerator and denominator), `minutes` (over a `count`) or a `count`."""
    if "denominator" in figure:
        return "rate"
    if "count" in figure:
        return "minutes"
    return "count"


def shown(figure: dict | None) -> str:
    """A figure's value as screens and notes show it: rates to one decimal of a percent, minutes to one decimal,
    "—" when there is none."""
    value = (figure or {}).get("value")
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "—"
    kind = figure_kind(figure)
    if kind == "rate":
        return f"{value * 100:.1f} %"
    if kind == "minutes":
        return f"{value:.1f}"
    return f"{value:g}"


def misses_target(name: str, figure: dict, targets: dict) -> bool:
    """Whether a headline figure is on the wrong side of its target (shown in red)."""
    value = (figure or {}).get("value")
    if name not in TARGET_AT_LEAST or name not in targets or not isinstance(value, int | float):
        return False
    return value < targets[name] if TARGET_AT_LEAST[name] else value > targets[name]
