"""The callback list page: whom to call, taking a call (the number shown to its caller only), the answer; and the
managers' do-not-call list."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from callbacks import policies, selectors, services
from callbacks.models import Callback, DoNotCall
from hall.errors import ApplicationError
from hall.forms import SCORES, phone_field
from hall.limits import TEXT_MAX
from hall.pages import attempt, render_in_hall, staff_hall
from hall.permissions import ensure_role, get_in_hall


def _day(request, hall) -> dt.date:
    value = request.GET.get("date") or request.POST.get("date") or ""
    day = parse_date(value) if len(value) == 10 else None
    return day or hall.today() - dt.timedelta(days=1)


@login_required
def callback_list(request):
    ensure_role(request.user, *policies.CALLER_ROLES)
    hall = staff_hall(request)
    day = _day(request, hall)
    callbacks = list(selectors.callbacks_of_day(hall, day))
    for callback in callbacks:
        callback.phone_shown = selectors.phone_shown(request.user, callback)
        callback.mine = callback.caller_id == request.user.pk
    context = {
        "day": day,
        "callbacks": callbacks,
        "scores": SCORES,
        "text_max": TEXT_MAX,
        "may_sample": policies.may_sample(request.user, hall.pk),
        "may_keep_list": policies.may_keep_list(request.user, hall.pk),
        "sampled": selectors.day_sampled(hall, day),
    }
    return render_in_hall(request, "callbacks/callback_list.html", context, hall)


def _back(request, day: dt.date):
    return redirect(f"/callbacks/?date={day.isoformat()}")


def _tell(request, notice: str, error: str):
    messages.add_message(request, messages.ERROR if error else messages.SUCCESS, error or notice)


@login_required
@require_POST
def callback_sample(request):
    ensure_role(request.user, *policies.SAMPLER_ROLES)
    hall = staff_hall(request)
    day = _day(request, hall)

    def sample():
        drawn = services.sample_day(hall=hall, day=day, actor=request.user)
        return _("%(count)s customers to call back.") % {"count": len(drawn)}

    _tell(request, *attempt(sample))
    return _back(request, day)


@login_required
@require_POST
def callback_reveal(request, pk: int):
    ensure_role(request.user, *policies.CALLER_ROLES)
    callback = get_in_hall(Callback.objects.all(), request.user, pk=pk)

    def reveal():
        services.reveal(callback=callback, actor=request.user)
        return _("The call is yours: the number is shown to you only.")

    _tell(request, *attempt(reveal))
    return _back(request, callback.day)


@login_required
@require_POST
def callback_answer(request, pk: int):
    ensure_role(request.user, *policies.CALLER_ROLES)
    callback = get_in_hall(Callback.objects.all(), request.user, pk=pk)

    def answer():
        reached = request.POST.get("reached")
        if reached not in {"yes", "no"}:
            raise ApplicationError(_("Say whether the customer was reached."))
        score = request.POST.get("satisfaction", "")
        if reached == "yes" and score not in {str(value) for value, _label in SCORES}:
            raise ApplicationError(_("Choose how satisfied the customer is, from 1 to 5."))
        services.answer(
            callback=callback,
            actor=request.user,
            reached=reached == "yes",
            satisfaction=int(score) if reached == "yes" else None,
            note=request.POST.get("note", "").strip(),
            do_not_call=request.POST.get("do_not_call") == "on",
        )
        return _("The callback is recorded.")

    _tell(request, *attempt(answer))
    return _back(request, callback.day)


# The do-not-call list


class DoNotCallForm(forms.Form):
    phone = phone_field()
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=services.REASON_MAX)


def _list_page(request, hall, form, error="", status=200):
    context = {
        "entries": selectors.do_not_call_list(hall),
        "form": form,
        "error": error,
        "reason_max": services.REASON_MAX,
    }
    return render_in_hall(request, "callbacks/do_not_call_list.html", context, hall, status)


def _list_url(hall, request) -> str:
    """Back to the list; an administrator stays on the hall they picked."""
    url = reverse("do-not-call-list")
    return f"{url}?hall={hall.pk}" if request.user.hall_id is None else url


@login_required
def do_not_call_list(request):
    """The hall's do-not-call list, for its managers: the numbers masked, why and since when; add one, remove one."""
    ensure_role(request.user, *policies.LIST_ROLES)
    hall = staff_hall(request)
    if request.method != "POST":
        return _list_page(request, hall, DoNotCallForm())
    form = DoNotCallForm(request.POST)
    if not form.is_valid():
        return _list_page(request, hall, form, _("Please correct the marked fields."), 400)
    try:
        entry = services.do_not_call_add(hall=hall, actor=request.user, **form.cleaned_data)
    except ApplicationError as exc:
        return _list_page(request, hall, form, str(exc.message), exc.status_code)
    messages.success(request, _("%(phone)s will not be called back.") % {"phone": entry.phone_masked})
    return redirect(_list_url(hall, request))


@login_required
@require_POST
def do_not_call_remove(request, pk: int):
    ensure_role(request.user, *policies.LIST_ROLES)
    entry = get_in_hall(DoNotCall.objects.all(), request.user, pk=pk)

    def remove():
        services.do_not_call_remove(entry=entry, actor=request.user)
        return _("%(phone)s is off the list: it may be drawn for a callback again.") % {"phone": entry.phone_masked}

    _tell(request, *attempt(remove))
    return redirect(_list_url(entry.hall, request))
