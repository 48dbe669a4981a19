"""The one SLA engine: per-hall policies, clocks on any record, and the sweep that warns and escalates.

A clock is a stored deadline. Its `next_level_at` is when it next needs attention (50 % and 75 % of the
window, the deadline itself, then one more full window for the hall manager); the sweep takes due clocks
with `SELECT … FOR UPDATE SKIP LOCKED`, moves each to the level it has reached and writes the notifications
in the same transaction, so each (clock, level) is claimed once however many sweeps run. Sending happens
after commit, from the outbox.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from hall import queries
from hall.cache import Kept
from hall.calendar import add_working_days
from hall.db import insert
from hall.health import SLA_SWEEP, heartbeat
from hall.models import (
    Hall,
    NotificationChannel,
    Role,
    SlaClock,
    SlaLevel,
    SlaPolicy,
    SlaUnit,
    User,
)
from hall.notifications import notification_rows, queue
from hall.people import responsible_managers_by_hall, role_members


@dataclass(frozen=True)
class Policy:
    amount: int
    unit: str = SlaUnit.HOURS
    urgent_percent: int = 50


# The promised times of DESIGN.md; a hall's SlaPolicy rows, edited in the admin, override them.
DEFAULT_POLICIES = {
    "repair-respond-1": Policy(2),
    "repair-respond-2": Policy(4),
    "repair-respond-3": Policy(8),
    "repair-callback": Policy(24, urgent_percent=100),
    "complaint-first-contact": Policy(2),
    "complaint-progress": Policy(3, SlaUnit.WORKING_DAYS),
    "complaint-result": Policy(15, SlaUnit.WORKING_DAYS),
    "complaint-follow-up": Policy(24, urgent_percent=100),
    # A chore's duty not done by its time: reminders, then the duty manager, within this window.
    "duty-done": Policy(30, SlaUnit.MINUTES, urgent_percent=100),
    # A handover not acknowledged by the incoming person.
    "handover-ack": Policy(30, SlaUnit.MINUTES, urgent_percent=100),
    # A customer's suggestion (建议) answered.
    "suggestion-reply": Policy(10, SlaUnit.WORKING_DAYS, urgent_percent=100),
    # A person's appeal against a line of their monthly assessment, decided by the hall manager.
    "assessment-appeal": Policy(3, SlaUnit.WORKING_DAYS, urgent_percent=100),
    # A patrol's failed item put right: by the end of the next working day.
    "rectification": Policy(1, SlaUnit.WORKING_DAYS, urgent_percent=100),
}

# Clocks whose window is a grace period after a stated time, by (app label, model, clock name): a duty due at
# 08:00 runs its "duty-done" window from 08:00 to 08:30. People are shown the stated time (the clock's start)
# and, beside it, when it is chased (the clock's end): "08:00，08:30 未完成将提醒"; every other clock shows its end.
GRACE_CLOCKS = {("staff", "duty", "done")}

# Share of the window at which each level is reached; ESCALATED comes one more full window after the deadline.
LEVEL_SHARES = {
    SlaLevel.WARNED_HALF: 0.5,
    SlaLevel.WARNED_THREE_QUARTERS: 0.75,
    SlaLevel.BREACHED: 1.0,
    SlaLevel.ESCALATED: 2.0,
}
SWEEP_BATCH = 2000
# Every clock started reads its hall's policies.
_kept_policies = Kept()


def ensure_policies(hall: Hall) -> None:
    """Gives the hall a row for every default policy it lacks, so the admin shows what is in force."""
    existing = set(SlaPolicy.objects.filter(hall=hall).values_list("key", flat=True))
    SlaPolicy.objects.bulk_create(
        SlaPolicy(hall=hall, key=key, amount=p.amount, unit=p.unit, urgent_percent=p.urgent_percent)
        for key, p in DEFAULT_POLICIES.items()
        if key not in existing
    )


def policy_for(hall: Hall, key: str) -> Policy:
    return policies_for(hall, [key])[key]


def policies_for(hall: Hall, keys) -> dict[str, Policy]:
    """The hall's policies for these keys; a key without a row has its default."""
    found = _kept_policies.get(hall.pk, lambda: _hall_policies(hall.pk))
    return {key: found.get(key) or DEFAULT_POLICIES[key] for key in keys}


