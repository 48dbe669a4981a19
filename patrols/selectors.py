"""Reads for the patrol pages, the API and the assessment: scores, repeated failures, rectifications."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hall.errors import ApplicationError
from hall.models import HALL_ROLES, Hall
from hall.people import people_who_can
from patrols import policies
from patrols.models import (
    Category,
    Patrol,
    PatrolCheck,
    PatrolTemplate,
    Rectification,
    RectificationStatus,
    Result,
    TemplateItem,
)

# The same item failed in this many patrols within REPEAT_DAYS is a repeated failure.
REPEAT_PATROLS = 2
REPEAT_DAYS = 14
# The scores page and API read this many days by default, and at most MAX_SCORE_DAYS.
SCORE_DAYS = 30
MAX_SCORE_DAYS = 366


def with_current_items(templates):
    """The templates with PatrolTemplate.current_items read in one query."""
    current = TemplateItem.objects.filter(retired_at__isnull=True).order_by("order", "id")
    return templates.prefetch_related(Prefetch("items", queryset=current, to_attr="prefetched_current_items"))


def templates_of(hall: Hall, *, active_only: bool = True):
    found = PatrolTemplate.objects.filter(hall=hall)
    if active_only:
        found = found.filter(is_active=True)
    return with_current_items(found).order_by("-is_active", "name")


def patrol_items(patrol: Patrol) -> list[TemplateItem]:
    """The patrol's checklist as it was started, in its order: its template may have changed since."""
    return [entry.item for entry in patrol.entries.select_related("item").order_by("order", "id")]


def staff_choices(hall: Hall):
    """The people a staff item may name: the hall's staff only."""
    return people_who_can(hall, HALL_ROLES)


def patrols_of(hall: Hall, limit: int = 20):
    return Patrol.objects.filter(hall=hall).select_related("template", "author")[:limit]


def walk(patrol: Patrol) -> list[dict]:
    """The patrol's checklist in order, each item with its check (or None), grouped by category."""
    checks = {c.item_id: c for c in patrol.checks.select_related("staff")}
    repeated = repeated_items(patrol)
    items = patrol_items(patrol)
    groups = []
    for value, label in Category.choices:
        rows = [
            {"item": item, "check": checks.get(item.pk), "repeated": item.pk in repeated}
            for item in items
            if item.category == value
        ]
        if rows:
            groups.append({"category": value, "label": label, "rows": rows})
    return groups


def category_scores(patrol: Patrol) -> list[dict]:
    """Points passed over points possible for each category of the patrol's checklist."""
    passed = set(patrol.checks.filter(result=Result.PASS).values_list("item_id", flat=True))
    totals = defaultdict(lambda: [0, 0])
    for item in patrol_items(patrol):
        totals[item.category][1] += item.points
        if item.pk in passed:
            totals[item.category][0] += item.points
    return _category_rows(totals)


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


