"""The callback list page: whom to call, taking a call (the number shown to its caller only), the answer."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from callbacks import policies, selectors, services
from callbacks.models import Callback
from hall.errors import ApplicationError
from hall.forms import SCORES
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
