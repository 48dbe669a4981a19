"""Reads for the staff screens: who is away, the duty board, chores to check, the roster week, open items."""

import datetime as dt
from itertools import islice

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import selectors as complaint_selectors
from hall import sla
from hall.models import DutyManagerDay, Hall, User
from repairs import selectors as repair_selectors
from staff.dates import MAX_LEAVE_DAYS, days_between
from staff.models import Chore, Duty, DutyStatus, Leave, LeaveStatus, Shift
from staff.schedules import falls_on
from tickets import selectors as ticket_selectors


def away_on(hall: Hall, day: dt.date) -> dict[int, str]:
    """Everyone of the hall who does not work that day, with why (a key of staff.reasons.AWAY): on approved
    leave, or not rostered on a day the hall has a roster."""
    away = {
        staff_id: "on_leave"
        for staff_id in Leave.objects.filter(
            hall=hall, status=LeaveStatus.APPROVED, start__lte=day, end__gte=day
        ).values_list("staff_id", flat=True)
    }
    rostered = set(Shift.objects.filter(hall=hall, date=day).values_list("staff_id", flat=True))
    if rostered:
        for user_id in User.objects.filter(hall=hall, is_active=True).values_list("pk", flat=True):
            if user_id not in rostered:
                away.setdefault(user_id, "not_rostered")
    for user_id in User.objects.filter(hall=hall, is_active=False).values_list("pk", flat=True):
        away.setdefault(user_id, "inactive")
    return away


def uncovered_chores(hall: Hall, start: dt.date, end: dt.date) -> list[dict]:
    """Each (chore, day) in the range on which neither A nor B works."""
    chores = list(hall.chores.filter(is_active=True).select_related("a", "b", "hall"))
    found = []
    for day in days_between(start, end):
        away = away_on(hall, day)
        for chore in chores:
            if falls_on(chore, day) and chore.a_id in away and chore.b_id in away:
                found.append({"chore": chore, "date": day})
    return found


def uncovered_if_approved(leave: Leave, limit: int = 20) -> list[dict]:
    """The first (chore, day) pairs that approving this leave would leave with neither A nor B, as a preview; it
    looks no further than the longest leave one may ask for."""
    chores = [c for c in leave.hall.chores.filter(is_active=True) if leave.staff_id in (c.a_id, c.b_id)]
    if not chores:
        return []
    found = []
    for day in islice(days_between(leave.start, leave.end), MAX_LEAVE_DAYS):
        if len(found) >= limit:
            break
        away = {*away_on(leave.hall, day), leave.staff_id}
        found += [{"chore": c, "date": day} for c in chores if falls_on(c, day) and {c.a_id, c.b_id} <= away]
    return found


def duty_board(hall: Hall, day: dt.date) -> list[Duty]:
    """The day's duties in order of time, each with `.state` (done, overdue or open) and, while undone, `.grace_until`:
    when its reminders come if it is still not done (hall.sla's grace clocks)."""
    now = timezone.now()
    duties = list(
        Duty.objects.filter(hall=hall, date=day).select_related(
            "chore", "chore__a", "chore__b", "responsible", "done_by"
        )
    )
    running = sla.running_clocks_by_subject(Duty, [duty.pk for duty in duties])
    for duty in duties:
        duty.state = "done" if duty.status == DutyStatus.DONE else ("overdue" if duty.due_at <= now else "open")
        duty.grace_until = next(filter(None, map(sla.grace_until, running.get(duty.pk, []))), None)
    return duties


def chores_with_flags(hall: Hall) -> list[Chore]:
    """Every chore with `.problems`: A and B the same person, or either of them inactive."""
    chores = list(hall.chores.select_related("a", "b").order_by("at", "name"))
    for chore in chores:
        chore.problems = []
        if chore.a_id == chore.b_id:
            chore.problems.append(_("A and B are the same person"))
        for letter, person in (("A", chore.a), ("B", chore.b)):
            if not person.is_active:
                chore.problems.append(_("%(letter)s is inactive") % {"letter": letter})
    return chores


