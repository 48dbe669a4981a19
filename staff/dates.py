"""Which days and weeks staff input may name: one set of rules for the pages and the API.

Reading a day or a week accepts any the calendar holds, as long as its neighbours exist too (the pages link to
the day or week before and after). Writing one (a shift, a duty manager, duties, leave, a handover) is held
closer: anything beyond ten years is a typing mistake, and a leave is at most a year long and ends within two
years, so the days a leave spans can always be walked."""

import datetime as dt
import re
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_REACH_DAYS = 3653
MAX_LEAVE_DAYS = 366
LEAVE_AHEAD_DAYS = 731
ONE_WEEK = dt.timedelta(days=7)


def parse_day(text: str) -> dt.date:
    """`2026-03-02` → the day; ValueError when malformed, or when the day before or after is not in the calendar."""
    day = dt.date.fromisoformat(text)
    if not dt.date.min < day < dt.date.max:
        raise ValueError(text)
    return day


def week_days(iso_week: str) -> list[dt.date]:
    """`2026-W48` → its Monday to Sunday; ValueError when malformed, or when it or the week before or after runs
    past the calendar (0001-W02 to 9999-W50 are the weeks it takes)."""
    match = re.fullmatch(r"(\d{4})-W(\d{2})", iso_week)
    if match is None:
        raise ValueError(iso_week)
    monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    if not dt.date.min + ONE_WEEK <= monday <= dt.date.max - 2 * ONE_WEEK + dt.timedelta(days=1):
        raise ValueError(iso_week)
    return [monday + dt.timedelta(days=n) for n in range(7)]


def days_between(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """Each day from start to end, both included; never steps past the last one (date.max has no next day)."""
    for n in range((end - start).days + 1):
        yield start + dt.timedelta(days=n)


def within_reach(day: dt.date) -> None:
    if abs((day - timezone.localdate()).days) > MAX_REACH_DAYS:
        raise ValidationError(_("Give a day within ten years of today."), code="out_of_reach")


def moment_within_reach(moment: dt.datetime) -> None:
    if abs(moment - timezone.now()) > dt.timedelta(days=MAX_REACH_DAYS):
        raise ValidationError(_("Give a time within ten years of now."), code="out_of_reach")


def check_leave(start: dt.date, end: dt.date) -> None:
    """A leave of at most 366 days that ends within two years of today; the error names the last day."""
    if end < start:
        raise ValidationError({"end": [_("The leave ends before it starts.")]})
    if (end - start).days >= MAX_LEAVE_DAYS:
        raise ValidationError({"end": [_("One request covers at most 366 days.")]})
    if (end - timezone.localdate()).days > LEAVE_AHEAD_DAYS:
        raise ValidationError({"end": [_("A leave ends within two years of today.")]})
