"""A person's shifts and duties as an iCalendar feed (RFC 5545), for the calendar on their phone."""

import datetime as dt

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from hall.models import User
from staff.models import CalendarFeed, Duty, DutyRole, Shift
from staff.selectors import feed_items

DAYS_BACK, DAYS_AHEAD = 7, 60
DUTY_LENGTH = dt.timedelta(minutes=30)
PRODID = "-//Service Hall//Shifts and duties//ZH"


def feed_url(request, feed: CalendarFeed) -> str:
    """The feed's full address, which a calendar app subscribes to."""
    return request.build_absolute_uri(reverse("calendar-feed", args=[feed.token]))


def calendar_for(user: User, *, today: dt.date | None = None) -> bytes:
    """The person's shifts and duties from a week ago to 60 days ahead. UIDs stay the same from one fetch
    to the next, so a calendar app updates an event instead of adding it twice."""
    today = today or (user.hall.today() if user.hall_id else timezone.localdate())
    shifts, duties = feed_items(user, today - dt.timedelta(days=DAYS_BACK), today + dt.timedelta(days=DAYS_AHEAD))
    prefetch_related_objects(shifts, "template")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("%(name)s: shifts and duties") % {"name": user.display_name})
    stamp = timezone.now()
    for shift in shifts:
        calendar.add_component(_shift_event(shift, stamp))
    for duty in duties:
        calendar.add_component(_duty_event(duty, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _shift_event(shift: Shift, stamp: dt.datetime) -> Event:
    tz = shift.hall.tz
    title = shift.template.name if shift.template_id else _("Shift")
    event = Event()
    event.add("uid", f"shift-{shift.pk}@servicehall")
    event.add("dtstamp", stamp)
    event.add("dtstart", timezone.localtime(shift.start, tz))
    event.add("dtend", timezone.localtime(shift.end, tz))
    event.add("summary", f"{title} · {shift.post}" if shift.post else title)
    event.add("location", shift.hall.name)
    return event


ROLE_TAGS = {DutyRole.A: "A", DutyRole.B: "B"}


def _duty_event(duty: Duty, stamp: dt.datetime) -> Event:
    role = ROLE_TAGS.get(duty.role) or _("duty manager")
    event = Event()
    event.add("uid", f"duty-{duty.pk}@servicehall")
    event.add("dtstamp", stamp)
    event.add("dtstart", timezone.localtime(duty.due_at, duty.hall.tz))
    event.add("duration", DUTY_LENGTH)
    event.add("summary", f"{duty.chore.name} ({role})")
    description = "\n\n".join(text for text in (duty.chore.checklist, duty.reason_text) if text)
    if description:
        event.add("description", description)
    event.add("location", duty.hall.name)
    return event
