"""What every drill runs on: a database of its own (a copy of the run's migrated template), the run's Redis db,
the hall's processes started as production starts them, a folder of their logs, and the figures it reports.

The run's databases are named after DRILL_DATABASE (servicehall_drill: the template; servicehall_drill_<drill>:
each drill's), its Redis db is DRILL_REDIS_URL (redis://127.0.0.1:6379/8), emptied before and after each drill.
Logs go to .run/drills/<drill>/, kept when the drill fails and removed when it passes.
"""

import contextlib
import datetime as dt
import os
import shutil
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from harness.database import ROOT, close_connections, create_database, drop_database, flush_redis, migrate
from harness.processes import DrillFailure, Process, celery_beat, celery_worker, gunicorn
from harness.web import free_port, request, server_env, static_root

DATABASE = os.environ.get("DRILL_DATABASE", "servicehall_drill")
REDIS_URL = os.environ.get("DRILL_REDIS_URL", "redis://127.0.0.1:6379/8")
LOG_ROOT = ROOT / ".run" / "drills"


@dataclass
class Figures:
    """What a drill reports: what it sent to the hall (tasks and HTTP requests), the faults it injected, how many
    things it counted afterwards, how many of them were lost or duplicated, and any check that did not hold."""

    requests: int = 0
    faults: int = 0
    checked: int = 0
    lost: int = 0
    duplicated: int = 0
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    began: float = field(default_factory=time.monotonic)

    def note(self, text: str) -> None:
        """Printed with the seconds since the drill began."""
        self.notes.append(text)
        print(f"   {time.monotonic() - self.began:5.1f} s  {text}", flush=True)

    def check(self, holds: bool, problem: str) -> None:
        if not holds:
            self.problems.append(problem)
            print(f"   FAILED: {problem}", flush=True)


class DrillTimeout(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raises DrillTimeout in whatever the drill is doing once `seconds` have passed."""

    def expired(signum, frame):
        raise DrillTimeout(f"the drill ran over its {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def wait_until(found: Callable, seconds: float, what: str, every: float = 0.05):
    """found()'s first true value, asked every `every` seconds; DrillFailure after `seconds`."""
    deadline = time.monotonic() + seconds
    while not (value := found()):
        if time.monotonic() > deadline:
            raise DrillFailure(f"{what}: not within {seconds:g} s")
        time.sleep(every)
    return value


# The run's template database and Django in this process


def runner_env() -> dict:
    """This process's own environment: production settings on the template database, without a pool (it switches
    databases between drills)."""
    return server_env(DATABASE, REDIS_URL, static_root("drill"), DATABASE_POOL="false")


@contextlib.contextmanager
def template():
    """The run's template database, created and migrated once; every drill's database is a copy of it."""
    create_database(DATABASE)
    try:
        began = time.monotonic()
        migrate()
        print(f"Template database {DATABASE} migrated in {time.monotonic() - began:.0f} s", flush=True)
        close_connections()
        yield
    finally:
        drop_database(DATABASE)


def use_database(name: str) -> None:
    """Points this process at another database, forgetting whatever it kept of the previous one."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    from hall.cache import forget_kept

    close_connections()
    connections["default"].settings_dict["NAME"] = name
    forget_kept()
    ContentType.objects.clear_cache()


# A drill's stage


class Stage:
    """A drill's own database, its logs and its processes; leaving it stops every process, drops the database and
    empties the Redis db, whatever happened."""

    def __init__(self, name: str):
        self.name = name
        self.db_name = f"{DATABASE}_{name}"
        self.log_dir = LOG_ROOT / name
        self.static = static_root(f"drill-{name}")
        self.processes: list[Process] = []
        self._starting: list[tuple[Process, str]] = []
        self.figures = Figures()

    def __enter__(self) -> "Stage":
        shutil.rmtree(self.log_dir, ignore_errors=True)
        self.log_dir.mkdir(parents=True)
        self.static.mkdir(exist_ok=True)
        create_database(self.db_name, template=DATABASE)
        use_database(self.db_name)
        flush_redis(REDIS_URL)
        return self

    def __exit__(self, *exc) -> None:
        for process in reversed(self.processes):
            process.stop(timeout=10)
        use_database(DATABASE)
        drop_database(self.db_name)
        flush_redis(REDIS_URL)
        shutil.rmtree(self.static, ignore_errors=True)

    def env(self, **overrides: str) -> dict:
        """The hall's production environment on this stage, with small pools (a dozen processes share the server)."""
        return server_env(
            self.db_name, REDIS_URL, self.static, DATABASE_POOL_MIN="1", DATABASE_POOL_MAX="4", **overrides
        )

    def _started(self, process: Process, ready: str) -> Process:
        self.processes.append(process.start())
        self._starting.append((process, ready))
        return process

    def ready(self, seconds: float = 90) -> None:
        """Waits for the processes started since the last call, which start side by side, to be ready."""
        deadline = time.monotonic() + seconds
        while self._starting:
            process, ready = self._starting.pop()
            process.wait_for(ready, max(1.0, deadline - time.monotonic()))

    def worker(self, name: str, env: dict, *, queues: str = "", concurrency: int = 1) -> Process:
        """Started; ready() waits for it to take tasks."""
        process = celery_worker(name, env, self.log_dir, queues=queues, concurrency=concurrency)
        return self._started(process, " ready.")

    def beat(self, name: str, env: dict) -> Process:
        """Started; ready() waits for its first look at the schedule, which it has written into the database by
        then."""
        return self._started(celery_beat(name, env, self.log_dir, loglevel="DEBUG"), "beat: Waking up")

    def web(self, env: dict, *, workers: int = 2) -> int:
        """gunicorn answering on a free port, which it returns."""
        port = free_port()
        process = gunicorn("web", port, env, self.log_dir, workers=workers)
        self.processes.append(process.start())

        def answers():
            if not process.running:
                raise DrillFailure(f"gunicorn exited: see {process.log}")
            with contextlib.suppress(OSError):
                return request(port, "GET", "/healthz", timeout=5)[0] > 0

        wait_until(answers, 60, "gunicorn answering", every=0.2)
        return port


def send_task(name: str) -> dt.datetime:
    """Queues a task by name, as beat does (to its queue), and returns when."""
    from django.utils import timezone

    from hall.celery import app

    sent = timezone.now()
    app.send_task(name)
    return sent


def queues_empty() -> bool:
    """No task waits in Redis and none is being worked on (tasks are acknowledged when they end)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    return not any(client.llen(queue) for queue in ("celery", "notifications")) and not client.hlen("unacked")


def beat_schedule(every: dict[str, int], *, first_at: dt.datetime) -> None:
    """Changes entries of the beat schedule in the database, as an administrator would in the admin: each named
    one runs every `every[name]` seconds, first `every[name]` seconds after `first_at`, for every beat reading the
    schedule (each sees the change within 5 s: django-celery-beat's DatabaseScheduler)."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    for name, seconds in every.items():
        interval, _ = IntervalSchedule.objects.get_or_create(every=seconds, period=IntervalSchedule.SECONDS)
        entry = PeriodicTask.objects.get(name=name)
        entry.interval, entry.crontab, entry.last_run_at = interval, None, first_at
        entry.save()
