"""Pages of the hall's staff: duty board, AB assignments, roster week, leave, handover, the iCal feed."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hall.calendar import is_working_day
from hall.errors import ApplicationError
from hall.models import MANAGER_ROLES, DutyManagerDay, Hall, Role, TimelineEvent, User
from hall.pages import is_htmx, render_in_hall, staff_hall
from hall.permissions import ensure_role, get_in_hall
from hall.selectors import duty_managers
from staff import selectors, services
from staff.ical import calendar_for
from staff.models import (
    CalendarFeed,
    Chore,
    Duty,
    DutyStatus,
    Handover,
    HandoverStatus,
    Leave,
    LeaveStatus,
    ScheduleKind,
    Shift,
    ShiftTemplate,
)
from staff.schedules import WEEKDAYS as SCHEDULE_DAYS
from staff.schedules import falls_on

GENERATE_DAYS_AHEAD = 31
RECENT_HANDOVERS = 30


def hall_staff(hall: Hall):
    return User.objects.filter(hall=hall, is_active=True).order_by("name", "username")


def hall_managers(hall: Hall):
    roles = [Role.DUTY_MANAGER, Role.HALL_MANAGER]
    return hall_staff(hall).filter(groups__name__in=roles).distinct()


def _problems(form: forms.Form) -> list[str]:
    return [
        f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields else " ".join(errors)
        for name, errors in form.errors.items()
    ]


def _run(request, action, *args) -> bool:
    """Runs a service call; a domain error becomes the page's message and nothing changes."""
    try:
        notice = action(*args)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return False
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, notice)
    return True


def _to(name: str, **params) -> str:
    query = {key: value for key, value in params.items() if value}
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


# Duty board


def _day(request, hall: Hall) -> dt.date:
    text = request.GET.get("date") or request.POST.get("date") or ""
    if text:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            messages.error(request, _("%(date)s is not a date; today is shown.") % {"date": text[:20]})
    return hall.today()


def _board_context(request, hall: Hall, day: dt.date, notice: str = "", error: str = "") -> dict:
    user = request.user
    duties = selectors.duty_board(hall, day)
    for duty in duties:
        duty.may_finish = duty.status == DutyStatus.OPEN and services.may_mark_done(user, duty)
        duty.mine = duty.responsible_id == user.pk
    counts = {state: sum(duty.state == state for duty in duties) for state in ("open", "overdue", "done")}
    today = hall.today()
    return {
        "day": day,
        "today": today,
        "previous": day - dt.timedelta(days=1),
        "next": day + dt.timedelta(days=1),
        "duties": duties,
        "counts": counts,
        "managers": duty_managers(hall, day),
        "may_generate": user.has_role(*MANAGER_ROLES) and today <= day <= today + dt.timedelta(GENERATE_DAYS_AHEAD),
        "notice": notice,
        "error": error,
    }


@login_required
def duty_board(request):
    hall = staff_hall(request)
    day = _day(request, hall)
    if request.method == "POST":
        return _generate(request, hall, day)
    context = _board_context(request, hall, day)
    if is_htmx(request):
        return render_in_hall(request, "staff/_duty_list.html", context, hall)
    feed, _created = CalendarFeed.objects.get_or_create(user=request.user)
    context["calendar_url"] = request.build_absolute_uri(reverse("calendar-feed", args=[feed.token]))
    context["has_chores"] = hall.chores.filter(is_active=True).exists()
    return render_in_hall(request, "staff/duty_board.html", context, hall)


def _generate(request, hall: Hall, day: dt.date):
    ensure_role(request.user, *MANAGER_ROLES)
    today = hall.today()
    if not today <= day <= today + dt.timedelta(GENERATE_DAYS_AHEAD):
        messages.error(request, _("Duties are generated for today and the coming days only."))
    else:
        _run(request, _generate_duties, hall, day, request.user)
    return redirect(_to("duty-board", date=f"{day:%Y-%m-%d}"))


