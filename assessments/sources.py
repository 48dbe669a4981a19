"""The fact sources the assessment itself reads from the existing apps (registered in AssessmentsConfig.ready()).

Readings of the rules:
- complaint_justified: a complaint resolved in the month whose resolution says it was justified against a person
  (complaints' `justified`, `justified_against`); one unit per complaint, at its resolution.
- sla_breach: an SLA clock due in the month with a responsible person, that breached: still running past its
  deadline, or stopped after it. Duties' grace clocks are left to duty_missed, so one miss counts once.
- duty_missed: a duty due in the month, with a responsible person, not done by its time plus the hall's
  duty-done grace (hall.sla "duty-done"): done later, or still not done once the grace is over.
- shift_no_show: a rostered shift of a day that is over, of a person with no approved leave that day, and no sign
  of them that day: a sign is a timeline event with them as the actor (opening a counter, calling or serving a
  ticket, any step of a repair, complaint or chore, which all write one), a ticket they served, or their last
  sign-in falling that day (the system keeps only the last one). One unit per shift.
- pad_satisfaction (bonus): the person's pad ratings in the month (tickets they served) satisfied at a rate above
  the hall's rate over the same ratings, with at least MIN_RATINGS of them; the amount is the percentage points
  above, to one decimal.
"""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.facts import Fact
from complaints import selectors as complaint_selectors
from hall import sla
from hall.models import SlaClock, TimelineEvent, User
from staff import selectors as staff_selectors
from tickets import selectors as ticket_selectors

MIN_RATINGS = 10


def _bounds(hall, first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(first, dt.time.min, tzinfo=hall.tz)
    return start, dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=hall.tz)


def _local(at: dt.datetime, hall) -> str:
    return timezone.localtime(at, hall.tz).strftime("%m-%d %H:%M")


def complaint_justified(hall, first, last):
    start, end = _bounds(hall, first, last)
    for complaint in complaint_selectors.justified_against_people(hall, start, end):
        yield Fact(
            staff_id=complaint.justified_against_id,
            source="complaint_justified",
            record=_("Complaint %(number)s, resolved %(at)s")
            % {"number": complaint.number, "at": _local(complaint.resolved_at, hall)},
            link=complaint.get_absolute_url(),
            at=complaint.resolved_at,
        )


def sla_breach(hall, first, last):
    start, end = _bounds(hall, first, last)
    now = timezone.now()
    duty_type = ContentType.objects.get_by_natural_key("staff", "duty")
    clocks = (
        SlaClock.objects.filter(hall=hall, responsible__isnull=False, due_at__gte=start, due_at__lt=end)
        .filter(Q(stopped_at__isnull=True, due_at__lt=now) | Q(stopped_at__gt=F("due_at")))
        .exclude(content_type=duty_type)
        .order_by("due_at", "id")
    )
    for clock in clocks:
        yield Fact(
            staff_id=clock.responsible_id,
            source="sla_breach",
            record=_("%(what)s, due %(at)s") % {"what": clock.what, "at": _local(clock.due_at, hall)},
            link=clock.link or "",
            at=clock.due_at,
        )


def duty_missed(hall, first, last):
    start, end = _bounds(hall, first, last)
    now = timezone.now()
    policy = sla.policy_for(hall, "duty-done")
    for duty in staff_selectors.duties_due(hall, start, end):
        grace = sla.deadline(start=duty.due_at, policy=policy, urgent=False, hall=hall)
        missed = (duty.done_at is None and grace < now) or (duty.done_at is not None and duty.done_at > grace)
        if missed:
            yield Fact(
                staff_id=duty.responsible_id,
                source="duty_missed",
                record=_("%(chore)s, due %(at)s") % {"chore": duty.chore, "at": _local(duty.due_at, hall)},
                link=f"{reverse('duty-board')}?date={duty.date:%Y-%m-%d}#duty-{duty.pk}",
                at=duty.due_at,
            )


def shift_no_show(hall, first, last):
    last = min(last, hall.today() - dt.timedelta(days=1))
    if last < first:
        return
    shifts = list(staff_selectors.shifts_on(hall, first, last))
    if not shifts:
        return
    on_leave = staff_selectors.approved_leave_days(hall, first, last)
    signs = set(ticket_selectors.clerks_who_served(hall, first, last))
    start, end = _bounds(hall, first, last)
    events = TimelineEvent.objects.filter(hall=hall, at__gte=start, at__lt=end, actor__isnull=False)
    signs |= set(events.values_list("actor_id", TruncDate("at", tzinfo=hall.tz)).distinct())
    people = {shift.staff_id for shift in shifts}
    for pk, last_login in User.objects.filter(pk__in=people, last_login__isnull=False).values_list("pk", "last_login"):
        signs.add((pk, timezone.localtime(last_login, hall.tz).date()))
    for shift in shifts:
        if (shift.staff_id, shift.date) in on_leave or (shift.staff_id, shift.date) in signs:
            continue
        yield Fact(
            staff_id=shift.staff_id,
            source="shift_no_show",
            record=_("Shift %(day)s %(start)s–%(end)s")
            % {
                "day": f"{shift.date:%m-%d}",
                "start": f"{timezone.localtime(shift.start, hall.tz):%H:%M}",
                "end": f"{timezone.localtime(shift.end, hall.tz):%H:%M}",
            },
            link=f"{reverse('roster-week')}?date={shift.date:%Y-%m-%d}#shift-{shift.pk}",
            at=shift.start,
        )


def pad_satisfaction(hall, first, last):
    start, end = _bounds(hall, first, last)
    by_clerk, total, satisfied = ticket_selectors.pad_ratings_by_clerk(hall, start, end)
    if not total:
        return
    hall_rate = 100 * satisfied / total
    for clerk_id, (n, ok) in sorted(by_clerk.items()):
        if n < MIN_RATINGS:
            continue
        above = round(100 * ok / n - hall_rate, 1)
        if above > 0:
            yield Fact(
                staff_id=clerk_id,
                source="pad_satisfaction",
                record=_("Pad ratings %(month)s: %(ok)s of %(n)s satisfied (hall %(rate)s %%)")
                % {"month": f"{first:%Y-%m}", "ok": ok, "n": n, "rate": round(hall_rate, 1)},
                link=f"{reverse('reports')}?from={first:%Y-%m-%d}&to={last:%Y-%m-%d}&group_by=clerk",
                at=end - dt.timedelta(seconds=1),
                note=_("%(above)s points above the hall") % {"above": above},
                amount=above,
            )
