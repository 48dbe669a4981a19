"""The reports' answers, as the API and the pages give them."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from hall import sla
from hall.models import Hall
from reports import engine
from reports.labels import figure_label, figure_order, labels, shown
from reports.models import DayParts, MonthClose
from tickets.models import CounterStatus
from tickets.selectors import floor_snapshot


def kpis_answer(*, halls: list[Hall], first: dt.date, last: dt.date, group_by: str, hall_param: str) -> dict:
    """API.md "Reports": {hall, from, to, group_by, targets, rows: [{key, label, figures}]}."""
    rows = engine.kpis(halls=halls, first=first, last=last, group_by=group_by)
    names = labels(group_by, [row["key"] for row in rows])
    return {
        "hall": hall_param,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "group_by": group_by,
        "targets": engine.targets(halls[0] if len(halls) == 1 else None),
        "rows": [{"key": row["key"], "label": names[row["key"]], "figures": row["figures"]} for row in rows],
    }


# The month (月结)

# How the month's report is grouped, in the order it shows them.
MONTH_GROUPINGS = ("total", "business_type", "counter", "clerk", "week")


def month_days(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month of this date."""
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def monthly_figures(hall: Hall, first: dt.date, last: dt.date) -> dict:
    """The month's figures as they stand: {targets, groups: {grouping: [{key, figures}]}}; what a close freezes."""
    return {
        "targets": engine.targets(hall),
        "groups": {g: engine.kpis(halls=[hall], first=first, last=last, group_by=g) for g in MONTH_GROUPINGS},
    }


def monthly_answer(hall: Hall, month: dt.date) -> dict:
    """The month's report: frozen as it was closed, else live; a closed month's figures that differ now are listed
    in `changes_since_close`, never folded in."""
    first, last = month_days(month)
    close = MonthClose.objects.filter(hall=hall, month=first).select_related("closed_by").first()
    if close is None:
        report = live = monthly_figures(hall, first, last)
    else:
        report = close.frozen
        live = monthly_figures(hall, first, last) if _changed_since(close, first, last) else report
    return {
        "hall": hall.pk,
        "hall_name": hall.name,
        "month": f"{first:%Y-%m}",
        "from": first.isoformat(),
        "to": last.isoformat(),
        "status": "closed" if close is not None else "open",
        "closed_at": close.closed_at.isoformat() if close is not None else None,
        "closed_by": close.closed_by_id if close is not None else None,
        "targets": report["targets"],
        "groups": {g: _labelled(g, report["groups"].get(g, [])) for g in MONTH_GROUPINGS},
        "changes_since_close": changes(report, live) if close is not None else [],
    }


def _changed_since(close: MonthClose, first: dt.date, last: dt.date) -> bool:
    """Whether the month's figures may differ from the frozen ones: unless every day of the month was rolled up
    before the close and none since, the live figures are computed and compared. (The live figures of closed days
    are their roll-up's, so a month whose roll-up is untouched since the close reads as it was frozen.)"""
    rolled = DayParts.objects.filter(hall=close.hall, day__range=(first, last), dimension="total")
    if rolled.filter(computed_at__gt=close.closed_at).exists():
        return True
    return rolled.count() < (last - first).days + 1


def _labelled(group_by: str, rows: list[dict]) -> list[dict]:
    names = labels(group_by, [row["key"] for row in rows])
    return [{"key": row["key"], "label": names[row["key"]], "figures": row["figures"]} for row in rows]


def changes(frozen: dict, live: dict) -> list[dict]:
    """Every figure of every group that differs now from the frozen report: {group_by, key, label, figure,
    at_close, now, note}."""
    found = []
    for group_by in MONTH_GROUPINGS:
        before = {row["key"]: row["figures"] for row in frozen["groups"].get(group_by, [])}
        after = {row["key"]: row["figures"] for row in live["groups"].get(group_by, [])}
        keys = sorted(set(before) | set(after), key=engine._sort_key)
        names = labels(group_by, keys)
        for key in keys:
            old, new = before.get(key, {}), after.get(key, {})
            for figure in figure_order(set(old) | set(new)):
                if old.get(figure) == new.get(figure):
                    continue
                found.append(
                    {
                        "group_by": group_by,
                        "key": key,
                        "label": names[key],
                        "figure": figure,
                        "at_close": old.get(figure),
                        "now": new.get(figure),
                        "note": _("%(figure)s, %(group)s: %(before)s at the close, %(now)s now.")
                        % {
                            "figure": figure_label(figure),
                            "group": names[key],
                            "before": shown(old.get(figure)),
                            "now": shown(new.get(figure)),
                        },
                    }
                )
    return found


# The dashboard


def dashboard_answer(hall: Hall) -> dict:
    """Today's total figures and the live floor: waiting per type, the longest wait, open counters, and the
    deadlines in danger (overdue or past 75 % of their window)."""
    today = hall.today()
    floor = floor_snapshot(hall)
    clocks = sla.clocks_needing_attention(hall=hall)
    types = [
        {
            "code": row["type"].code,
            "name": row["type"].name,
            "waiting": row["waiting"],
            "longest_wait_minutes": row["longest_wait_minutes"],
            "open_counters": row["open_counters"],
        }
        for row in floor["types"]
    ]
    counters = [
        {
            "id": row["counter"].pk,
            "number": row["counter"].number,
            "status": row["counter"].status,
            "clerk": row["counter"].clerk_id,
            "ticket": row["ticket"].number if row["ticket"] is not None else None,
            "busy_minutes": row["busy_minutes"],
            "served_today": row["served_today"],
        }
        for row in floor["counters"]
    ]
    return {
        "hall": hall.pk,
        "date": today.isoformat(),
        "at": timezone.localtime(floor["at"], hall.tz).isoformat(),
        "targets": engine.targets(hall),
        "figures": engine.kpis(halls=[hall], first=today, last=today)[0]["figures"],
        "waiting": {row["code"]: row["waiting"] for row in types},
        "longest_wait_minutes": max((row["longest_wait_minutes"] for row in types), default=0),
        "open_counters": sum(1 for row in counters if row["status"] == CounterStatus.OPEN),
        "types": types,
        "counters": counters,
        "endangered_deadlines": [
            {
                "clock": clock.name,
                "what": clock.what,
                "link": clock.link,
                "responsible": clock.responsible_id,
                "due_at": timezone.localtime(clock.shown_due, hall.tz).isoformat(),
                "state": clock.state,
            }
            for clock in clocks
        ],
    }