def score_period(hall: Hall, first: dt.date | None = None, last: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The days the scores are read over: by default the last SCORE_DAYS up to today, at most MAX_SCORE_DAYS."""
    last = last or (first + dt.timedelta(days=SCORE_DAYS - 1) if first else hall.today())
    first = first or last - dt.timedelta(days=SCORE_DAYS - 1)
    if first > last:
        raise ApplicationError(_("The first day comes after the last."))
    if (last - first).days >= MAX_SCORE_DAYS:
        raise ApplicationError(_("Scores are read over at most %(count)s days.") % {"count": MAX_SCORE_DAYS})
    return first, last


def _started_between(hall: Hall, first: dt.date, last: dt.date, prefix: str = "") -> dict:
    """The lookups of the finished patrols started from the first to the last day (hall time)."""
    start = dt.datetime.combine(first, dt.time.min, tzinfo=hall.tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=hall.tz)
    lookups = {"hall": hall, "finished_at__isnull": False, "started_at__gte": start, "started_at__lt": end}
    return {f"{prefix}{key}": value for key, value in lookups.items()}


def _category_rows(totals: dict) -> list[dict]:
    return [
        {"category": value, "label": str(label), "score": totals[value][0], "max_score": totals[value][1]}
        for value, label in Category.choices
        if value in totals
    ]


def daily_scores(hall: Hall, first: dt.date, last: dt.date) -> list[dict]:
    """Finished patrols' points by day of the hall, in all and by category:
    [{date, patrols, score, max_score, categories: [{category, label, score, max_score}]}]."""
    days = defaultdict(lambda: {"patrols": 0, "score": 0, "max_score": 0})
    tz = hall.tz
    patrols = Patrol.objects.filter(**_started_between(hall, first, last))
    for patrol in patrols:
        day = days[timezone.localtime(patrol.started_at, tz).date()]
        day["patrols"] += 1
        day["score"] += patrol.score
        day["max_score"] += patrol.max_score
    # A finished patrol has a check for every item of its checklist: its checks are its points.
    by_category = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    rows = (
        PatrolCheck.objects.filter(patrol__in=patrols)
        .annotate(day=TruncDate("patrol__started_at", tzinfo=tz))
        .values("day", "item__category")
        .annotate(score=Sum("item__points", filter=Q(result=Result.PASS)), max_score=Sum("item__points"))
    )
    for row in rows:
        by_category[row["day"]][row["item__category"]] = [row["score"] or 0, row["max_score"]]
    return [{"date": day, **days[day], "categories": _category_rows(by_category[day])} for day in sorted(days)]


def period_categories(days: list[dict]) -> list[dict]:
    """The categories' points over the days of daily_scores."""
    totals = defaultdict(lambda: [0, 0])
    for day in days:
        for row in day["categories"]:
            totals[row["category"]][0] += row["score"]
            totals[row["category"]][1] += row["max_score"]
    return _category_rows(totals)


def failing_items(hall: Hall, first: dt.date, last: dt.date) -> list[dict]:
    """The items failed by finished patrols between the days, most failed first: [{item, text, category, label,
    failures, last_failed_at, repeated}]. `repeated`: failed in REPEAT_PATROLS patrols within REPEAT_DAYS, as a
    patrol flags it (repeated_items)."""
    checks = PatrolCheck.objects.filter(result=Result.FAIL, **_started_between(hall, first, last, "patrol__"))
    times = defaultdict(list)
    items = {}
    for check in checks.select_related("item", "patrol").order_by("patrol__started_at"):
        times[check.item_id].append(check.patrol.started_at)
        items[check.item_id] = check.item
    found = []
    for pk, moments in times.items():
        window = dt.timedelta(days=REPEAT_DAYS)
        repeated = any(
            later - earlier <= window for earlier, later in zip(moments, moments[REPEAT_PATROLS - 1 :], strict=False)
        )
        item = items[pk]
        found.append(
            {
                "item": pk,
                "text": item.text,
                "category": item.category,
                "label": str(item.get_category_display()),
                "failures": len(moments),
                "last_failed_at": moments[-1],
                "repeated": repeated,
            }
        )
    return sorted(found, key=lambda row: (not row["repeated"], -row["failures"], row["text"]))


def patrol_scores(hall: Hall, first: dt.date, last: dt.date) -> dict:
    """What the scores page and API show: the days, the categories over the period, the failing items."""
    days = daily_scores(hall, first, last)
    return {
        "hall": hall.pk,
        "from": first,
        "to": last,
        "patrols": sum(day["patrols"] for day in days),
        "score": sum(day["score"] for day in days),
        "max_score": sum(day["max_score"] for day in days),
        "days": days,
        "categories": period_categories(days),
        "failing_items": failing_items(hall, first, last),
    }


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
    checks = PatrolCheck.objects.filter(
        result=Result.FAIL, staff__isnull=False, **_started_between(hall, first, last, "patrol__")
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