def _hall_policies(hall_id: int) -> dict[str, Policy]:
    rows = SlaPolicy.objects.filter(hall_id=hall_id)
    return {row.key: Policy(row.amount, row.unit, row.urgent_percent) for row in rows}


def policies_changed(**kwargs) -> None:
    """Signal receiver: a policy saved or deleted here applies to the next deadline."""
    _kept_policies.forget()


def deadlines(*, hall: Hall, policy_keys, urgent: bool, start: datetime) -> dict[str, datetime]:
    """What each of these policies of the hall promises for a start, by policy key, from one read of them."""
    policies = policies_for(hall, policy_keys)
    return {key: deadline(start=start, policy=policy, urgent=urgent, hall=hall) for key, policy in policies.items()}


def deadline(*, start: datetime, policy: Policy, urgent: bool, hall: Hall) -> datetime:
    """Hours run around the clock; working days end at 23:59:59 hall time (see hall.calendar).
    Urgent cases get `urgent_percent` of the time, rounded up to whole minutes or whole working days."""
    percent = policy.urgent_percent if urgent else 100
    if policy.unit == SlaUnit.WORKING_DAYS:
        return add_working_days(start, max(1, _percent_rounded_up(policy.amount, percent)), hall.tz)
    minutes = policy.amount if policy.unit == SlaUnit.MINUTES else policy.amount * 60
    return start + timedelta(minutes=_percent_rounded_up(minutes, percent))


def _percent_rounded_up(amount: int, percent: int) -> int:
    # In integers: a float share rounds 3 h at 55 % (99 minutes) up to 100.
    return -(-amount * percent // 100)


def _level_at(clock: SlaClock, level: int) -> datetime:
    return clock.started_at + (clock.due_at - clock.started_at) * LEVEL_SHARES[level]


def _next_level_at(clock: SlaClock) -> datetime | None:
    following = clock.level + 1
    return _level_at(clock, following) if following in LEVEL_SHARES else None


def _reached_level(clock: SlaClock, now: datetime) -> int:
    return max((level for level in LEVEL_SHARES if _level_at(clock, level) <= now), default=SlaLevel.RUNNING)


# Clocks on a record


def _subject_filter(subject: models.Model) -> dict:
    return {"content_type": ContentType.objects.get_for_model(subject), "object_id": subject.pk}


def clock_start(
    *,
    subject: models.Model,
    name: str,
    policy_key: str,
    urgent: bool = False,
    responsible: User | None = None,
    label: tuple[str, dict] = ("", {}),
    link: str = "",
    start: datetime | None = None,
) -> SlaClock:
    """Starts (or restarts) the named clock of a record; a clock of that name still running is stopped.
    `label` is what the clock is about: a message id (marked with gettext_noop) and its params, stored as such
    and shown in the reader's language (hall.texts)."""
    started = clocks_start(
        subject=subject,
        clocks={name: (policy_key, label)},
        urgent=urgent,
        responsible=responsible,
        link=link,
        start=start,
    )
    return started[name]


def clocks_start(
    *,
    subject: models.Model,
    clocks: dict[str, tuple[str, tuple[str, dict]]],
    urgent: bool = False,
    responsible: User | None = None,
    link: str = "",
    start: datetime | None = None,
    due: dict[str, datetime] | None = None,
    first: bool = False,
) -> dict[str, SlaClock]:
    """Starts (or restarts) several clocks of a record, `clocks` giving each name its policy key and label;
    clocks of those names still running are stopped. One stop, one policy read and one insert for them all.
    `due` passes the `deadlines` the caller already worked out for the same start, e.g. before taking a lock.
    `first`: the record was just inserted, with its `next_due_at` set to `soonest(due)`; nothing runs yet to
    stop or to copy."""
    hall = subject.hall
    start = start or timezone.now()
    if due is None:
        keys = {policy_key for policy_key, _ in clocks.values()}
        due = deadlines(hall=hall, policy_keys=keys, urgent=urgent, start=start)
    if not first:
        _stop(subject, clocks, start)
    started = []
    for name, (policy_key, label) in clocks.items():
        clock = SlaClock(
            hall=hall,
            name=name,
            responsible=responsible,
            label=label[0][:100],
            label_params=label[1],
            link=link[:200],
            started_at=start,
            due_at=due[policy_key],
            **_subject_filter(subject),
        )
        clock.next_level_at = _next_level_at(clock)
        started.append(clock)
    insert(*started)
    if first:
        # All that runs on the record: with_sla_state tells its state without reading them back.
        subject._running_clocks = sorted(started, key=lambda clock: clock.due_at)
    else:
        _sync_next_due(subject)
    return {clock.name: clock for clock in started}


def soonest(due: dict[str, datetime]) -> datetime:
    """The `next_due_at` of a record whose first clocks run to these deadlines."""
    return min(due.values())


def clock_stop(*, subject: models.Model, name: str, at: datetime | None = None) -> int:
    """Stops the named running clock; a stopped clock never fires. Returns how many were stopped."""
    return clocks_stop(subject=subject, names=[name], at=at)


def clocks_stop(*, subject: models.Model, names, at: datetime | None = None) -> int:
    """Stops the running clocks of these names in one statement. Returns how many were stopped."""
    stopped = _stop(subject, names, at or timezone.now())
    if stopped:
        _sync_next_due(subject)
    return stopped


def _stop(subject: models.Model, names, at: datetime) -> int:
    subject.__dict__.pop("_running_clocks", None)
    return SlaClock.objects.filter(stopped_at__isnull=True, name__in=list(names), **_subject_filter(subject)).update(
        stopped_at=at, next_level_at=None
    )


def _sync_next_due(subject: models.Model) -> None:
    """Copies the soonest running deadline to the record, for models with a `next_due_at` field: lists filter
    and sort overdue records by that indexed column instead of searching the clock table."""
    if "next_due_at" in {field.name for field in type(subject)._meta.concrete_fields}:
        subject.next_due_at = queries.copy_soonest_due(subject)


def clock_reassign(*, subject: models.Model, name: str, responsible: User | None) -> None:
    SlaClock.objects.filter(stopped_at__isnull=True, name=name, **_subject_filter(subject)).update(
        responsible=responsible
    )


def clocks_of(subject: models.Model):
    return SlaClock.objects.filter(**_subject_filter(subject)).order_by("started_at", "id")


def running_clocks_by_subject(model: type[models.Model], ids) -> dict[int, list[SlaClock]]:
    """The running clocks of many records of one model, for a list page: one query."""
    found = defaultdict(list)
    clocks = SlaClock.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=list(ids), stopped_at__isnull=True
    ).order_by("due_at")
    for clock in clocks:
        found[clock.object_id].append(clock)
    return found


