"""Every write of suggestions, praise and mystery-shopper visits: one transaction, one timeline event each."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from feedback import policies
from feedback.models import (
    Feedback,
    FeedbackChannel,
    FeedbackKind,
    MysteryEvidence,
    MysteryResult,
    MysteryVisit,
    Result,
)
from hall import sla
from hall.errors import ApplicationError
from hall.models import Hall, Role, User
from hall.notifications import notify
from hall.people import can_do, responsible_managers
from hall.timeline import record_event
from patrols.models import PatrolTemplate

REPLY_CLOCK = "reply"


def _person(actor):
    return actor if actor is not None and actor.is_authenticated else None


def feedback_receive(
    *,
    hall: Hall,
    kind: str,
    customer_name: str,
    phone: str,
    text: str,
    staff: User | None = None,
    actor=None,
) -> Feedback:
    """Taken at the counter by `actor`, or from the public form (no actor). A suggestion starts its reply clock,
    owned by the day's duty manager; praise must name a member of staff, who is told."""
    taker = _person(actor)
    policies.ensure_may(taker, hall.pk, policies.DESK_ROLES)
    if kind not in FeedbackKind.values:
        raise ApplicationError(_("Feedback is a suggestion or praise."))
    if kind == FeedbackKind.PRAISE and staff is None:
        raise ApplicationError(_("Praise names the member of staff it is for."))
    if staff is not None and not can_do(staff, hall, policies.PRAISED_ROLES):
        raise ApplicationError(_("Nobody of this hall's staff has this id."))
    now = timezone.now()
    with transaction.atomic():
        feedback = Feedback.objects.create(
            hall=hall,
            kind=kind,
            channel=FeedbackChannel.COUNTER if taker else FeedbackChannel.WEB,
            customer_name=customer_name,
            phone=phone,
            text=text,
            staff=staff,
            taken_by=taker,
            created_at=now,
        )
        if kind == FeedbackKind.SUGGESTION:
            owner = next(iter(responsible_managers(hall, fallback=[Role.HALL_MANAGER])), None)
            clock = sla.clock_start(
                subject=feedback,
                name=REPLY_CLOCK,
                policy_key="suggestion-reply",
                responsible=owner,
                label=(gettext_noop("Reply to the suggestion of %(name)s"), {"name": customer_name}),
                link=feedback.get_absolute_url(),
                start=now,
            )
            feedback.reply_due = clock.due_at
            feedback.save(update_fields=["reply_due"])
        record_event(
            subject=feedback,
            action="receive",
            actor=taker,
            at=now,
            data={"kind": kind, "channel": feedback.channel, "staff": staff.pk if staff else None},
        )
        if kind == FeedbackKind.PRAISE:
            notify(
                recipients=[staff],
                hall_id=hall.pk,
                kind="praise_received",
                params={"customer": customer_name},
                body=text,
                link=feedback.get_absolute_url(),
            )
    return feedback


def feedback_reply(*, feedback: Feedback, text: str, actor=None) -> Feedback:
    """The hall's answer to a suggestion (or thanks for praise), once; it stops the reply clock."""
    with transaction.atomic():
        feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
        policies.ensure_may(_person(actor), feedback.hall_id, policies.REPLY_ROLES)
        if feedback.replied_at is not None:
            raise ApplicationError(_("This has been answered already."))
        if not text.strip():
            raise ApplicationError(_("Write the answer."))
        now = timezone.now()
        feedback.reply, feedback.replied_at, feedback.replied_by = text, now, _person(actor)
        feedback.save(update_fields=["reply", "replied_at", "replied_by"])
        sla.clock_stop(subject=feedback, name=REPLY_CLOCK, at=now)
        late = feedback.reply_due is not None and now > feedback.reply_due
        record_event(subject=feedback, action="reply", actor=_person(actor), at=now, note=text, data={"late": late})
    return feedback


def mystery_visit_record(
    *,
    hall: Hall,
    template: PatrolTemplate,
    visited_at,
    visitor: str,
    results: list[dict],
    evidence=(),
    note: str = "",
    actor=None,
) -> MysteryVisit:
    """`results`: [{item: TemplateItem, result: pass|fail, note, staff: User|None}], one per item of the template
    at most. Evidence files are checked by their content before anything is written."""
    policies.ensure_may(_person(actor), hall.pk, policies.VISIT_ROLES)
    if template.hall_id != hall.pk:
        raise ApplicationError(_("The template belongs to another hall."))
    if not results:
        raise ApplicationError(_("Give the result of at least one item."))
    if visited_at > timezone.now():
        raise ApplicationError(_("A visit cannot be in the future."))
    seen = set()
    for row in results:
        if row["item"].template_id != template.pk or row["item"].retired_at is not None:
            raise ApplicationError(_("Item %(id)s is not in this template.") % {"id": row["item"].pk})
        if row["item"].pk in seen:
            raise ApplicationError(_("Item %(id)s is given twice.") % {"id": row["item"].pk})
        seen.add(row["item"].pk)
        if row["result"] not in Result.values:
            raise ApplicationError(_("A result is pass or fail."))
        staff = row.get("staff")
        if staff is not None and not can_do(staff, hall, policies.PRAISED_ROLES):
            raise ApplicationError(_("Nobody of this hall's staff has this id."))
    MysteryEvidence.content_types(evidence)
    with transaction.atomic():
        visit = MysteryVisit.objects.create(
            hall=hall, template=template, visited_at=visited_at, visitor=visitor, note=note, recorded_by=_person(actor)
        )
        MysteryResult.objects.bulk_create(
            MysteryResult(
                visit=visit, item=row["item"], result=row["result"], note=row.get("note", ""), staff=row.get("staff")
            )
            for row in results
        )
        MysteryEvidence.attach(evidence, actor=actor, visit=visit)
        failed = sum(row["result"] == Result.FAIL for row in results)
        record_event(
            subject=visit,
            action="record",
            actor=_person(actor),
            note=note,
            data={"results": len(results), "failed": failed, "evidence": len(evidence)},
        )
    return visit
