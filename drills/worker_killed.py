"""A worker killed mid-sweep: 20,000 SLA clocks due, the worker that sweeps them killed with `kill -9` once some
but not all of them are claimed, a new worker started in its place. Every due level is notified exactly once
(reminder rows counted per clock and level), no clock is left locked or due, and every SMS of the outbox reaches
the gateway once.

    .venv/bin/python -m drills.run worker_killed
"""

import datetime as dt
import random
import time

from django.db import connection, transaction
from django.utils import timezone

from drills import counts, seed
from drills.stage import Stage, send_task, wait_until
from hall.health import SLA_SWEEP
from hall.models import Heartbeat, SlaClock, SlaLevel
from harness.processes import DrillFailure
from harness.sms_gateway import SmsGateway

NAME = "worker_killed"
TITLE = "Worker killed mid-sweep"
LIMIT = 240
# The clocks due, by the level the sweep moves them to: mostly warnings, a few breaches and escalations. Each
# reached its level within the last ten minutes, so none reaches the next one while the drill runs.
DUE = {
    SlaLevel.WARNED_HALF: 13_000,
    SlaLevel.WARNED_THREE_QUARTERS: 5_800,
    SlaLevel.BREACHED: 1_000,
    SlaLevel.ESCALATED: 200,
}


def run(stage: Stage) -> None:
    figures = stage.figures
    staff = seed.staffed_hall("drill")
    rng = random.Random(NAME)
    now = timezone.now()
    reach = [(level, now - dt.timedelta(seconds=rng.uniform(1, 600))) for level, n in DUE.items() for _ in range(n)]
    rng.shuffle(reach)
    began = time.monotonic()
    expected = seed.due_repairs(staff, reach)
    total = len(expected)
    figures.note(f"{total:,} clocks due on {total:,} repair orders, made in {time.monotonic() - began:.1f} s")

    with SmsGateway() as gateway:
        env = stage.env(SMS_NOTIFICATION_BACKEND="hall.notifications.HttpSmsBackend", SMS_GATEWAY_URL=gateway.url)
        stage.worker("sender", env, queues="notifications", concurrency=2)
        sweeper = stage.worker("sweeper", env, queues="celery")
        stage.ready()
        figures.note("a worker for the sweep and one for sending started")
        swept_since = timezone.now()

        def swept() -> int:
            # Every clock was due before the first sweep; a swept one's next level is later, or it has none left.
            return SlaClock.objects.exclude(next_level_at__lte=swept_since).count()

        send_task("hall.tasks.sla_sweep")
        figures.requests += 1
        at_kill = wait_until(lambda: under_way(swept(), total), 60, "the sweep under way", every=0.01)
        sweeper.kill()
        figures.faults += 1
        committed = swept()
        figures.check(0 < committed < total, f"the kill came when {committed:,} of {total:,} clocks were claimed")
        figures.note(f"kill -9 of the sweeping worker, {at_kill:,} of {total:,} levels claimed ({committed:,} kept)")

        stage.worker("sweeper-2", env, queues="celery")
        stage.ready()
        sweeps = 0
        while swept() < total and sweeps < 5:
            # What beat does every minute, sooner: a sweep, until every due clock is swept.
            sent = send_task("hall.tasks.sla_sweep")
            sweeps += 1
            wait_until(lambda sent=sent: Heartbeat.objects.filter(name=SLA_SWEEP, at__gte=sent).exists(), 60,
                       "a sweep of the new worker")  # fmt: skip
        figures.requests += sweeps
        figures.note(f"the new worker swept the other {total - committed:,} in {sweeps} sweep(s)")
        wait_until(lambda: counts.outbox(gateway)["unsent"] == 0, 120, "the outbox sent", every=0.5)
        figures.note("the outbox is sent")
        counts.check_levels(figures, expected)
        check_nothing_locked(figures, total)
        counts.check_outbox(figures, gateway)


def under_way(swept: int, total: int) -> int:
    """`swept` once the sweep has claimed some but not all of the clocks; 0 before."""
    if swept >= total:
        raise DrillFailure(f"the sweep claimed all {total:,} clocks before the worker could be killed")
    return swept


def check_nothing_locked(figures, total: int) -> None:
    """No clock still locked by the dead worker's transaction, none still due."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM (SELECT id FROM hall_slaclock FOR UPDATE SKIP LOCKED) AS free")
        free = cursor.fetchone()[0]
    due = SlaClock.objects.filter(stopped_at__isnull=True, next_level_at__lte=timezone.now()).count()
    figures.check(free == total, f"{total - free} clocks still locked")
    figures.check(due == 0, f"{due} clocks still due")
    figures.note(f"clocks locked afterwards: {total - free}, still due: {due}")