STATE_ORDER = {"overdue": 0, "at_risk": 1, "on_time": 2}


def with_sla_state(model: type[models.Model], records) -> list:
    """Gives each record `.sla_state` (overdue, at_risk, on_time or "" when no clock runs) and `.due_at`, the
    soonest running deadline: what list rows are coloured by. One query for the whole page."""
    records = list(records)
    clocks = {record.pk: record._running_clocks for record in records if hasattr(record, "_running_clocks")}
    if len(clocks) < len(records):
        clocks.update(running_clocks_by_subject(model, [record.pk for record in records if record.pk not in clocks]))
    now = timezone.now()
    for record in records:
        running = clocks.get(record.pk, [])
        states = [clock_state(clock, now) for clock in running]
        record.sla_state = min(states, key=STATE_ORDER.__getitem__) if states else ""
        record.due_at = running[0].due_at if running else None
    return records


def overdue(queryset: models.QuerySet, *, now: datetime | None = None) -> models.QuerySet:
    """The records of a model that keeps `next_due_at` whose soonest running deadline has passed, the
    longest overdue first."""
    return queryset.filter(next_due_at__lte=now or timezone.now()).order_by("next_due_at", "pk")


def grace_until(clock: SlaClock) -> datetime | None:
    """When a grace clock (GRACE_CLOCKS) is chased, its end; None for every other clock."""
    content_type = ContentType.objects.get_for_id(clock.content_type_id)
    return clock.due_at if (content_type.app_label, content_type.model, clock.name) in GRACE_CLOCKS else None


def shown_due(clock: SlaClock) -> datetime:
    """The one time people are shown for a clock: a grace clock's stated time, else its deadline."""
    return clock.started_at if grace_until(clock) else clock.due_at