def _generate_duties(hall: Hall, day: dt.date, actor) -> str:
    duties = services.duties_generate(hall=hall, date=day, actor=actor)
    if not duties:
        return _("No chore falls on %(date)s.") % {"date": day}
    return _("%(count)s duties for %(date)s are up to date.") % {"count": len(duties), "date": day}


@login_required
@require_POST
def duty_action(request, pk: int, action: str):
    duty = get_in_hall(Duty.objects.select_related("hall", "chore"), request.user, pk=pk)
    if action != "done":
        raise Http404
    if not services.may_mark_done(request.user, duty):
        raise PermissionDenied
    note = request.POST.get("note", "").strip()[:500]
    notice, error = "", ""
    try:
        services.duty_complete(duty=duty, actor=request.user, note=note)
        notice = _("%(chore)s is done.") % {"chore": duty.chore.name}
    except ApplicationError as exc:
        error = str(exc.message)
    if not is_htmx(request):
        messages.add_message(request, messages.ERROR if error else messages.SUCCESS, error or notice)
        return redirect(_to("duty-board", date=f"{duty.date:%Y-%m-%d}"))
    context = _board_context(request, duty.hall, duty.date, notice=notice, error=error)
    return render_in_hall(request, "staff/_duty_list.html", context, duty.hall)


# AB assignments


def schedule_label(chore: Chore, hall: Hall) -> str:
    if chore.schedule_kind == ScheduleKind.CLOSING:
        return _("At closing (%(time)s)") % {"time": f"{hall.closes_at:%H:%M}"}
    time = f"{chore.at:%H:%M}"
    if chore.schedule_kind == ScheduleKind.WEEKLY:
        return _("Every %(weekday)s at %(time)s") % {"weekday": WEEKDAYS[chore.weekday], "time": time}
    if chore.schedule_kind == ScheduleKind.MONTHLY:
        return _("First working day of the month at %(time)s") % {"time": time}
    return _("Every day at %(time)s") % {"time": time}