def roster_week(hall: Hall, days: list[dt.date]) -> dict:
    """The week grid: for each member of staff, each day's shifts and leave; for each day its duty manager (a
    User or None) and whether anyone is rostered. Accounts without a staff role (administrators) are not rows."""
    shifts = list(Shift.objects.filter(hall=hall, date__range=(days[0], days[-1])).select_related("staff", "template"))
    leaves = Leave.objects.filter(
        hall=hall, status=LeaveStatus.APPROVED, start__lte=days[-1], end__gte=days[0]
    ).select_related("staff")
    staff = list(User.objects.filter(hall=hall, is_active=True, groups__isnull=False).distinct().order_by("username"))
    grid = {person.pk: {day: [] for day in days} for person in staff}
    for shift in shifts:
        if shift.staff_id in grid:
            grid[shift.staff_id][shift.date].append(shift)
    on_leave = {(leave.staff_id, day) for leave in leaves for day in days if leave.start <= day <= leave.end}
    managers = {
        row.date: row.manager
        for row in DutyManagerDay.objects.filter(hall=hall, date__range=(days[0], days[-1])).select_related("manager")
    }
    rostered = {shift.date for shift in shifts}
    rows = [
        {"person": person, "days": [(day, grid[person.pk][day], (person.pk, day) in on_leave) for day in days]}
        for person in staff
    ]
    return {
        "days": days,
        "rows": rows,
        "duty_managers": [managers.get(day) for day in days],
        "rostered": [day in rostered for day in days],
    }


def open_items(hall: Hall) -> list[dict]:
    """What a handover lists: tickets still waiting, overdue repairs and complaints, undone duties of today; each
    a kind with its parameters, which staff.reasons.open_item_label puts into words."""
    items = [
        {"kind": "tickets", "count": count, "code": code}
        for code, count in ticket_selectors.waiting_counts(hall).items()
        if count
    ]
    for repair in sla.overdue(repair_selectors.open_repairs(hall_id=hall.pk))[:50]:
        items.append({"kind": "repair", "number": repair.number, "link": repair.get_absolute_url()})
    for complaint in sla.overdue(complaint_selectors.open_complaints(hall_id=hall.pk))[:50]:
        items.append({"kind": "complaint", "number": complaint.number, "link": complaint.get_absolute_url()})
    for duty in Duty.objects.filter(hall=hall, date=hall.today(), status=DutyStatus.OPEN).select_related("chore"):
        items.append({"kind": "duty", "chore": duty.chore.name})
    return items


def feed_items(user: User, start: dt.date, end: dt.date) -> tuple[list[Shift], list[Duty]]:
    """A person's shifts and duties in the range, for their iCal feed."""
    shifts = list(Shift.objects.filter(staff=user, date__range=(start, end)).select_related("hall"))
    duties = list(Duty.objects.filter(Q(responsible=user), date__range=(start, end)).select_related("chore", "hall"))
    return shifts, duties


def duties_due(hall: Hall, start: dt.datetime, end: dt.datetime):
    """The hall's duties with a responsible person due in [start, end), with their chores."""
    return Duty.objects.filter(hall=hall, due_at__gte=start, due_at__lt=end, responsible__isnull=False).select_related(
        "chore"
    )


def shifts_on(hall: Hall, first: dt.date, last: dt.date):
    """The hall's rostered shifts on these days."""
    return Shift.objects.filter(hall=hall, date__range=(first, last)).order_by("date", "start")


def approved_leave_days(hall: Hall, first: dt.date, last: dt.date) -> set[tuple[int, dt.date]]:
    """(person id, day) for every day of these on which a person has approved leave."""
    found = set()
    leaves = Leave.objects.filter(hall=hall, status=LeaveStatus.APPROVED, start__lte=last, end__gte=first)
    for leave in leaves:
        day = max(leave.start, first)
        while day <= min(leave.end, last):
            found.add((leave.staff_id, day))
            day += dt.timedelta(days=1)
    return found


def open_duties_of_chores(hall: Hall, day: dt.date, name_prefix: str) -> list[Duty]:
    """The day's undone duties of the chores whose name starts so (e.g. the patrols' "巡场 10:00"), by time."""
    return list(
        Duty.objects.filter(hall=hall, date=day, status=DutyStatus.OPEN, chore__name__startswith=name_prefix)
        .select_related("chore", "chore__a")
        .order_by("due_at")
    )
