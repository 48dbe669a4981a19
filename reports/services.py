"""The reports' writes: the roll-up runs (日清) and the month close (月结)."""

import datetime as dt
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.errors import ApplicationError, MonthNotOver, NotPermitted
from hall.models import Hall, SlaClock, TimelineEvent
from hall.timeline import record_event
from reports import engine, policies, selectors
from reports.models import MonthClose, RollupRun

# The records whose changes move a day's figures, with the field that names the local day each belongs to (a date,
# or a moment read in the hall's time zone): a ticket its issue day, a repair order its registration, a complaint
# its acceptance, a duty its date, a sampled callback its ticket's day. A rating is its ticket's timeline event "rate".
RECORD_DAYS: dict[tuple[str, str], str] = {
    ("tickets", "ticket"): "service_date",
    ("repairs", "repairorder"): "created_at",
    ("complaints", "complaint"): "created_at",
    ("staff", "duty"): "date",
    ("callbacks", "callback"): "day",  # a callback's answer counts on its ticket's day
}
RUN = "rollup"


class MonthAlreadyClosed(ApplicationError):
    status_code = 409
    code = "month_closed"
    default_message = _("This month is already closed.")


# The roll-up


def rollup_days(halls: list[Hall], first: dt.date, last: dt.date) -> int:
    """Rolls up these halls' closed days first..last again (idempotent): the command's work. Returns the rows
    written."""
    _run_row()  # a first roll-up starts the record of changes the runs re-roll from
    return engine.rollup(halls, first, last)


def rollup_nightly(*, now: dt.datetime | None = None) -> int:
    """After midnight: every hall's yesterday, and the closed days whose records changed since the last run."""
    now = now or timezone.now()
    yesterday = {hall.pk: {hall.today() - dt.timedelta(days=1)} for hall in Hall.objects.all()}
    return rollup_touched(now=now, also=yesterday)


def rollup_touched(*, now: dt.datetime | None = None, also: dict[int, set[dt.date]] | None = None) -> int:
    """Re-rolls the closed days whose figures may have changed since the last run: the start days of the tickets,
    repair orders, complaints and duties with a timeline event since, and of the records whose SLA clocks fell
    due since (a clock past due is decided). Runs one at a time; returns the rows written."""
    now = now or timezone.now()
    with transaction.atomic():
        run = _run_row(lock=True)
        latest = TimelineEvent.objects.aggregate(latest=Max("pk"))["latest"] or 0
        subjects: dict[int, set[int]] = defaultdict(set)
        events = TimelineEvent.objects.filter(pk__gt=run.previous_event_mark, pk__lte=latest)
        clocks = SlaClock.objects.filter(
            hall__in=Hall.objects.all(), stopped_at__isnull=True, due_at__gt=run.ran_at, due_at__lte=now
        )
        for rows in (events, clocks):
            for content_type_id, object_id in rows.values_list("content_type_id", "object_id").distinct():
                subjects[content_type_id].add(object_id)
        days = _start_days(subjects)
        for hall_id, extra in (also or {}).items():
            days[hall_id] |= extra
        written = 0
        for hall in Hall.objects.filter(pk__in=days):
            closed = sorted(day for day in days[hall.pk] if day < hall.today())
            for first, last in _runs(closed):
                written += engine.rollup([hall], first, last)
        run.previous_event_mark, run.event_mark, run.ran_at = run.event_mark, latest, now
        run.save()
    return written


def _run_row(*, lock: bool = False) -> RollupRun:
    """The runs' record, made at the first run as it stands then: changes before it are in its roll-up."""
    latest = TimelineEvent.objects.aggregate(latest=Max("pk"))["latest"] or 0
    run, _created = RollupRun.objects.get_or_create(
        name=RUN, defaults={"ran_at": timezone.now(), "event_mark": latest, "previous_event_mark": latest}
    )
    return RollupRun.objects.select_for_update().get(pk=RUN) if lock else run


def _start_days(subjects: dict[int, set[int]]) -> dict[int, set[dt.date]]:
    """{hall id: local start days} of these records (by content type id), for the kinds in RECORD_DAYS."""
    halls = {hall.pk: hall for hall in Hall.objects.all()}
    days: dict[int, set[dt.date]] = defaultdict(set)
    for content_type_id, ids in subjects.items():
        content_type = ContentType.objects.get_for_id(content_type_id)
        field = RECORD_DAYS.get((content_type.app_label, content_type.model))
        model = content_type.model_class()
        if field is None or model is None:
            continue
        for hall_id, value in model.objects.filter(pk__in=ids).values_list("hall_id", field):
            if isinstance(value, dt.datetime):
                value = timezone.localtime(value, halls[hall_id].tz).date()
            days[hall_id].add(value)
    return days


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """The sorted days as runs of consecutive days: one roll-up each."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if runs and runs[-1][1] + dt.timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


# The month close


def month_close(*, hall: Hall, month: dt.date, actor) -> MonthClose:
    """Freezes the month's report as it stands now; a month closes once, after it has ended."""
    if not policies.may_close_month(actor, hall):
        raise NotPermitted(_("Only the hall manager or an administrator closes a month."))
    first, last = selectors.month_days(month)
    if last >= hall.today():
        raise MonthNotOver
    with transaction.atomic():
        frozen = selectors.monthly_figures(hall, first, last)
        try:
            with transaction.atomic():
                closed = MonthClose.objects.create(
                    hall=hall, month=first, closed_at=timezone.now(), closed_by=actor, frozen=frozen
                )
        except IntegrityError as exc:
            raise MonthAlreadyClosed from exc
        record_event(subject=closed, action="close", actor=actor, data={"month": f"{first:%Y-%m}"})
    return closed
