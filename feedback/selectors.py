"""Reads of suggestions, praise and mystery-shopper visits, and the facts they give a monthly assessment."""

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from assessments.facts import Fact
from feedback.models import Feedback, FeedbackKind, MysteryEvidence, MysteryResult, MysteryVisit, Result
from feedback.policies import PRAISED_ROLES
from hall.models import Hall
from hall.people import people_who_can
from hall.permissions import phone_digits
from tickets.selectors import counter_numbers_by_clerk


def feedback_list(*, hall_id: int, kind: str = "", unanswered: bool = False, staff_id: int | None = None):
    found = Feedback.objects.filter(hall_id=hall_id).select_related("staff", "replied_by")
    if kind:
        found = found.filter(kind=kind)
    if unanswered:
        found = found.filter(kind=FeedbackKind.SUGGESTION, replied_at__isnull=True)
    if staff_id:
        found = found.filter(staff_id=staff_id)
    return found


def normal_reference(typed: str) -> str:
    """A reference as the customer may type it (lower case, spaces, a dash) as it is stored."""
    return "".join(ch for ch in typed if ch.isalnum()).upper()


def followed_feedback(*, hall: Hall, reference: str, phone_end: str) -> dict | None:
    """What the customer may read of their suggestion or praise: whether it is answered, the answer and when. Found
    by its reference and the last four digits of the phone they gave; None alike for either being wrong."""
    feedback = Feedback.objects.filter(hall=hall, reference=normal_reference(reference)).first()
    digits = phone_digits(feedback.phone) if feedback else ""
    if len(digits) < 4 or not constant_time_compare(digits[-4:], phone_end):
        return None
    return {
        "reference": feedback.reference,
        "status": "replied" if feedback.replied_at else "received",
        "reply": feedback.reply if feedback.replied_at else "",
        "replied_at": feedback.replied_at,
    }


def praisable_staff(hall: Hall):
    return people_who_can(hall, PRAISED_ROLES)


def staff_picker(hall: Hall) -> list[dict]:
    """The people a customer may praise, with the counters they work, those at a counter first."""
    counters = counter_numbers_by_clerk(hall.pk)
    people = [{"person": person, "counters": counters.get(person.pk, [])} for person in praisable_staff(hall)]
    return sorted(people, key=lambda row: (not row["counters"], row["counters"][:1]))


def with_evidence_flag(visits: QuerySet) -> QuerySet:
    return visits.annotate(has_evidence=Exists(MysteryEvidence.objects.filter(visit=OuterRef("pk"))))


def visit_list(*, hall_id: int) -> QuerySet[MysteryVisit]:
    return with_evidence_flag(MysteryVisit.objects.filter(hall_id=hall_id).select_related("template", "recorded_by"))


def _bounds(hall: Hall, first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the first day's midnight to the midnight after the last, in the hall's time zone."""
    start = dt.datetime.combine(first, dt.time.min, tzinfo=hall.tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=hall.tz)
    return start, end


def _when(moment: dt.datetime, hall: Hall) -> str:
    return date_format(moment.astimezone(hall.tz), "m-d H:i")


def praise_facts(hall: Hall, first: dt.date, last: dt.date):
    """BONUS `praise`: each praise of the period naming the person."""
    start, end = _bounds(hall, first, last)
    praises = Feedback.objects.filter(
        hall=hall, kind=FeedbackKind.PRAISE, staff__isnull=False, created_at__gte=start, created_at__lt=end
    ).order_by("created_at", "id")
    with translation.override(settings.LANGUAGE_CODE):
        for praise in praises:
            yield Fact(
                staff_id=praise.staff_id,
                source="praise",
                record=_("Praise %(at)s: %(name)s")
                % {"at": _when(praise.created_at, hall), "name": praise.customer_name},
                link=praise.get_absolute_url(),
                at=praise.created_at,
                note=praise.text[:200],
            )


def mystery_failed_facts(hall: Hall, first: dt.date, last: dt.date):
    """DEDUCTION `mystery_failed`: each failed item naming a person, of the period's visits with evidence only:
    a visit without objective evidence cannot cost anyone points."""
    start, end = _bounds(hall, first, last)
    failed = (
        MysteryResult.objects.filter(
            visit__hall=hall,
            visit__visited_at__gte=start,
            visit__visited_at__lt=end,
            result=Result.FAIL,
            staff__isnull=False,
        )
        .filter(Exists(MysteryEvidence.objects.filter(visit=OuterRef("visit"))))
        .select_related("visit", "item")
        .order_by("visit__visited_at", "id")
    )
    with translation.override(settings.LANGUAGE_CODE):
        for row in failed:
            yield Fact(
                staff_id=row.staff_id,
                source="mystery_failed",
                record=_("Mystery visit %(at)s (%(visitor)s): %(item)s")
                % {"at": _when(row.visit.visited_at, hall), "visitor": row.visit.visitor, "item": row.item.text},
                link=row.visit.get_absolute_url(),
                at=row.visit.visited_at,
                note=row.note,
            )
