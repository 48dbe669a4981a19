"""Pages of the hall's staff: the roster week, leave and the iCal feed (handovers are in handover_views)."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hall.calendar import is_working_day
from hall.limits import NOTE_MAX
from hall.models import MANAGER_ROLES, Hall, Role, User
from hall.pages import attempt, is_htmx, next_url, render_in_hall, staff_hall
from hall.people import people_who_can
from hall.permissions import ensure_role, get_in_hall
from staff import dates, roster_services, selectors
from staff.ical import calendar_for, feed_url
from staff.models import CalendarFeed, Leave, LeaveStatus, Shift, ShiftTemplate
from staff.views import form_problems, hall_staff, run_service, url_with


def hall_managers(hall: Hall):
    return people_who_can(hall, MANAGER_ROLES)


# Roster week


def _iso_week(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _week(request, hall: Hall) -> list[dt.date]:
    text = (request.GET.get("week") or request.POST.get("week") or "").strip()
    if text:
        try:
            return dates.week_days(text)
        except ValueError:
            messages.error(
                request, _("%(week)s is not a week like 2026-W48; this week is shown.") % {"week": text[:20]}
            )
    return dates.week_days(_iso_week(hall.today()))


@login_required
def roster_week(request):
    hall = staff_hall(request)
    days = _week(request, hall)
    grid = selectors.roster_week(hall, days)
    columns = [
        {
            "day": day,
            "manager": manager,
            "manager_id": manager.pk if manager else None,
            "rostered": rostered,
            "today": day == hall.today(),
            "rest": not is_working_day(day),
        }
        for day, manager, rostered in zip(days, grid["duty_managers"], grid["rostered"], strict=True)
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
    date = forms.DateField(label=gettext_lazy("Date"), validators=[dates.within_reach])
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
        for problem in form_problems(form):
            messages.error(request, problem)
        return
    data = form.cleaned_data

    def add() -> str:
        shift = roster_services.shift_create(
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

    run_service(request, add)


def _remove_shift(request, hall: Hall) -> None:
    pk = request.POST.get("shift", "")
    if not pk.isdecimal():
        raise Http404
    shift = get_in_hall(Shift.objects.select_related("hall", "staff"), request.user, pk=pk)

    def remove() -> str:
        roster_services.shift_delete(shift=shift, actor=request.user)
        return _("The shift of %(name)s on %(date)s is removed.") % {"name": shift.staff, "date": shift.date}

    run_service(request, remove)


class DayForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Day"), validators=[dates.within_reach])


def _posted_day(request) -> dt.date | None:
    form = DayForm(request.POST)
    if not form.is_valid():
        for problem in form_problems(form):
            messages.error(request, problem)
        return None
    return form.cleaned_data["date"]


def _set_duty_manager(request, hall: Hall) -> None:
    ensure_role(request.user, Role.HALL_MANAGER)
    day = _posted_day(request)
    if day is None:
        return
    pk = request.POST.get("manager", "")
    manager = hall_managers(hall).filter(pk=pk).first() if pk.isdecimal() else None
    if manager is None:
        messages.error(request, _("Choose a manager of this hall."))
        return

    def set_manager() -> str:
        roster_services.roster_set_duty_manager(hall=hall, date=day, manager=manager, actor=request.user)
        return _("%(name)s is the duty manager on %(date)s.") % {"name": manager, "date": day}

    run_service(request, set_manager)


def _clear_duty_manager(request, hall: Hall) -> None:
    ensure_role(request.user, Role.HALL_MANAGER)
    day = _posted_day(request)
    if day is None:
        return

    def clear() -> str:
        roster_services.roster_clear_duty_manager(hall=hall, date=day, actor=request.user)
        return _("Nobody is named duty manager on %(date)s now; the duty managers of the hall stand in.") % {
            "date": day
        }

    run_service(request, clear)


ROSTER_ACTIONS = {
    "add": _add_shift,
    "remove": _remove_shift,
    "duty-manager": _set_duty_manager,
    "duty-manager-clear": _clear_duty_manager,
}


@login_required
@require_POST
def roster_action(request, action: str):
    if action not in ROSTER_ACTIONS:
        raise Http404
    ensure_role(request.user, *MANAGER_ROLES)
    hall = staff_hall(request)
    ROSTER_ACTIONS[action](request, hall)
    return redirect(url_with("roster-week", week=request.POST.get("week", "")[:10]))


# Leave


class LeaveForm(forms.Form):
    staff = forms.ModelChoiceField(label=gettext_lazy("For"), queryset=User.objects.none(), required=False)
    start = forms.DateField(label=gettext_lazy("First day"), validators=[dates.within_reach])
    end = forms.DateField(label=gettext_lazy("Last day"), validators=[dates.within_reach])
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)

    def __init__(self, *args, hall: Hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = hall_staff(hall)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            dates.check_leave(data["start"], data["end"])
        return data


def _leave_page(request, hall: Hall, form: LeaveForm, status: int = 200):
    user = request.user
    manages = user.has_role(Role.HALL_MANAGER)
    mine = list(Leave.objects.filter(staff=user).select_related("decided_by")[:30])
    for leave in mine:
        leave.may_cancel = roster_services.may_cancel(leave, hall.today())
    context = {
        "form": form,
        "mine": mine,
        "manages": manages,
        "people": hall_staff(hall) if manages else [],
        "today": hall.today(),
        "note_max": NOTE_MAX,
    }
    if manages:
        pending = list(Leave.objects.filter(hall=hall, status=LeaveStatus.REQUESTED).select_related("staff", "hall"))
        for leave in pending:
            leave.risks = selectors.uncovered_if_approved(leave)
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
        leave = roster_services.leave_request(
            staff=staff, start=data["start"], end=data["end"], reason=data["reason"].strip(), actor=request.user
        )
        return _("Leave of %(name)s %(start)s – %(end)s requested.") % {
            "name": leave.staff,
            "start": leave.start,
            "end": leave.end,
        }

    if run_service(request, ask):
        return redirect("leave-list")
    return _leave_page(request, hall, form)


class LeaveNoteForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=NOTE_MAX, required=False)


def _posted_note(request) -> str | None:
    """The note of a decision on leave, or None (with the page's message) when it is too long."""
    form = LeaveNoteForm(request.POST)
    if not form.is_valid():
        for problem in form_problems(form):
            messages.error(request, problem)
        return None
    return form.cleaned_data["note"]


@login_required
@require_POST
def leave_action(request, pk: int, action: str):
    leave = get_in_hall(Leave.objects.select_related("hall", "staff"), request.user, pk=pk)
    if action not in ("approve", "reject", "cancel"):
        raise Http404
    words = {"name": leave.staff, "start": leave.start, "end": leave.end}
    if action == "cancel":
        return _cancel_leave(request, leave, words)
    ensure_role(request.user, Role.HALL_MANAGER)
    if action == "reject":
        note = _posted_note(request)
        if note is None:
            return redirect("leave-list")

        def reject() -> str:
            roster_services.leave_reject(leave=leave, actor=request.user, note=note)
            return _("Leave of %(name)s %(start)s – %(end)s not approved.") % words

        run_service(request, reject)
        return redirect("leave-list")

    def approve() -> str:
        roster_services.leave_approve(leave=leave, actor=request.user)
        return _("Leave of %(name)s %(start)s – %(end)s approved.") % words

    if run_service(request, approve):
        return redirect(url_with("leave-list", approved=leave.pk))
    return redirect("leave-list")


def _cancel_leave(request, leave: Leave, words: dict):
    if leave.staff_id != request.user.pk:
        raise PermissionDenied
    note = _posted_note(request)
    if note is None:
        return redirect("leave-list")

    def cancel() -> str:
        roster_services.leave_cancel(leave=leave, actor=request.user, note=note)
        return _("Your leave %(start)s – %(end)s is cancelled.") % words

    run_service(request, cancel)
    return redirect("leave-list")


# Calendar feed


def _new_address(person: User, actor) -> str:
    roster_services.calendar_feed_rotate(user=person, actor=actor)
    if person == actor:
        return _("Your calendar has a new address; the old one no longer works.")
    return _("The calendar of %(name)s has a new address; they are told to subscribe again.") % {"name": person}


@login_required
@require_POST
def calendar_rotate(request):
    """A new secret address for one's own calendar, or (the hall manager) for a member of staff's."""
    hall = staff_hall(request)
    pk = request.POST.get("person", "")
    if pk and not pk.isdecimal():
        raise Http404
    person = get_in_hall(User.objects.all(), request.user, pk=pk) if pk else request.user
    if person != request.user:
        ensure_role(request.user, Role.HALL_MANAGER)
    if not is_htmx(request):
        run_service(request, _new_address, person, request.user)
        return redirect(next_url(request, reverse("duty-board")))
    notice, error = attempt(_new_address, person, request.user)
    feed = CalendarFeed.objects.get_or_create(user=request.user)[0]
    context = {"calendar_url": feed_url(request, feed), "notice": notice, "error": error}
    return render_in_hall(request, "staff/_calendar_link.html", context, hall)


def calendar_feed(request, token: str):
    """Public by its secret: calendar apps fetch it without logging in. A person who has left gets nothing."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user__hall"), token=token, user__is_active=True)
    response = HttpResponse(calendar_for(feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
