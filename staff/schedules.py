"""Chore schedules: "daily 08:30", "workdays 10:00" (the calendar's working days: no weekends or public holidays,
but the make-up working Saturdays), "weekly MON 09:00", "closing", "monthly 09:00" (first working day)."""

import datetime as dt
import re

from django.utils.translation import gettext as _

from hall.calendar import is_working_day
from hall.errors import ApplicationError
from staff.models import Chore, ScheduleKind

WEEKDAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]
SCHEDULE = re.compile(
    r"^(?:(daily|workdays|monthly) (\d\d:\d\d)|weekly (MON|TUE|WED|THU|FRI|SAT|SUN) (\d\d:\d\d)|closing)$"
)


def parse_schedule(text: str) -> dict:
    match = SCHEDULE.match(text.strip())
    if match is None:
        raise ApplicationError(
            _('A schedule is "daily HH:MM", "workdays HH:MM", "weekly MON HH:MM", "closing" or "monthly HH:MM".')
        )
    kind_with_time, time_of_kind, weekday, weekly_time = match.groups()
    if kind_with_time is None and weekday is None:
        return {"schedule_kind": ScheduleKind.CLOSING, "at": None, "weekday": None}
    clock = time_of_kind or weekly_time
    try:
        at = dt.time.fromisoformat(clock)
    except ValueError:
        raise ApplicationError(_("%(time)s is not a time of day.") % {"time": clock}) from None
    if weekday is not None:
        return {"schedule_kind": ScheduleKind.WEEKLY, "at": at, "weekday": WEEKDAYS.index(weekday)}
    return {"schedule_kind": kind_with_time, "at": at, "weekday": None}


def schedule_text(chore: Chore) -> str:
    if chore.schedule_kind == ScheduleKind.CLOSING:
        return "closing"
    if chore.schedule_kind == ScheduleKind.WEEKLY:
        return f"weekly {WEEKDAYS[chore.weekday]} {chore.at:%H:%M}"
    return f"{chore.schedule_kind} {chore.at:%H:%M}"


def falls_on(chore: Chore, day: dt.date) -> bool:
    if chore.schedule_kind == ScheduleKind.WEEKLY:
        return day.weekday() == chore.weekday
    if chore.schedule_kind == ScheduleKind.WORKDAYS:
        return is_working_day(day)
    if chore.schedule_kind == ScheduleKind.MONTHLY:
        first = next(day.replace(day=n) for n in range(1, 32) if is_working_day(day.replace(day=n)))
        return day == first
    return True


def due_at(chore: Chore, day: dt.date) -> dt.datetime:
    at = chore.hall.closes_at if chore.schedule_kind == ScheduleKind.CLOSING else chore.at
    return dt.datetime.combine(day, at, tzinfo=chore.hall.tz)
