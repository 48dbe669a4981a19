"""The patrol pages: /patrol/ (start and walk, phone-sized, htmx), a patrol's result, /rectifications/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hall.limits import NOTE_MAX
from hall.models import User
from hall.pages import attempt, is_htmx, render_in_hall, staff_hall
from hall.permissions import ensure_role, get_in_hall
from hall.uploads import evidence_response
from patrols import policies, selectors, services
from patrols.models import Patrol, PatrolCheck, PatrolTemplate, Rectification, Result, TemplateItem


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
    context = {"templates": selectors.templates_of(hall), "patrols": selectors.patrols_of(hall)}
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
    template_item = get_object_or_404(TemplateItem, pk=item, template_id=patrol.template_id)
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
