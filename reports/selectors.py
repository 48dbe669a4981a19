"""The reports' answers, as the API and the pages give them."""

import datetime as dt

from hall.models import Hall
from reports import engine
from reports.labels import labels


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
