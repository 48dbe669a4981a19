"""Reads for the patrol pages, the API and the assessment: scores, repeated failures, rectifications."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from hall.models import HALL_ROLES, Hall
from hall.people import people_who_can
from patrols import policies
from patrols.models import Category, Patrol, PatrolCheck, PatrolTemplate, Rectification, RectificationStatus, Result

# The same item failed in this many patrols within REPEAT_DAYS is a repeated failure.
REPEAT_PATROLS = 2
REPEAT_DAYS = 14


def templates_of(hall: Hall):
    return PatrolTemplate.objects.filter(hall=hall, is_active=True).prefetch_related("items").order_by("name")


def staff_choices(hall: Hall):
    """The people a staff item may name: the hall's staff only."""
    return people_who_can(hall, HALL_ROLES)


def patrols_of(hall: Hall, limit: int = 20):
    return Patrol.objects.filter(hall=hall).select_related("template", "author")[:limit]


def walk(patrol: Patrol) -> list[dict]:
    """The patrol's template items in order, each with its check (or None), grouped by category."""
    checks = {c.item_id: c for c in patrol.checks.select_related("staff")}
    repeated = repeated_items(patrol)
    groups = []
    for value, label in Category.choices:
        rows = [
            {"item": item, "check": checks.get(item.pk), "repeated": item.pk in repeated}
            for item in patrol.template.items.all()
            if item.category == value
        ]
        if rows:
            groups.append({"category": value, "label": label, "rows": rows})
    return groups


def category_scores(patrol: Patrol) -> list[dict]:
    """Points passed over points possible for each category of the patrol's template."""
    passed = set(patrol.checks.filter(result=Result.PASS).values_list("item_id", flat=True))
    totals = defaultdict(lambda: [0, 0])
    for item in patrol.template.items.all():
        totals[item.category][1] += item.points
        if item.pk in passed:
            totals[item.category][0] += item.points
    return [
        {"category": value, "label": str(label), "score": totals[value][0], "max_score": totals[value][1]}
        for value, label in Category.choices
        if value in totals
    ]


def repeated_items(patrol: Patrol) -> set[int]:
    """The template items this patrol failed that failed in at least REPEAT_PATROLS patrols (this one counted)
    within REPEAT_DAYS before it."""
    failed = list(patrol.checks.filter(result=Result.FAIL).values_list("item_id", flat=True))
    if not failed:
        return set()
    since = patrol.started_at - dt.timedelta(days=REPEAT_DAYS)
    rows = (
        PatrolCheck.objects.filter(
            item_id__in=failed,
            result=Result.FAIL,
            patrol__hall_id=patrol.hall_id,
            patrol__started_at__gte=since,
            patrol__started_at__lte=patrol.started_at,
        )
        .filter(Q(patrol=patrol) | Q(patrol__finished_at__isnull=False))
        .values("item_id")
        .annotate(patrols=Count("patrol_id", distinct=True))
    )
    return {row["item_id"] for row in rows if row["patrols"] >= REPEAT_PATROLS}


def daily_scores(hall: Hall, first: dt.date, last: dt.date) -> list[dict]:
    """Finished patrols' points by day of the hall: [{date, patrols, score, max_score}]."""
    days = defaultdict(lambda: {"patrols": 0, "score": 0, "max_score": 0})
    patrols = Patrol.objects.filter(hall=hall, finished_at__isnull=False)
    tz = hall.tz
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    for patrol in patrols.filter(started_at__gte=start, started_at__lt=end):
        day = days[timezone.localtime(patrol.started_at, tz).date()]
        day["patrols"] += 1
        day["score"] += patrol.score
        day["max_score"] += patrol.max_score
    return [{"date": day, **days[day]} for day in sorted(days)]


def rectifications_for(user, hall: Hall, *, everyone: bool = False):
    """The user's own rectifications; a manager's `everyone` gives the hall's."""
    found = Rectification.objects.filter(hall=hall).select_related(
        "owner", "check_result__item", "check_result__patrol__author", "check_result__staff"
    )
    if not (everyone and policies.is_manager(user)):
        found = found.filter(owner=user)
    return found.order_by("status", "due_at", "id")


def open_rectifications(hall: Hall):
    return Rectification.objects.filter(hall=hall).exclude(status=RectificationStatus.VERIFIED)


def patrol_failed_facts(hall: Hall, first: dt.date, last: dt.date):
    """The assessment's `patrol_failed` facts: each failed item of a finished patrol that names the person."""
    from assessments.facts import Fact

    tz = hall.tz
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    checks = PatrolCheck.objects.filter(
        patrol__hall=hall,
        patrol__finished_at__isnull=False,
        patrol__started_at__gte=start,
        patrol__started_at__lt=end,
        result=Result.FAIL,
        staff__isnull=False,
    ).select_related("item", "patrol")
    for check in checks.order_by("checked_at", "id"):
        at = timezone.localtime(check.patrol.started_at, tz)
        yield Fact(
            staff_id=check.staff_id,
            source="patrol_failed",
            record=f"巡场 {at:%m-%d %H:%M}：{check.item.text}",
            link=reverse("patrol-detail", args=[check.patrol_id]),
            at=check.checked_at,
            note=check.note,
        )
