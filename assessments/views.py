"""The assessment pages: /assessment/ the person's own sheet (with an appeal form per deduction line),
/assessments/ every sheet of the hall for the hall manager (appeals to decide, the month's close, the workbook),
/assessments/rules/ the hall's rules table, which the hall manager edits."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import policies, selectors, services
from assessments.apis import MONTH
from assessments.models import Kind, Sheet
from assessments.rules import BASE, rules_for, source_label
from hall.errors import ApplicationError
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


class RulesForm(forms.Form):
    """The rules table: per source its points per unit, cap a month and whether it counts, read as numbers only.
    What a rule may be is services.rules_set's to say, as for the API; nothing else posted is read."""

    def __init__(self, *args, rules: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = rules
        for source, rule in rules.items():
            label = source_label(source)
            self.fields[f"points-{source}"] = _number(label, gettext_lazy("points per unit"), rule.points)
            if source != BASE:
                self.fields[f"cap-{source}"] = _number(label, gettext_lazy("cap per month"), rule.cap, required=False)
                self.fields[f"active-{source}"] = forms.BooleanField(
                    required=False,
                    initial=rule.active,
                    widget=forms.CheckboxInput(attrs={"aria-label": f"{label} {gettext_lazy('counts')}"}),
                )

    def changes(self) -> list[services.RuleChange]:
        data = self.cleaned_data
        return [
            services.RuleChange(
                source=source,
                points=data[f"points-{source}"],
                cap=data.get(f"cap-{source}"),
                active=data.get(f"active-{source}", True),
            )
            for source in self.rules
        ]

    def add_problems(self, problems: dict[str, dict[str, str]]) -> None:
        for source, fields in problems.items():
            for field, message in fields.items():
                name = f"{field}-{source}"
                self.add_error(name if name in self.fields else None, message)

    def rows(self) -> list[dict]:
        return [
            {
                "source": source,
                "label": source_label(source),
                "kind": "" if source == BASE else Kind(rule.kind).label,
                "points": self[f"points-{source}"],
                "cap": None if source == BASE else self[f"cap-{source}"],
                "active": None if source == BASE else self[f"active-{source}"],
            }
            for source, rule in self.rules.items()
        ]


def _number(label: str, what, initial: Decimal | None, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        required=required,
        initial=None if initial is None else f"{initial.normalize():f}",
        widget=forms.NumberInput(
            attrs={"step": "0.01", "min": "0", "max": services.POINTS_MAX, "aria-label": f"{label} {what}"}
        ),
    )


@login_required
def assessment_rules(request):
    hall = staff_hall(request)
    if not policies.may_set_rules(request.user, hall):
        raise PermissionDenied
    form = RulesForm(request.POST if request.method == "POST" else None, rules=rules_for(hall))
    error = ""
    if form.is_bound and form.is_valid():
        try:
            written = services.rules_set(hall=hall, changes=form.changes(), actor=request.user)
        except services.RulesInvalid as exc:
            form.add_problems(exc.problems)
        except ApplicationError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("The rules are saved: %(n)s changed.") % {"n": len(written)})
            return redirect(f"{reverse('assessment-rules')}?hall={hall.pk}")
    if form.errors:
        error = _("Nothing was saved: please correct the marked fields.")
    context = {"form": form, "error": error, "last_closed": selectors.last_closed_month(hall)}
    return render_in_hall(request, "assessments/assessment_rules.html", context, hall, status=400 if error else 200)
