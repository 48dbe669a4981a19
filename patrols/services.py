"""Patrols (巡场) and rectification (整改): every write, with its timeline event.

A patrol is due as a chore of the duty manager (a chore named "巡场 …", see PATROL_CHORE_PREFIX): finishing a
patrol marks the day's earliest undone patrol duty done, through staff's own service, so a missed patrol is
reminded and breached like any duty. Each failed item opens a rectification on the "rectification" clock.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from hall import sla
from hall.errors import ApplicationError, NotPermitted
from hall.models import HALL_ROLES, Hall
from hall.notifications import notify
from hall.people import can_do
from hall.timeline import record_event
from hall.uploads import validate_evidence
from hall.workflow import transition
from patrols import policies
from patrols.models import (
    Category,
    Patrol,
    PatrolCheck,
    PatrolItem,
    PatrolTemplate,
    Rectification,
    RectificationStatus,
    Result,
    TemplateItem,
)
from patrols.selectors import patrol_items
from staff import selectors as staff_selectors
from staff import services as staff_services

PATROL_CHORE_PREFIX = "巡场"
# A patrol finished this long before a patrol duty's time counts for it (a 10:00 patrol walked from 09:30).
EARLY_BY = dt.timedelta(hours=1)
MAX_ITEMS = 100
MAX_POINTS = 100
NAME_MAX = PatrolTemplate._meta.get_field("name").max_length
TEXT_MAX = TemplateItem._meta.get_field("text").max_length
STANDARD_MAX = TemplateItem._meta.get_field("standard").max_length
FIX_CLOCK = "fix"
FIX_MOVES = {
    "done": {RectificationStatus.OPEN: RectificationStatus.DONE},
    "accept": {RectificationStatus.DONE: RectificationStatus.VERIFIED},
    "reject": {RectificationStatus.DONE: RectificationStatus.OPEN},
}
FIX_LABELS = {
    "done": gettext_lazy("marked done"),
    "accept": gettext_lazy("verified"),
    "reject": gettext_lazy("reopened"),
}


# Templates

# What an item says; an item is never changed in these, only retired and followed by a new one.
ITEM_CONTENT = ("category", "text", "standard", "points", "names_staff")


def _ensure_may_edit(actor) -> None:
    if actor is not None and not policies.may_edit_templates(actor):
        raise NotPermitted(_("Only the hall manager edits the patrol templates."))


def _item_content(row: dict, position: int, old: TemplateItem | None = None) -> dict:
    """The item's content from a row {category, text, standard, points, names_staff}; what a row of an existing
    item leaves out stays as it was, a new item needs its category and text."""
    content = {field: getattr(old, field) for field in ITEM_CONTENT} if old is not None else {}
    content.update({field: row[field] for field in ITEM_CONTENT if row.get(field) is not None})
    if "category" not in content or not str(content.get("text", "")).strip():
        raise ApplicationError(_("Item %(n)s needs a category and a text.") % {"n": position})
    if content["category"] not in Category.values:
        raise ApplicationError(_("Item %(n)s: the category is not one of the four.") % {"n": position})
    content["text"] = content["text"].strip()
    content["standard"] = content.get("standard", "").strip()
    content.setdefault("points", 1)
    content.setdefault("names_staff", content["category"] == Category.STAFF)
    if len(content["text"]) > TEXT_MAX or len(content["standard"]) > STANDARD_MAX:
        raise ApplicationError(_("Item %(n)s: the text or the standard is too long.") % {"n": position})
    if not 1 <= content["points"] <= MAX_POINTS:
        raise ApplicationError(_("Item %(n)s: points go from 1 to %(max)s.") % {"n": position, "max": MAX_POINTS})
    return content


def _check_count(items: list) -> None:
    if not items:
        raise ApplicationError(_("A template needs at least one item."))
    if len(items) > MAX_ITEMS:
        raise ApplicationError(_("A template has at most %(count)s items.") % {"count": MAX_ITEMS})


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise ApplicationError(_("A template needs a name of at most %(count)s characters.") % {"count": NAME_MAX})
    return name


def template_create(*, hall: Hall, name: str, items: list[dict], is_active: bool = True, actor=None) -> PatrolTemplate:
    """A hall's checklist: items of {category, text, standard, points, names_staff} in their order; the hall
    manager's (or the admin's). A staff item names the person unless it says otherwise."""
    _ensure_may_edit(actor)
    name = _check_name(name)
    _check_count(items)
    contents = [_item_content(row, n) for n, row in enumerate(items, start=1)]
    with transaction.atomic():
        try:
            with transaction.atomic():
                template = PatrolTemplate.objects.create(hall=hall, name=name, is_active=is_active)
        except IntegrityError:
            raise ApplicationError(_("This hall already has a template of that name.")) from None
        TemplateItem.objects.bulk_create(
            TemplateItem(template=template, order=order, **content) for order, content in enumerate(contents, start=1)
        )
        record_event(subject=template, action="create", actor=actor, data={"items": len(items)})
    return template


def template_update(
    *, template: PatrolTemplate, actor, name: str | None = None, is_active: bool | None = None, items=None
) -> PatrolTemplate:
    """Renames, (de)activates and, given `items`, replaces the checklist: rows as for template_create, in their
    new order, an existing item's with its `id`. An item changed or left out is retired, never altered, so
    every patrol already walked reads and scores as it did; an unchanged one keeps its id (and its repeated
    failures). Nothing is changed when anything is refused."""
    _ensure_may_edit(actor)
    if name is not None:
        name = _check_name(name)
    if items is not None:
        _check_count(items)
    with transaction.atomic():
        template = PatrolTemplate.objects.select_for_update().get(pk=template.pk)
        changes = {}
        if name is not None and name != template.name:
            changes["name"] = [template.name, name]
            template.name = name
        if is_active is not None and is_active != template.is_active:
            changes["is_active"] = is_active
            template.is_active = is_active
        if changes:
            try:
                with transaction.atomic():
                    template.save(update_fields=[field for field in ("name", "is_active") if field in changes])
            except IntegrityError:
                raise ApplicationError(_("This hall already has a template of that name.")) from None
        if items is not None:
            changes |= _replace_items(template, items)
        if changes:
            record_event(subject=template, action="update", actor=actor, data=changes)
    return template


def _replace_items(template: PatrolTemplate, rows: list[dict]) -> dict:
    current = {item.pk: item for item in template.current_items()}
    seen, plan = set(), []
    for position, row in enumerate(rows, start=1):
        old = None
        if row.get("id") is not None:
            if row["id"] not in current:
                raise ApplicationError(_("Item %(id)s is not one of this template's items.") % {"id": row["id"]})
            if row["id"] in seen:
                raise ApplicationError(_("Item %(id)s is given twice.") % {"id": row["id"]})
            seen.add(row["id"])
            old = current[row["id"]]
        plan.append((old, _item_content(row, position, old)))
    added, moved, retired = [], [], [item for pk, item in current.items() if pk not in seen]
    for order, (old, content) in enumerate(plan, start=1):
        if old is not None and all(getattr(old, field) == value for field, value in content.items()):
            if old.order != order:
                old.order = order
                old.save(update_fields=["order"])
                moved.append(old.pk)
            continue
        if old is not None:
            retired.append(old)
        added.append(TemplateItem.objects.create(template=template, order=order, **content).pk)
    TemplateItem.objects.filter(pk__in=[item.pk for item in retired]).update(retired_at=timezone.now())
    if not (added or moved or retired):
        return {}
    return {"added": added, "moved": moved, "retired": [item.pk for item in retired]}


# Patrols


def patrol_start(*, hall: Hall, template: PatrolTemplate, actor) -> Patrol:
    if not policies.may_patrol(actor):
        raise NotPermitted(_("Only the duty manager or the hall manager walks a patrol."))
    if template.hall_id != hall.pk or not template.is_active:
        raise ApplicationError(_("This hall has no active template of that id."))
    with transaction.atomic():
        patrol = Patrol.objects.create(hall=hall, template=template, author=actor)
        PatrolItem.objects.bulk_create(
            PatrolItem(patrol=patrol, item=item, order=order)
            for order, item in enumerate(template.current_items(), start=1)
        )
        record_event(subject=patrol, action="start", actor=actor, data={"template": template.pk})
    return patrol


def patrol_check(
    *, patrol: Patrol, item: TemplateItem, result: str, note: str = "", photo=None, staff=None, actor
) -> PatrolCheck:
    """Marks one item passed or failed (again, until the patrol is finished), with a note, a photo checked by its
    content and, for a staff member's item, the person: one of the hall's staff."""
    if not policies.may_check(actor, patrol):
        raise NotPermitted(_("Only the patrol's author or the hall manager marks its items."))
    if not patrol.entries.filter(item=item).exists():
        raise ApplicationError(_("This item is not on the patrol's checklist."))
    if result not in Result.values:
        raise ApplicationError(_("A result is pass or fail."))
    if staff is not None and not can_do(staff, patrol.hall_id, HALL_ROLES):
        raise ApplicationError(_("%(name)s is not one of this hall's staff.") % {"name": staff})
    if photo:
        validate_evidence(photo)
    with transaction.atomic():
        patrol = Patrol.objects.select_for_update(no_key=True).get(pk=patrol.pk)
        if patrol.finished_at is not None:
            raise ApplicationError(_("This patrol is finished."))
        check, _created = PatrolCheck.objects.get_or_create(patrol=patrol, item=item, defaults={"result": result})
        check.result, check.note, check.staff, check.checked_at = result, note, staff, timezone.now()
        if photo:
            check.photo = photo
        check.save()
        record_event(
            subject=patrol,
            action="check",
            actor=actor,
            note=note,
            data={"item": item.pk, "result": result, "staff": getattr(staff, "pk", None), "photo": bool(photo)},
        )
    return check


def patrol_finish(*, patrol: Patrol, actor) -> Patrol:
    """Scores the patrol (points of the passed items over all points), opens a rectification for each failed
    item and marks the day's patrol duty done. Every item must be marked first."""
    if not policies.may_check(actor, patrol):
        raise NotPermitted(_("Only the patrol's author or the hall manager finishes it."))
    with transaction.atomic():
        patrol = Patrol.objects.select_for_update(no_key=True).select_related("hall").get(pk=patrol.pk)
        if patrol.finished_at is not None:
            raise ApplicationError(_("This patrol is finished."))
        items = patrol_items(patrol)
        checks = {c.item_id: c for c in patrol.checks.select_related("item", "staff")}
        missing = [item.text for item in items if item.pk not in checks]
        if missing:
            raise ApplicationError(
                _("Mark every item first; still unmarked: %(items)s") % {"items": "、".join(missing[:5])}
            )
        now = timezone.now()
        patrol.max_score = sum(item.points for item in items)
        patrol.score = sum(item.points for item in items if checks[item.pk].result == Result.PASS)
        patrol.finished_at = now
        patrol.save(update_fields=["max_score", "score", "finished_at"])
        duty = _mark_duty_done(patrol, actor, now)
        fallback = duty.chore.a if duty is not None and duty.chore.a.is_active else patrol.author
        for item in items:
            check = checks[item.pk]
            if check.result == Result.FAIL:
                _open_rectification(check, check.staff or fallback, actor, now)
        record_event(
            subject=patrol,
            action="finish",
            actor=actor,
            data={"score": patrol.score, "max_score": patrol.max_score, "duty": getattr(duty, "pk", None)},
        )
    return patrol


