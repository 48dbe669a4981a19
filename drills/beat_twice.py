"""Beat running twice: two `celery beat` processes by mistake on the same database, both firing the SLA sweep,
sending, the day's duties and the roll-ups at the same instants. Every reminder is still written once, today's
duties are made once each (with one clock and one assignment each), yesterday's roll-up holds the same rows as
one roll-up alone writes, and every SMS reaches the gateway once.

The schedule is shortened in the database, as an administrator would in the admin (django-celery-beat): the sweep
and sending every 2 s, the duties and roll-ups every 5 s, each first at the same instant for both beats.

    .venv/bin/python -m drills.run beat_twice
"""

import datetime as dt
import random
import re
import time

from django.utils import timezone

from demo import history
from drills import counts, seed
from drills.stage import Stage, beat_schedule, queues_empty, send_task, wait_until
from hall.health import SLA_SWEEP
from hall.models import Heartbeat, SlaClock, SlaLevel, TimelineEvent
from harness.sms_gateway import SmsGateway
from reports import engine
from reports.models import DayParts, RollupRun
from staff import services as staff_services
from staff.models import Duty
from tickets.models import BusinessType, Counter, CounterService

NAME = "beat_twice"
TITLE = "Beat running twice"
LIMIT = 240
EVERY = {
    "sla-sweep": 2,
    "deliver-notifications": 2,
    "generate-duties": 5,
    "rollup-yesterday": 5,
    "rollup-touched-days": 5,
}
# How long both beats fire, and the clocks that reach a level meanwhile, at moments spread over it.
FIRING_SECONDS = 20
COMING_DUE = 300
CHORES = 8


def run(stage: Stage) -> None:
    figures = stage.figures
    staff = seed.staffed_hall("drill")
    yesterday = staff.hall.today() - dt.timedelta(days=1)
    chores = seed_yesterday_and_chores(staff, yesterday)
    figures.note(f"a hall with {chores} daily chores, yesterday's queue, repairs and complaints")

    with SmsGateway() as gateway:
        env = stage.env(SMS_NOTIFICATION_BACKEND="hall.notifications.HttpSmsBackend", SMS_GATEWAY_URL=gateway.url)
        stage.worker("worker", env, queues="celery", concurrency=2)
        stage.worker("sender", env, queues="notifications")
        beats = [stage.beat("beat-1", env), stage.beat("beat-2", env)]
        stage.ready()
        figures.faults += 1
        # Both beats pick the change up within 5 s and fire first at the same instant, `EVERY` after `start`.
        start = timezone.now() + dt.timedelta(seconds=6)
        beat_schedule(EVERY, first_at=start)
        rng = random.Random(NAME)
        first = start + dt.timedelta(seconds=min(EVERY.values()))
        reach = [
            (rng.choice(list(counts.ROWS_PER_LEVEL)), first + dt.timedelta(seconds=rng.uniform(0, FIRING_SECONDS - 4)))
            for _ in range(COMING_DUE)
        ]
        expected = seed.due_repairs(staff, reach)
        figures.note(f"two beats started; {COMING_DUE} clocks reach a level while they fire")
        time.sleep(max(0.0, (first - timezone.now()).total_seconds()) + FIRING_SECONDS)
        for beat in beats:
            beat.stop()
        fired = [fired_tasks(beat.output()) for beat in beats]
        figures.requests += sum(len(times) for tasks in fired for times in tasks.values())
        figures.note("beats stopped; fired " + ", ".join(f"{n} {len(fired[0][n])} + {len(fired[1][n])}" for n in EVERY))
        for name in EVERY:
            figures.check(min(len(fired[0][name]), len(fired[1][name])) >= 2, f"{name} was not fired by both beats")
        apart = max(abs(a - b) for name in EVERY for a, b in zip(fired[0][name], fired[1][name], strict=False))
        figures.note(f"the two beats fired each entry at the same instants, at most {apart * 1000:.0f} ms apart")

        wait_until(queues_empty, 90, "the queued tasks done", every=0.5)
        sent = send_task("hall.tasks.sla_sweep")  # the next minute's sweep, by the one beat left
        wait_until(lambda: Heartbeat.objects.filter(name=SLA_SWEEP, at__gte=sent).exists(), 30, "a last sweep")
        wait_until(lambda: counts.outbox(gateway)["unsent"] == 0, 60, "the outbox sent", every=0.5)
        figures.note("every task queued by the beats done, and the outbox sent")

        check_duties(figures, staff.hall, chores)
        check_rollup(figures, staff.hall, yesterday)
        counts.check_levels(figures, expected)
        check_other_reminders(figures, set(expected))
        counts.check_outbox(figures, gateway)
        check_tasks_ended_well(figures, stage)


