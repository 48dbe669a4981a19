"""The managers' report pages: a hall's dashboard over a period, its big-screen wall, and the halls side by side."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode

from hall.models import Hall
from hall.pages import render_in_hall
from reports import dashboards
from reports.periods import PERIODS, PeriodForm
from reports.policies import may_compare_halls, may_read_reports, report_halls


def _report_hall(request) -> Hall | None:
    """The hall asked for with ?hall=<id>, else the user's own; None for someone without a hall who asked for none
    (an administrator). Another hall's reports are missing (404), as for a hall that does not exist."""
    user = request.user
    if not may_read_reports(user):
        raise PermissionDenied
    asked = request.GET.get("hall", "")
    if not asked.isdecimal():
        if user.hall_id is None:
            return None
        asked = user.hall_id
    hall = report_halls(user).filter(pk=asked).first()
    if hall is None:
        raise Http404
    return hall


def _period_choices(request, base: dict) -> list[dict]:
    current = request.GET.get("period") or ("custom" if request.GET.get("from") else "today")
    return [
        {"name": name, "label": label, "url": "?" + urlencode({**base, "period": name}), "current": name == current}
        for name, label in PERIODS.items()
        if name != "custom"
    ]


@login_required
def dashboard(request):
    hall = _report_hall(request)
    if hall is None:
        return redirect("reports-halls")
    form = PeriodForm(request.GET, today=hall.today())
    context = {
        "form": form,
        "periods": _period_choices(request, {"hall": hall.pk}),
        "may_compare_halls": may_compare_halls(request.user),
    }
    if not form.is_valid():
        return render_in_hall(request, "reports/dashboard.html", context, hall, status=400)
    period = form.chosen()
    context.update(period=period, **dashboards.dashboard(hall, period))
    return render_in_hall(request, "reports/dashboard.html", context, hall)


@login_required
def wall(request):
    hall = _report_hall(request)
    if hall is None:
        return redirect("reports-halls")
    return render_in_hall(request, "reports/wall.html", dashboards.wall(hall), hall)


@login_required
def wall_live(request):
    hall = _report_hall(request)
    if hall is None:
        raise Http404
    return render_in_hall(request, "reports/_wall_live.html", dashboards.wall(hall), hall)


@login_required
def halls(request):
    user = request.user
    if not may_compare_halls(user):
        raise PermissionDenied
    form = PeriodForm(request.GET, today=timezone.localdate())
    sort = request.GET.get("sort", "")
    context = {"form": form, "periods": _period_choices(request, {"sort": sort} if sort else {})}
    if not form.is_valid():
        return render(request, "reports/halls.html", context, status=400)
    period = form.chosen()
    visible = list(report_halls(user).order_by("code"))
    ranking = dashboards.ranking(visible, period, sort) if visible else None
    query = {key: value for key, value in request.GET.items() if key in ("period", "from", "to")}
    if ranking:
        for column in ranking["columns"]:
            flip = column["figure"] == ranking["sort"] and not ranking["reversed"]
            column["url"] = "?" + urlencode({**query, "sort": ("-" if flip else "") + column["figure"]})
            column["sorted"] = column["figure"] == ranking["sort"]
    context.update(period=period, ranking=ranking, hall_query=urlencode(query))
    return render(request, "reports/halls.html", context)