def _mark_duty_done(patrol: Patrol, actor, now):
    day = timezone.localtime(now, patrol.hall.tz).date()
    for duty in staff_selectors.open_duties_of_chores(patrol.hall, day, PATROL_CHORE_PREFIX):
        if duty.due_at <= now + EARLY_BY and staff_services.may_mark_done(actor, duty):
            staff_services.duty_complete(duty=duty, actor=actor, note=_("Patrol %(patrol)s") % {"patrol": patrol.pk})
            return duty
    return None


def _label(check: PatrolCheck) -> tuple[str, dict]:
    return gettext_noop("Rectification: %(item)s"), {"item": check.item.text}


def _open_rectification(check: PatrolCheck, owner, actor, now) -> Rectification:
    rectification = Rectification(hall_id=check.patrol.hall_id, check_result=check, owner=owner, due_at=now)
    rectification.save()
    _start_clock(rectification, now)
    record_event(subject=rectification, action="open", actor=actor, data={"owner": owner.pk, "check": check.pk})
    return rectification


def _start_clock(rectification: Rectification, now) -> None:
    check = rectification.check_result
    clock = sla.clock_start(
        subject=rectification,
        name=FIX_CLOCK,
        policy_key="rectification",
        responsible=rectification.owner,
        label=_label(check),
        link=rectification.get_absolute_url(),
        start=now,
    )
    rectification.due_at = clock.due_at
    rectification.save(update_fields=["due_at"])
    kind = "rectification_reopened" if rectification.reopened else "rectification_assigned"
    notify(
        recipients=[rectification.owner],
        hall_id=rectification.hall_id,
        kind=kind,
        params={"item": check.item.text, "due_at": timezone.localtime(clock.due_at, check.patrol.hall.tz)},
        link=rectification.get_absolute_url(),
    )