def seed_yesterday_and_chores(staff, yesterday: dt.date) -> int:
    """Two business types and counters, the hall's daily chores (their times spread over the day, some passed),
    and yesterday as it happened (demo.history): what the nightly roll-up rolls and the duty generation reads."""
    hall = staff.hall
    types = BusinessType.objects.bulk_create(
        BusinessType(hall=hall, code=code, name=name, default_service_minutes=minutes, sort_order=n)
        for n, (code, name, minutes) in enumerate([("A", "缴费", 3), ("B", "业扩报装", 12)])
    )
    for number, clerk in enumerate(staff.clerks, 1):
        counter = Counter.objects.create(hall=hall, number=number, name=f"{number}号窗口", clerk=clerk)
        CounterService.objects.bulk_create(CounterService(counter=counter, business_type=t) for t in types)
    people = [staff.duty, *staff.clerks]
    for n in range(CHORES):
        staff_services.chore_create(
            hall=hall,
            name=f"演练事项{n + 1}",
            a=people[n % len(people)],
            b=people[(n + 1) % len(people)],
            schedule=f"daily {(7 + 2 * n) % 24:02d}:{15 * (n % 4):02d}",
            actor=staff.manager,
        )
    sink = history.OrmSink(timezone.now())
    plan = history.plan_for(hall, tickets_per_day=60, repairs_per_day=3, complaints_per_day=1, sink=sink, customers=60)
    plan.holidays = set()  # a day of work even when yesterday was a holiday
    history.day_history(plan, yesterday, sink)
    sink.finish()
    return CHORES


def fired_tasks(log: str) -> dict[str, list[float]]:
    """When a beat sent each entry (seconds of the day), from its log: "[2026-12-03 01:44:02,653: INFO/MainProcess]
    Scheduler: Sending due task <name> (<task>)"."""
    fired = {name: [] for name in EVERY}
    for hours, minutes, seconds, millis, name in re.findall(
        r"\[\S+ (\d+):(\d+):(\d+),(\d+): INFO/MainProcess\] Scheduler: Sending due task (\S+) ", log
    ):
        if name in fired:
            fired[name].append(int(hours) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000)
    return fired


def check_duties(figures, hall, chores: int) -> None:
    """Today's duties made once: one per chore, each with one clock and one assignment on its timeline."""
    duties = Duty.objects.filter(hall=hall, date=hall.today())
    ids = list(duties.values_list("pk", flat=True))
    clocks = SlaClock.objects.filter(content_type__model="duty", object_id__in=ids, name="done").count()
    assigned = TimelineEvent.objects.filter(content_type__model="duty", object_id__in=ids, action="assign").count()
    extra = (len(ids) - chores) + (clocks - len(ids)) + (assigned - len(ids))
    figures.checked += len(ids)
    figures.duplicated += max(0, extra)
    figures.lost += max(0, chores - len(ids))
    figures.check(len(ids) == chores, f"{len(ids)} duties today for {chores} chores")
    figures.check(clocks == len(ids) == assigned, f"{clocks} clocks and {assigned} assignments for {len(ids)} duties")
    figures.note(f"today's duties: {len(ids)} for {chores} chores, {clocks} clocks, {assigned} assignments")


def check_rollup(figures, hall, yesterday: dt.date) -> None:
    """Yesterday's roll-up rows are what one roll-up alone writes."""
    rows = DayParts.objects.filter(hall=hall, day=yesterday)
    after_beats = sorted(rows.values_list("dimension", "key", "parts"), key=str)
    engine.rollup([hall], yesterday, yesterday)
    alone = sorted(rows.values_list("dimension", "key", "parts"), key=str)
    runs = RollupRun.objects.count()
    figures.checked += len(after_beats)
    figures.duplicated += max(0, len(after_beats) - len(alone))
    figures.lost += max(0, len(alone) - len(after_beats))
    figures.check(len(alone) > 0, "yesterday was not rolled up")
    figures.check(after_beats == alone, "yesterday's roll-up differs from what one roll-up writes")
    figures.check(runs == 1, f"{runs} roll-up run records")
    figures.note(f"yesterday's roll-up: {len(after_beats)} rows, the same as one roll-up alone writes")


def check_other_reminders(figures, seeded: set[int]) -> None:
    """The reminders of every other clock (yesterday's records, today's duties), each written once."""
    others = list(SlaClock.objects.exclude(pk__in=seeded).filter(level__gt=SlaLevel.RUNNING))
    found = counts.reminders(others)
    repeated = sum(counts.repeats(rows) for rows in found.values())
    figures.checked += sum(len(rows) for rows in found.values())
    figures.duplicated += repeated
    figures.check(repeated == 0, f"{repeated} reminders of the other clocks written twice")
    figures.note(f"the other clocks' reminders: {sum(len(r) for r in found.values())} rows, {repeated} twice")


def check_tasks_ended_well(figures, stage: Stage) -> None:
    failed = sum(process.output().count("raised unexpected") for process in stage.processes)
    figures.check(failed == 0, f"{failed} tasks failed (see the workers' logs)")
    figures.note(f"tasks that failed: {failed}")
