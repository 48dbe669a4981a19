"""The periods the report pages offer, and the period each is compared with.

A period is a range of the hall's local days, both ends included (docs/KPIS.md "Periods"). The previous period of
"this week" and "this month" is the same stretch of the week or month before (Monday to the same weekday; the
first to the same day of the month, or its last day), so a week or month under way is compared like for like;
the previous period of a custom range is the same number of days just before it.
"""

import calendar
import datetime as dt
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.apis import MAX_DAYS

PERIODS = {
    "today": _("Today"),
    "yesterday": _("Yesterday"),
    "this_week": _("This week"),
    "last_week": _("Last week"),
    "this_month": _("This month"),
    "last_month": _("Last month"),
    "custom": _("From … to …"),
}


@dataclass(frozen=True)
class Period:
    name: str
    first: dt.date
    last: dt.date
    previous_first: dt.date
    previous_last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def _month_start(day: dt.date, months_back: int = 0) -> dt.date:
    month = day.year * 12 + day.month - 1 - months_back
    return dt.date(month // 12, month % 12 + 1, 1)


def _month_end(first: dt.date) -> dt.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _same_day_in(month_first: dt.date, day: int) -> dt.date:
    return month_first.replace(day=min(day, calendar.monthrange(month_first.year, month_first.month)[1]))


def period(name: str, today: dt.date, first: dt.date | None = None, last: dt.date | None = None) -> Period:
    """The named period seen from the hall's `today` (custom: first..last), with its previous period."""
    one_day = dt.timedelta(days=1)
    week = dt.timedelta(days=7)
    monday = today - dt.timedelta(days=today.weekday())
    if name == "today":
        return Period(name, today, today, today - one_day, today - one_day)
    if name == "yesterday":
        return Period(name, today - one_day, today - one_day, today - 2 * one_day, today - 2 * one_day)
    if name == "this_week":
        return Period(name, monday, today, monday - week, today - week)
    if name == "last_week":
        return Period(name, monday - week, monday - one_day, monday - 2 * week, monday - week - one_day)
    if name == "this_month":
        start, before = _month_start(today), _month_start(today, 1)
        return Period(name, start, today, before, _same_day_in(before, today.day))
    if name == "last_month":
        start, before = _month_start(today, 1), _month_start(today, 2)
        return Period(name, start, _month_end(start), before, _month_end(before))
    if name == "custom" and first is not None and last is not None:
        length = (last - first).days + 1
        return Period(name, first, last, first - dt.timedelta(days=length), first - one_day)
    raise ValueError(name)


class PeriodForm(forms.Form):
    """The period picker's query: ?period=<name>, and from/to for a custom period (today by default)."""

    period = forms.ChoiceField(label=_("Period"), choices=list(PERIODS.items()), required=False)
    # "from" is a Python keyword: the field is added under its query name in __init__.
    to = forms.DateField(label=_("Last day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, today: dt.date):
        super().__init__(data)
        self.today = today
        self.fields["from"] = forms.DateField(
            label=_("First day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
        self.order_fields(["period", "from", "to"])

    def clean(self):
        data = super().clean()
        name = data.get("period") or ("custom" if data.get("from") or data.get("to") else "today")
        data["period"] = name
        if name != "custom":
            return data
        first, last = data.get("from"), data.get("to")
        if first is None and "from" not in self.errors:
            self.add_error("from", _("Choose the first day of the period."))
        if last is None and "to" not in self.errors:
            self.add_error("to", _("Choose the last day of the period."))
        if first is None or last is None:
            return data
        if first > last:
            self.add_error("to", _("The period ends before it starts."))
        elif last > self.today:
            self.add_error("to", _("The period cannot end after today."))
        elif (last - first).days >= MAX_DAYS:
            self.add_error("to", _("A period is at most two years."))
        return data

    def chosen(self) -> Period:
        data = self.cleaned_data
        return period(data["period"], self.today, data.get("from"), data.get("to"))
