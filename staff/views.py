"""Pages of the hall's staff: the duty board and the AB assignments of chores (the roster, leave, handover and
calendar feed are in roster_views), and the helpers both share."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.dates import WEEKDAYS
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hall.errors import ApplicationError
from hall.limits import LONG_TEXT_MAX, NOTE_MAX
from hall.models import MANAGER_ROLES, Hall, Role, TimelineEvent, User
from hall.pages import attempt, is_htmx, render_in_hall, staff_hall
from hall.people import people_who_can, responsible_managers
from hall.permissions import ensure_role, get_in_hall
from staff import dates, selectors, services
from staff.ical import feed_url
from staff.models import CalendarFeed, Chore, Duty, DutyStatus, ScheduleKind
from staff.schedules import WEEKDAYS as SCHEDULE_DAYS

GENERATE_DAYS_AHEAD = 31


def hall_staff(hall: Hall):
    """Everyone of the hall with a staff role: whom the roster and leave pickers list."""
    return people_who_can(hall, Role.values)


def chore_people(hall: Hall):
    """Whom the A and B choosers list: the people who may do the hall's chores."""
    return people_who_can(hall, services.CHORE_ROLES)


def form_problems(form: forms.Form) -> list[str]:
    return [
        f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields else " ".join(errors)
        for name, errors in form.errors.items()
    ]


def run_service(request, action, *args) -> bool:
    """Runs a service call; a domain error becomes the page's message and nothing changes."""
    notice, error = attempt(action, *args)
    messages.add_message(request, messages.ERROR if error else messages.SUCCESS, error or notice)
    return not error


def url_with(name: str, **params) -> str:
    query = {key: value for key, value in params.items() if value}
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


# Duty board


def _day(request, hall: Hall) -> dt.date:
    text = request.GET.get("date") or request.POST.get("date") or ""
    if text:
        try:
            return dates.parse_day(text)
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
        "managers": responsible_managers(hall, day),
        "may_generate": user.has_role(*MANAGER_ROLES) and today <= day <= today + dt.timedelta(GENERATE_DAYS_AHEAD),
        "note_max": NOTE_MAX,
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
    context["calendar_url"] = feed_url(request, CalendarFeed.objects.get_or_create(user=request.user)[0])
    context["has_chores"] = hall.chores.filter(is_active=True).exists()
    return render_in_hall(request, "staff/duty_board.html", context, hall)


def _generate(request, hall: Hall, day: dt.date):
    ensure_role(request.user, *MANAGER_ROLES)
    today = hall.today()
    if not today <= day <= today + dt.timedelta(GENERATE_DAYS_AHEAD):
        messages.error(request, _("Duties are generated for today and the coming days only."))
    else:
        run_service(request, _generate_duties, hall, day, request.user)
    return redirect(url_with("duty-board", date=f"{day:%Y-%m-%d}"))


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
    notice, error = _complete(request, duty)
    if not is_htmx(request):
        messages.add_message(request, messages.ERROR if error else messages.SUCCESS, error or notice)
        return redirect(url_with("duty-board", date=f"{duty.date:%Y-%m-%d}"))
    context = _board_context(request, duty.hall, duty.date, notice=notice, error=error)
    return render_in_hall(request, "staff/_duty_list.html", context, duty.hall)


class DutyDoneForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=NOTE_MAX, required=False)


def _complete(request, duty: Duty) -> tuple[str, str]:
    """(notice, error) of marking the duty done; a note too long is refused and nothing changes."""
    form = DutyDoneForm(request.POST)
    if not form.is_valid():
        return "", " ".join(form_problems(form))
    try:
        services.duty_complete(duty=duty, actor=request.user, note=form.cleaned_data["note"])
    except ApplicationError as exc:
        return "", str(exc.message)
    return _("%(chore)s is done.") % {"chore": duty.chore.name}, ""


# AB assignments


def schedule_label(chore: Chore, hall: Hall) -> str:
    if chore.schedule_kind == ScheduleKind.CLOSING:
        return _("At closing (%(time)s)") % {"time": f"{hall.closes_at:%H:%M}"}
    time = f"{chore.at:%H:%M}"
    if chore.schedule_kind == ScheduleKind.WEEKLY:
        return _("Every %(weekday)s at %(time)s") % {"weekday": WEEKDAYS[chore.weekday], "time": time}
    if chore.schedule_kind == ScheduleKind.MONTHLY:
        return _("First working day of the month at %(time)s") % {"time": time}
    if chore.schedule_kind == ScheduleKind.WORKDAYS:
        return _("Every working day at %(time)s") % {"time": time}
    return _("Every day at %(time)s") % {"time": time}


class PeopleForm(forms.Form):
    a = forms.ModelChoiceField(label=gettext_lazy("A (owner)"), queryset=User.objects.none())
    b = forms.ModelChoiceField(label=gettext_lazy("B (backup)"), queryset=User.objects.none())

    def __init__(self, *args, hall: Hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["a"].queryset = self.fields["b"].queryset = chore_people(hall)

    def clean(self):
        data = super().clean()
        if data.get("a") and data.get("a") == data.get("b"):
            self.add_error("b", _("B must be someone other than A."))
        return data


class ChoreForm(PeopleForm):
    name = forms.CharField(label=gettext_lazy("Chore"), max_length=100)
    checklist = forms.CharField(label=gettext_lazy("Checklist"), max_length=LONG_TEXT_MAX, required=False)
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
        "people": chore_people(hall),
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

    if run_service(request, create):
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
        for problem in form_problems(form):
            messages.error(request, f"{chore.name} · {problem}")
    else:
        a, b = form.cleaned_data["a"], form.cleaned_data["b"]
        run_service(request, _assign, chore, a, b, request.user)
    return redirect(reverse("chore-list") + f"#chore-{chore.pk}")


def _assign(chore: Chore, a: User, b: User, actor) -> str:
    if (chore.a_id, chore.b_id) == (a.pk, b.pk):
        return _("%(chore)s: A and B are unchanged.") % {"chore": chore.name}
    services.chore_assign(chore=chore, a=a, b=b, actor=actor)
    return _("%(chore)s: A is now %(a)s, B is %(b)s.") % {"chore": chore.name, "a": a, "b": b}