# Rectifications


def rectification_done(*, rectification: Rectification, note: str, photo=None, actor) -> Rectification:
    """The owner (or a manager) says it is put right, with a note and perhaps a photo; the clock stops."""
    if not policies.may_mark_fixed(actor, rectification):
        raise NotPermitted(_("Only the owner or a manager marks this rectification done."))
    if photo:
        validate_evidence(photo)

    def change(record, now):
        record.done_at, record.done_note = now, note
        fields = ["done_at", "done_note"]
        if photo:
            record.done_photo = photo
            fields.append("done_photo")
        sla.clock_stop(subject=record, name=FIX_CLOCK, at=now)
        return fields

    return transition(
        record=rectification, action="done", moves=FIX_MOVES, labels=FIX_LABELS, actor=actor, change=change, note=note
    )


def rectification_verify(*, rectification: Rectification, accept: bool, note: str = "", actor) -> Rectification:
    """The patrol's author or a manager accepts the fix, or rejects it: it is open again on a new clock."""
    if not policies.may_verify(actor, rectification):
        raise NotPermitted(_("Only the patrol's author or a manager verifies a rectification."))

    def change(record, now):
        record.verified_at, record.verified_by, record.verify_note = now, actor, note
        fields = ["verified_at", "verified_by", "verify_note"]
        if not accept:
            record.reopened += 1
            record.done_at = None
            fields += ["reopened", "done_at"]
        return fields

    with transaction.atomic():
        rectification = transition(
            record=rectification,
            action="accept" if accept else "reject",
            moves=FIX_MOVES,
            labels=FIX_LABELS,
            actor=actor,
            change=change,
            note=note,
        )
        if not accept:
            _start_clock(rectification, timezone.now())
    return rectification