class PeopleForm(forms.Form):
    a = forms.ModelChoiceField(label=gettext_lazy("A (owner)"), queryset=User.objects.none())
    b = forms.ModelChoiceField(label=gettext_lazy("B (backup)"), queryset=User.objects.none())

    def __init__(self, *args, hall: Hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["a"].queryset = self.fields["b"].queryset = hall_staff(hall)

    def clean(self):
        data = super().clean()
        if data.get("a") and data.get("a") == data.get("b"):
            self.add_error("b", _("B must be someone other than A."))
        return data


class ChoreForm(PeopleForm):
    name = forms.CharField(label=gettext_lazy("Chore"), max_length=100)
    checklist = forms.CharField(label=gettext_lazy("Checklist"), max_length=2000, required=False)
    schedule_kind = forms.ChoiceField(label=gettext_lazy("Schedule"), choices=ScheduleKind.choices)
    at = forms.TimeField(label=gettext_lazy("Time"), required=False)
    weekday = forms.TypedChoiceField(
        label=gettext_lazy("Weekday"), choices=WEEKDAYS.items(), coerce=int, required=False, empty_value=None
    )
    field_order = ["name", "checklist", "a", "b", "schedule_kind", "at", "weekday"]

    def clean(self):
        data = super().clean()
        kind = data.get("schedule_kind")
        if kind and kind != ScheduleKind.CLOSING and data.get("at") is None:
            self.add_error("at", _("Give the time of day."))
        if kind == ScheduleKind.WEEKLY and data.get("weekday") is None:
            self.add_error("weekday", _("Choose the day of the week."))
        return data

    def schedule(self) -> str:
        kind, at = self.cleaned_data["schedule_kind"], self.cleaned_data.get("at")
        if kind == ScheduleKind.CLOSING:
            return "closing"
        if kind == ScheduleKind.WEEKLY:
            return f"weekly {SCHEDULE_DAYS[self.cleaned_data['weekday']]} {at:%H:%M}"
        return f"{kind} {at:%H:%M}"


def _last_changes(hall: Hall) -> dict[int, TimelineEvent]:
    events = TimelineEvent.objects.filter(
        hall=hall, content_type=ContentType.objects.get_for_model(Chore), action__in=["create", "assign"]
    ).select_related("actor")
    return {event.object_id: event for event in events.order_by("at", "id")}


def _chore_page(request, hall: Hall, form: ChoreForm, status: int = 200):
    chores = selectors.chores_with_flags(hall)
    changes = _last_changes(hall)
    for chore in chores:
        chore.schedule_label = schedule_label(chore, hall)
        chore.last_change = changes.get(chore.pk)
    context = {
        "chores": chores,
        "form": form,
        "people": hall_staff(hall),
        "may_edit": request.user.has_role(Role.HALL_MANAGER),
        "kinds": ScheduleKind.choices,
        "weekdays": WEEKDAYS.items(),
        "flagged": sum(bool(chore.problems) for chore in chores),
    }
    return render_in_hall(request, "staff/chore_list.html", context, hall, status)


@login_required
def chore_list(request):
    ensure_role(request.user, *MANAGER_ROLES)
    hall = staff_hall(request)
    if request.method != "POST":
        return _chore_page(request, hall, ChoreForm(hall=hall))
    ensure_role(request.user, Role.HALL_MANAGER)
    form = ChoreForm(request.POST, hall=hall)
    if not form.is_valid():
        messages.error(request, _("The chore was not added. Please correct the marked fields."))
        return _chore_page(request, hall, form)
    data = form.cleaned_data

    def create() -> str:
        chore = services.chore_create(
            hall=hall,
            name=data["name"].strip(),
            checklist=data["checklist"].strip(),
            a=data["a"],
            b=data["b"],
            schedule=form.schedule(),
            actor=request.user,
        )
        return _("%(name)s added.") % {"name": chore.name}

    if _run(request, create):
        return redirect("chore-list")
    return _chore_page(request, hall, form)


@login_required
@require_POST
def chore_action(request, pk: int, action: str):
    chore = get_in_hall(Chore.objects.select_related("hall"), request.user, pk=pk)
    if action != "assign":
        raise Http404
    ensure_role(request.user, Role.HALL_MANAGER)
    form = PeopleForm(request.POST, hall=chore.hall)
    if not form.is_valid():
        for problem in _problems(form):
            messages.error(request, f"{chore.name} · {problem}")
    else:
        a, b = form.cleaned_data["a"], form.cleaned_data["b"]
        _run(request, _assign, chore, a, b, request.user)
    return redirect(reverse("chore-list") + f"#chore-{chore.pk}")


def _assign(chore: Chore, a: User, b: User, actor) -> str:
    if (chore.a_id, chore.b_id) == (a.pk, b.pk):
        return _("%(chore)s: A and B are unchanged.") % {"chore": chore.name}
    services.chore_assign(chore=chore, a=a, b=b, actor=actor)
    return _("%(chore)s: A is now %(a)s, B is %(b)s.") % {"chore": chore.name, "a": a, "b": b}


# Roster week


def _iso_week(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _week(request, hall: Hall) -> list[dt.date]:
    text = (request.GET.get("week") or request.POST.get("week") or "").strip()
    if text:
        try:
            return selectors.week_days(text)
        except ValueError:
            messages.error(
                request, _("%(week)s is not a week like 2026-W48; this week is shown.") % {"week": text[:20]}
            )
    return selectors.week_days(_iso_week(hall.today()))


@login_required
def roster_week(request):
    hall = staff_hall(request)
    days = _week(request, hall)
    grid = selectors.roster_week(hall, days)
    chosen = dict(
        DutyManagerDay.objects.filter(hall=hall, date__range=(days[0], days[-1])).values_list("date", "manager_id")
    )
    rostered = {day: any(cell[1] for row in grid["rows"] for cell in row["days"] if cell[0] == day) for day in days}
    columns = [
        {
            "day": day,
            "manager": name,
            "manager_id": chosen.get(day),
            "rostered": rostered[day],
            "today": day == hall.today(),
            "rest": not is_working_day(day),
        }
        for day, name in zip(days, grid["duty_managers"], strict=True)
    ]
    context = {
        "week": _iso_week(days[0]),
        "previous": _iso_week(days[0] - dt.timedelta(days=7)),
        "next": _iso_week(days[0] + dt.timedelta(days=7)),
        "this_week": _iso_week(hall.today()),
        "columns": columns,
        "rows": grid["rows"],
        "may_edit": request.user.has_role(*MANAGER_ROLES),
        "may_set_manager": request.user.has_role(Role.HALL_MANAGER),
        "managers": hall_managers(hall),
        "templates": ShiftTemplate.objects.filter(hall=hall),
    }
    return render_in_hall(request, "staff/roster_week.html", context, hall)


class ShiftForm(forms.Form):
    staff = forms.ModelChoiceField(label=gettext_lazy("Staff"), queryset=User.objects.none())
    date = forms.DateField(label=gettext_lazy("Date"))
    template = forms.ModelChoiceField(
        label=gettext_lazy("Shift"), queryset=ShiftTemplate.objects.none(), required=False
    )
    start = forms.TimeField(label=gettext_lazy("Starts"), required=False)
    end = forms.TimeField(label=gettext_lazy("Ends"), required=False)
    post = forms.CharField(label=gettext_lazy("Post"), max_length=50, required=False)

    def __init__(self, *args, hall: Hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = hall_staff(hall)
        self.fields["template"].queryset = ShiftTemplate.objects.filter(hall=hall)

    def clean(self):
        data = super().clean()
        template = data.get("template")
        if template is not None:
            data["start"], data["end"] = template.start, template.end
        elif data.get("start") is None or data.get("end") is None:
            raise ValidationError(_("Choose a shift or give its start and end."))
        elif data["start"] == data["end"]:
            raise ValidationError(_("A shift ends at another time than it starts."))
        return data


def _add_shift(request, hall: Hall) -> None:
    form = ShiftForm(request.POST, hall=hall)
    if not form.is_valid():
        for problem in _problems(form):
            messages.error(request, problem)
        return
    data = form.cleaned_data

    def add() -> str:
        shift = services.shift_create(
            hall=hall,
            staff=data["staff"],
            date=data["date"],
            start=data["start"],
            end=data["end"],
            post=data["post"].strip(),
            template=data["template"],
            actor=request.user,
        )
        return _("%(name)s is rostered on %(date)s, %(start)s–%(end)s.") % {
            "name": shift.staff,
            "date": shift.date,
            "start": f"{data['start']:%H:%M}",
            "end": f"{data['end']:%H:%M}",
        }

    _run(request, add)


def _remove_shift(request, hall: Hall) -> None:
    pk = request.POST.get("shift", "")
    if not pk.isdecimal():
        raise Http404
    shift = get_in_hall(Shift.objects.select_related("hall", "staff"), request.user, pk=pk)

    def remove() -> str:
        services.shift_delete(shift=shift, actor=request.user)
        return _("The shift of %(name)s on %(date)s is removed.") % {"name": shift.staff, "date": shift.date}

    _run(request, remove)


def _set_duty_manager(request, hall: Hall) -> None:
    ensure_role(request.user, Role.HALL_MANAGER)
    try:
        day = dt.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        messages.error(request, _("Choose a day."))
        return
    manager = hall_managers(hall).filter(pk=request.POST.get("manager") or 0).first()
    if manager is None:
        messages.error(request, _("Choose a manager of this hall."))
        return

    def set_manager() -> str:
        services.roster_set_duty_manager(hall=hall, date=day, manager=manager, actor=request.user)
        return _("%(name)s is the duty manager on %(date)s.") % {"name": manager, "date": day}

    _run(request, set_manager)


ROSTER_ACTIONS = {"add": _add_shift, "remove": _remove_shift, "duty-manager": _set_duty_manager}


@login_required
@require_POST
def roster_action(request, action: str):
    if action not in ROSTER_ACTIONS:
        raise Http404
    ensure_role(request.user, *MANAGER_ROLES)
    hall = staff_hall(request)
    ROSTER_ACTIONS[action](request, hall)
    return redirect(_to("roster-week", week=request.POST.get("week", "")[:10]))


# Leave


class LeaveForm(forms.Form):
    staff = forms.ModelChoiceField(label=gettext_lazy("For"), queryset=User.objects.none(), required=False)
    start = forms.DateField(label=gettext_lazy("First day"))
    end = forms.DateField(label=gettext_lazy("Last day"))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)

    def __init__(self, *args, hall: Hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = hall_staff(hall)


def _would_uncover(leave: Leave) -> list[dict]:
    """The chores that approving this leave would leave with neither A nor B on some day."""
    chores = [c for c in leave.hall.chores.filter(is_active=True) if leave.staff_id in (c.a_id, c.b_id)]
    if not chores:
        return []
    found, day = [], leave.start
    while day <= leave.end and len(found) < 20:
        away = {*selectors.away_on(leave.hall, day), leave.staff_id}
        found += [{"chore": c, "date": day} for c in chores if falls_on(c, day) and {c.a_id, c.b_id} <= away]
        day += dt.timedelta(days=1)
    return found


def _leave_page(request, hall: Hall, form: LeaveForm, status: int = 200):
    user = request.user
    manages = user.has_role(Role.HALL_MANAGER)
    context = {
        "form": form,
        "mine": Leave.objects.filter(staff=user).select_related("decided_by")[:30],
        "manages": manages,
        "people": hall_staff(hall) if manages else [],
        "today": hall.today(),
    }
    if manages:
        pending = list(Leave.objects.filter(hall=hall, status=LeaveStatus.REQUESTED).select_related("staff", "hall"))
        for leave in pending:
            leave.risks = _would_uncover(leave)
        context["pending"] = pending
        context["approved"] = Leave.objects.filter(
            hall=hall, status=LeaveStatus.APPROVED, end__gte=hall.today()
        ).select_related("staff", "decided_by")[:50]
        context.update(_approval_warnings(request, hall))
    return render_in_hall(request, "staff/leave_list.html", context, hall, status)


def _approval_warnings(request, hall: Hall) -> dict:
    """After an approval: the chores it leaves with neither A nor B, read again so a fix since then shows."""
    pk = request.GET.get("approved", "")
    leave = Leave.objects.filter(hall=hall, pk=pk, status=LeaveStatus.APPROVED).first() if pk.isdecimal() else None
    if leave is None:
        return {}
    return {"just_approved": leave, "warnings": selectors.uncovered_chores(hall, leave.start, leave.end)}


@login_required
def leave_list(request):
    hall = staff_hall(request)
    if request.method != "POST":
        return _leave_page(request, hall, LeaveForm(hall=hall))
    form = LeaveForm(request.POST, hall=hall)
    if not form.is_valid():
        messages.error(request, _("The leave was not requested. Please correct the marked fields."))
        return _leave_page(request, hall, form)
    data = form.cleaned_data
    staff = data["staff"] or request.user
    if staff != request.user:
        ensure_role(request.user, Role.HALL_MANAGER)

    def ask() -> str:
        leave = services.leave_request(
            staff=staff, start=data["start"], end=data["end"], reason=data["reason"].strip(), actor=request.user
        )
        return _("Leave of %(name)s %(start)s – %(end)s requested.") % {
            "name": leave.staff,
            "start": leave.start,
            "end": leave.end,
        }

    if _run(request, ask):
        return redirect("leave-list")
    return _leave_page(request, hall, form)


@login_required
@require_POST
def leave_action(request, pk: int, action: str):
    leave = get_in_hall(Leave.objects.select_related("hall", "staff"), request.user, pk=pk)
    if action not in ("approve", "reject"):
        raise Http404
    ensure_role(request.user, Role.HALL_MANAGER)
    words = {"name": leave.staff, "start": leave.start, "end": leave.end}
    if action == "reject":
        note = request.POST.get("note", "").strip()[:500]

        def reject() -> str:
            services.leave_reject(leave=leave, actor=request.user, note=note)
            return _("Leave of %(name)s %(start)s – %(end)s not approved.") % words

        _run(request, reject)
        return redirect("leave-list")

    def approve() -> str:
        services.leave_approve(leave=leave, actor=request.user)
        return _("Leave of %(name)s %(start)s – %(end)s approved.") % words

    if _run(request, approve):
        return redirect(_to("leave-list", approved=leave.pk))
    return redirect("leave-list")


# Handover


class HandoverForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=4000, required=False)
    incoming = forms.ModelChoiceField(label=gettext_lazy("Taken over by"), queryset=User.objects.none(), required=False)
    shift_end = forms.DateTimeField(label=gettext_lazy("Shift end"))

    def __init__(self, *args, hall: Hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incoming"].queryset = hall_staff(hall)


def _shift_end(user, hall: Hall) -> dt.datetime:
    """The end of the person's shift today if they have one, else now."""
    shift = Shift.objects.filter(staff=user, date=hall.today()).order_by("-end").first()
    return timezone.localtime(shift.end if shift else timezone.now(), hall.tz)


def may_acknowledge(user, handover: Handover) -> bool:
    if handover.status != HandoverStatus.OPEN:
        return False
    return handover.incoming_id in (None, user.pk) or user.has_role(*MANAGER_ROLES)


def _handover_page(request, hall: Hall, form: HandoverForm, status: int = 200):
    user = request.user
    handovers = list(Handover.objects.filter(hall=hall).select_related("author", "incoming")[:RECENT_HANDOVERS])
    for handover in handovers:
        handover.may_acknowledge = may_acknowledge(user, handover)
    context = {
        "form": form,
        "open_items": selectors.open_items(hall),
        "handovers": handovers,
        "waiting": [h for h in handovers if h.status == HandoverStatus.OPEN and h.incoming_id == user.pk],
        "people": hall_staff(hall).exclude(pk=user.pk),
        "shift_end": form.data.get("shift_end") or f"{_shift_end(user, hall):%Y-%m-%dT%H:%M}",
    }
    return render_in_hall(request, "staff/handover_list.html", context, hall, status)


@login_required
def handover_list(request):
    hall = staff_hall(request)
    if request.method != "POST":
        return _handover_page(request, hall, HandoverForm(hall=hall))
    form = HandoverForm(request.POST, hall=hall)
    with timezone.override(hall.tz):
        valid = form.is_valid()
    if not valid:
        messages.error(request, _("The handover was not saved. Please correct the marked fields."))
        return _handover_page(request, hall, form)
    data = form.cleaned_data

    def hand_over() -> str:
        handover = services.handover_create(
            hall=hall,
            author=request.user,
            shift_end=data["shift_end"],
            note=data["note"].strip(),
            incoming=data["incoming"],
        )
        return _("Handover saved with %(count)s open items.") % {"count": len(handover.open_items)}

    if _run(request, hand_over):
        return redirect("handover-list")
    return _handover_page(request, hall, form)


@login_required
@require_POST
def handover_action(request, pk: int, action: str):
    handover = get_in_hall(Handover.objects.select_related("hall"), request.user, pk=pk)
    if action != "acknowledge":
        raise Http404
    if not may_acknowledge(request.user, handover) and handover.status == HandoverStatus.OPEN:
        raise PermissionDenied

    def acknowledge() -> str:
        services.handover_acknowledge(handover=handover, actor=request.user)
        return _("Handover acknowledged.")

    _run(request, acknowledge)
    return redirect(reverse("handover-list") + f"#handover-{handover.pk}")


# Calendar feed


def calendar_feed(request, token: str):
    """Public by its secret: calendar apps fetch it without logging in. A person who has left gets nothing."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user__hall"), token=token, user__is_active=True)
    response = HttpResponse(calendar_for(feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
