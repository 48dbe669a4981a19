"""What each group of a grouping is called on screens and in exports."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from hall.models import Hall
from tickets.models import BusinessType, Counter

WEEKDAYS = {
    "1": _("Mon"),
    "2": _("Tue"),
    "3": _("Wed"),
    "4": _("Thu"),
    "5": _("Fri"),
    "6": _("Sat"),
    "7": _("Sun"),
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
