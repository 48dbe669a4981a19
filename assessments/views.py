"""The assessment pages: /assessment/ the person's own sheet (with an appeal form per deduction line),
/assessments/ every sheet of the hall for the hall manager (appeals to decide, the month's close, the workbook)."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from assessments import policies, selectors, services
from assessments.apis import MONTH
from assessments.models import Sheet
from hall.pages import attempt, render_in_hall, staff_hall
from hall.permissions import get_in_hall


def _month(request, hall) -> dt.date:
    value = request.GET.get("month", "") or request.POST.get("month", "")
    if MONTH.fullmatch(value):
        return dt.date(int(value[:4]), int(value[5:]), 1)
    return hall.today().replace(day=1)


def _context(hall, month, sheets) -> dict:
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    return {
        "month": month,
        "previous": previous,
        "following": following if following <= hall.today() else None,
        "rows": selectors.sheet_rows(hall, month, sheets),
        "closed": selectors.is_closed(hall, month),
    }


@login_required
def my_assessment(request):
    hall = staff_hall(request)
    month = _month(request, hall)
    notice = error = ""
    if request.method == "POST":
        sheet = get_in_hall(
            Sheet.objects.select_related("hall", "staff"), request.user, pk=request.POST.get("sheet") or 0
        )

        def appeal() -> str:
            services.sheet_appeal(
                sheet=sheet,
                line=request.POST.get("line", ""),
                reason=request.POST.get("reason", "").strip() or "—",
                actor=request.user,
            )
            return "ok"

        notice, error = attempt(appeal)
        if not error:
            return redirect(f"{reverse('my-assessment')}?month={month:%Y-%m}&appealed=1")
    sheets = [sheet for sheet in selectors.sheets_of(hall, month) if sheet.staff_id == request.user.pk]
    context = {**_context(hall, month, sheets), "error": error, "appealed": request.GET.get("appealed")}
    return render_in_hall(request, "assessments/my_assessment.html", context, hall)


@login_required
def hall_assessments(request):
    hall = staff_hall(request)
    if not policies.sees_all(request.user):
        raise PermissionDenied
    month = _month(request, hall)
    error = ""
    if request.method == "POST":
        if request.POST.get("action") == "close":
            _notice, error = attempt(lambda: services.month_close(hall=hall, month=month, actor=request.user))
        else:
            sheet = get_in_hall(
                Sheet.objects.select_related("hall", "staff"), request.user, pk=request.POST.get("sheet") or 0
            )
            _notice, error = attempt(
                lambda: services.sheet_decide(
                    sheet=sheet,
                    accept=request.POST.get("accept") == "yes",
                    note=request.POST.get("note", "").strip()[:500],
                    line=request.POST.get("line", ""),
                    actor=request.user,
                )
            )
        if not error:
            return redirect(f"{reverse('hall-assessments')}?month={month:%Y-%m}")
    context = {**_context(hall, month, selectors.sheets_of(hall, month)), "error": error}
    return render_in_hall(request, "assessments/hall_assessments.html", context, hall)
