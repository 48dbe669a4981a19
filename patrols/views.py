"""The patrol pages: /patrol/ (start and walk, phone-sized, htmx), a patrol's result, the hall manager's
templates (/patrol/templates/), the scores (/patrol/scores/), /rectifications/."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hall.errors import ApplicationError
from hall.limits import NOTE_MAX
from hall.models import Hall, User
from hall.pages import attempt, is_htmx, render_in_hall, staff_hall
from hall.permissions import ensure_role, get_in_hall
from hall.uploads import evidence_response
from patrols import forms, policies, selectors, services
from patrols.models import Category, Patrol, PatrolCheck, PatrolItem, PatrolTemplate, Rectification, Result


def _patrol(request, pk: int) -> Patrol:
    ensure_role(request.user, *policies.PATROL_ROLES)
    return get_in_hall(Patrol.objects.select_related("hall", "template", "author"), request.user, pk=pk)


@login_required
def patrol_home(request):
    ensure_role(request.user, *policies.PATROL_ROLES)
    hall = staff_hall(request)
    if request.method == "POST":
        template = PatrolTemplate.objects.filter(hall=hall, pk=request.POST.get("template", "0") or 0).first()
        if template is None:
            messages.error(request, _("Choose a template."))
            return redirect("patrol-home")
        patrol, error = attempt(lambda: services.patrol_start(hall=hall, template=template, actor=request.user))
        if error:
            messages.error(request, error)
            return redirect("patrol-home")
        return redirect("patrol-detail", patrol.pk)
    context = {
        "templates": selectors.templates_of(hall),
        "patrols": selectors.patrols_of(hall),
        "may_edit_templates": policies.may_edit_templates(request.user),
    }
    return render_in_hall(request, "patrols/patrol_home.html", context, hall)


def _detail_context(patrol: Patrol, user) -> dict:
    return {
        "patrol": patrol,
        "groups": selectors.walk(patrol),
        "categories": selectors.category_scores(patrol) if patrol.finished_at else [],
        "rectifications": Rectification.objects.filter(check_result__patrol=patrol).select_related(
            "owner", "check_result__item"
        ),
        "may_check": patrol.finished_at is None and policies.may_check(user, patrol),
        "people": selectors.staff_choices(patrol.hall),
        "results": Result.choices,
        "note_max": NOTE_MAX,
    }


@login_required
def patrol_detail(request, pk: int):
    patrol = _patrol(request, pk)
    return render_in_hall(request, "patrols/patrol_detail.html", _detail_context(patrol, request.user), patrol.hall)


@login_required
@require_POST
def patrol_check(request, pk: int, item: int):
    patrol = _patrol(request, pk)
    template_item = get_object_or_404(PatrolItem.objects.select_related("item"), patrol=patrol, item_id=item).item
    if not policies.may_check(request.user, patrol):
        raise PermissionDenied
    staff_id = request.POST.get("staff", "")
    staff = None
    if staff_id:
        staff = User.objects.filter(pk=staff_id).first() if staff_id.isdecimal() else None
    note = request.POST.get("note", "")
    if len(note) > NOTE_MAX:
        error = _("A note has at most %(count)s characters.") % {"count": NOTE_MAX}
    elif staff_id and staff is None:
        error = _("No staff member of this hall has this id.")
    else:
        _notice, error = attempt(
            lambda: services.patrol_check(
                patrol=patrol,
                item=template_item,
                result=request.POST.get("result", ""),
                note=note,
                photo=request.FILES.get("photo"),
                staff=staff,
                actor=request.user,
            )
        )
    if is_htmx(request):
        context = _detail_context(patrol, request.user)
        row = next(r for g in context["groups"] for r in g["rows"] if r["item"].pk == template_item.pk)
        return render_in_hall(
            request, "patrols/_patrol_item.html", {**context, "row": row, "error": error}, patrol.hall
        )
    if error:
        messages.error(request, error)
    return redirect(f"{patrol.get_absolute_url()}#item-{template_item.pk}")


@login_required
@require_POST
def patrol_finish(request, pk: int):
    patrol = _patrol(request, pk)
    finished, error = attempt(lambda: services.patrol_finish(patrol=patrol, actor=request.user))
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("Patrol finished: %(score)s of %(max)s points.") % {"score": finished.score, "max": finished.max_score},
        )
    return redirect(patrol.get_absolute_url())


# Templates (the hall manager's)


@login_required
def template_list(request):
    ensure_role(request.user, *policies.TEMPLATE_ROLES)
    hall = staff_hall(request)
    context = {"templates": selectors.templates_of(hall, active_only=False)}
    return render_in_hall(request, "patrols/patrol_template_list.html", context, hall)


@login_required
def template_edit(request, pk: int | None = None):
    """The editor: rows are added, moved and removed on the page (htmx re-renders the form), saved at once."""
    ensure_role(request.user, *policies.TEMPLATE_ROLES)
    template = get_in_hall(PatrolTemplate.objects.select_related("hall"), request.user, pk=pk) if pk else None
    hall = template.hall if template is not None else staff_hall(request)
    if request.method != "POST":
        form, formset = forms.editor(template)
        return _editor_page(request, hall, template, form, formset)
    form = forms.TemplateForm(request.POST)
    formset = forms.ItemFormSet(request.POST, prefix=forms.PREFIX)
    op = request.POST.get("op", "save")
    if op != "save":
        if not formset.management_form.is_valid():
            return _editor_page(request, hall, template, form, formset, status=400)
        rows = forms.rearranged(forms.posted_rows(formset), op)
        unsaved = forms.TemplateForm(initial={"name": form["name"].value(), "is_active": form["is_active"].value()})
        return _editor_page(request, hall, template, unsaved, forms.rows_formset(rows))
    if not (form.is_valid() and formset.is_valid()):
        error = _("Nothing was saved. Please correct the marked fields.")
        return _editor_page(request, hall, template, form, formset, error=error, status=400)
    saved, error = attempt(lambda: _save_template(request, hall, template, form.cleaned_data, formset))
    if error:
        return _editor_page(request, hall, template, form, formset, error=error, status=400)
    messages.success(request, _("Template %(name)s saved.") % {"name": saved.name})
    url = reverse("patrol-template", args=[saved.pk])
    if is_htmx(request):
        return HttpResponse(headers={"HX-Redirect": url})
    return redirect(url)


def _save_template(request, hall: Hall, template: PatrolTemplate | None, data: dict, formset) -> PatrolTemplate:
    items = [form.cleaned_data for form in formset.forms]
    if template is None:
        return services.template_create(
            hall=hall, name=data["name"], items=items, is_active=data["is_active"], actor=request.user
        )
    return services.template_update(
        template=template, name=data["name"], is_active=data["is_active"], items=items, actor=request.user
    )


def _editor_page(request, hall, template, form, formset, error: str = "", status: int = 200):
    context = {
        "template": template,
        "form": form,
        "formset": formset,
        "error": error,
        "categories": Category.choices,
        "max_items": services.MAX_ITEMS,
    }
    if is_htmx(request):
        # htmx swaps only 2xx answers: a refusal comes back as the form with its errors.
        return render_in_hall(request, "patrols/_patrol_template_form.html", context, hall)
    return render_in_hall(request, "patrols/patrol_template_edit.html", context, hall, status)


# Scores


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ApplicationError(_("%(text)s is not a date (YYYY-MM-DD).") % {"text": text}) from None


@login_required
def patrol_scores(request):
    ensure_role(request.user, *policies.PATROL_ROLES)
    hall = staff_hall(request)
    error, status = "", 200
    try:
        first, last = selectors.score_period(hall, _day(request.GET.get("from")), _day(request.GET.get("to")))
    except ApplicationError as exc:
        error, status = str(exc.message), 400
        first, last = selectors.score_period(hall)
    scores = selectors.patrol_scores(hall, first, last)
    for row in [*scores["days"], scores]:
        by_category = {c["category"]: c for c in row["categories"]}
        row["cells"] = [by_category.get(value) for value in Category.values]
    context = {
        "scores": scores,
        "categories": Category.choices,
        "error": error,
        "repeat_patrols": selectors.REPEAT_PATROLS,
        "repeat_days": selectors.REPEAT_DAYS,
    }
    return render_in_hall(request, "patrols/patrol_scores.html", context, hall, status)


@login_required
def patrol_photo(request, pk: int, check: int):
    ensure_role(request.user, *policies.RECTIFICATION_ROLES)
    found = get_object_or_404(PatrolCheck.objects.select_related("patrol"), pk=check, patrol_id=pk)
    get_in_hall(Patrol.objects.all(), request.user, pk=found.patrol_id)
    if not found.photo:
        raise Http404
    return evidence_response(found.photo)


@login_required
def rectification_list(request):
    ensure_role(request.user, *policies.RECTIFICATION_ROLES)
    hall = staff_hall(request)
    manager = policies.is_manager(request.user)
    everyone = manager and request.GET.get("scope", "all" if manager else "mine") == "all"
    rectifications = list(selectors.rectifications_for(request.user, hall, everyone=everyone))
    for rectification in rectifications:
        rectification.may_fix = policies.may_mark_fixed(request.user, rectification)
        rectification.may_verify = policies.may_verify(request.user, rectification)
    context = {"rectifications": rectifications, "everyone": everyone, "manager": manager, "note_max": NOTE_MAX}
    return render_in_hall(request, "patrols/rectification_list.html", context, hall)


def _rectification(request, pk: int) -> Rectification:
    ensure_role(request.user, *policies.RECTIFICATION_ROLES)
    return get_in_hall(
        Rectification.objects.select_related("check_result__patrol", "check_result__item"), request.user, pk=pk
    )


@login_required
@require_POST
def rectification_action(request, pk: int, action: str):
    rectification = _rectification(request, pk)
    note = request.POST.get("note", "").strip()
    if len(note) > NOTE_MAX:
        messages.error(request, _("A note has at most %(count)s characters."))
        return redirect(rectification.get_absolute_url())
    if action == "done":
        if not note:
            messages.error(request, _("Say what was done."))
            return redirect(rectification.get_absolute_url())
        _done, error = attempt(
            lambda: services.rectification_done(
                rectification=rectification, note=note, photo=request.FILES.get("photo"), actor=request.user
            )
        )
        notice = _("Marked done; it waits to be verified.")
    elif action == "verify":
        accept = request.POST.get("accept") == "yes"
        _done, error = attempt(
            lambda: services.rectification_verify(
                rectification=rectification, accept=accept, note=note, actor=request.user
            )
        )
        notice = _("Fix accepted.") if accept else _("Fix rejected: the rectification is open again.")
    else:
        raise Http404
    messages.add_message(request, messages.ERROR if error else messages.SUCCESS, error or notice)
    scope = request.POST.get("scope", "")
    return redirect(f"{rectification.get_absolute_url().split('#')[0]}?scope={scope}#rectification-{pk}")


@login_required
def rectification_photo(request, pk: int):
    rectification = _rectification(request, pk)
    if not rectification.done_photo:
        raise Http404
    return evidence_response(rectification.done_photo)