def clocks_needing_attention(*, hall: Hall, limit: int = 20) -> list[SlaClock]:
    """The hall's running clocks that are overdue or that the sweep found past 75 % of their window, the most
    urgent first: what the floor view lists, whatever record they belong to; each with `shown_due` and
    `grace_until`."""
    now = timezone.now()
    clocks = SlaClock.objects.filter(hall=hall, stopped_at__isnull=True).filter(
        models.Q(due_at__lte=now) | models.Q(level__gte=SlaLevel.WARNED_THREE_QUARTERS)
    )
    clocks = list(clocks.select_related("responsible").order_by("due_at")[:limit])
    for clock in clocks:
        clock.state = clock_state(clock, now)
        clock.shown_due, clock.grace_until = shown_due(clock), grace_until(clock)
    return clocks


def clock_state(clock: SlaClock, now: datetime | None = None) -> str:
    """`overdue`, `at_risk` (past 75 % of the window) or `on_time`; what list colours show."""
    now = now or timezone.now()
    if clock.stopped_at is not None:
        return "stopped" if clock.stopped_at <= clock.due_at else "late"
    if now >= clock.due_at:
        return "overdue"
    if now >= _level_at(clock, SlaLevel.WARNED_THREE_QUARTERS):
        return "at_risk"
    return "on_time"


# The sweep


def sla_sweep(*, now: datetime | None = None, batch: int = SWEEP_BATCH) -> int:
    """Moves every due clock to the level it has reached and queues its notifications; returns how many
    notifications it wrote. A clock that missed several levels (the sweep was down) gets only the highest.
    Its heartbeat tells the health check that reminders are going out."""
    written = _sweep(now or timezone.now(), batch)
    heartbeat(SLA_SWEEP)
    return written


def _sweep(now: datetime, batch: int) -> int:
    written = 0
    while True:
        with transaction.atomic():
            clocks = list(
                SlaClock.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(stopped_at__isnull=True, next_level_at__lte=now)
                .order_by("next_level_at")[:batch]
            )
            if not clocks:
                return written
            for clock in clocks:
                clock.level = _reached_level(clock, now)
                clock.next_level_at = _next_level_at(clock)
            queries.save_levels(clocks)
            written += _notify_levels(clocks)
        if len(clocks) < batch:
            return written


def _notify_levels(clocks: list[SlaClock]) -> int:
    halls = Hall.objects.in_bulk({clock.hall_id for clock in clocks})
    duty_managers = responsible_managers_by_hall(halls.values())
    hall_managers = role_members(halls, [Role.HALL_MANAGER])
    users = User.objects.in_bulk({clock.responsible_id for clock in clocks if clock.responsible_id})
    rows = []
    for clock in clocks:
        responsible = users.get(clock.responsible_id)
        duty = duty_managers[clock.hall_id]
        if clock.level == SlaLevel.ESCALATED:
            recipients = hall_managers[clock.hall_id][Role.HALL_MANAGER] or duty
        elif clock.level == SlaLevel.BREACHED:
            recipients = [responsible, *duty]
        else:
            recipients = [responsible] if responsible else duty
        channels = [NotificationChannel.IN_APP]
        if clock.level >= SlaLevel.BREACHED:
            channels.append(NotificationChannel.SMS)
        rows += notification_rows(
            recipients=recipients,
            hall_id=clock.hall_id,
            kind=f"sla_{SlaLevel(clock.level).name.lower()}",
            params=_reminder_params(clock, halls[clock.hall_id]),
            link=clock.link,
            thread=f"sla:{clock.content_type_id}:{clock.object_id}:{clock.name}",
            channels=channels,
        )
    return len(queue(rows))


def _reminder_params(clock: SlaClock, hall: Hall) -> dict:
    """What a reminder says: the record, its one shown time and, for a grace clock, when the grace ends."""
    params = {
        "what": {"msgid": clock.label or clock.name, "params": clock.label_params},
        "due_at": timezone.localtime(shown_due(clock), hall.tz),
    }
    grace = grace_until(clock)
    if grace is not None:
        params.update(variant="grace", grace=f"{timezone.localtime(grace, hall.tz):%H:%M}")
    return params
