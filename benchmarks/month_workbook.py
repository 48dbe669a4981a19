"""Month report benchmark: the month's report (月结) and its workbook for a big hall, open and closed.

Creates its own database (servicehall_monthbench) and uses Redis db 14; rolls up a 30-day month of one hall with
BENCH_TICKETS tickets a day, BENCH_TYPES business types, BENCH_COUNTERS counters and BENCH_CLERKS clerks (half of
them at work each day, all of them with rows), every day's parts per dimension written straight into the roll-up
with histograms of waiting and handling seconds as the queue keeps them. A source with percentile figures over
those histograms stands in beside the registered ones. Then it times the month's answer and its workbook while the
month is open, once it is closed, and once a day of it was rolled up again after the close (the live figures are
then computed and compared with the frozen ones). Exits non-zero when an answer is wrong; a missed target is
printed as MISSED.

    .venv/bin/python benchmarks/month_workbook.py        (make bench)
"""

import datetime as dt
import os
import random
import time

import common

from harness import database, people, web

DB_NAME = common.database_name("servicehall_monthbench")
REDIS_URL = common.redis_url(14)
TYPES = int(os.environ.get("BENCH_TYPES", "12"))
COUNTERS = int(os.environ.get("BENCH_COUNTERS", "40"))
CLERKS = int(os.environ.get("BENCH_CLERKS", "120"))
TICKETS = int(os.environ.get("BENCH_TICKETS", "2000"))  # a day's
MONTH = dt.date(2026, 11, 1)
TARGET_MS = 3000
RUNS = 3
STATIC_ROOT = web.static_root("monthbench")


def day_parts(rng: random.Random, tickets: int) -> dict:
    """A day's parts over `tickets` tickets: their histograms have at most as many seconds as tickets."""
    waits, services = {}, {}
    for _ in range(tickets):
        wait, service = str(rng.randrange(0, 3600)), str(rng.randrange(60, 1800))
        waits[wait] = waits.get(wait, 0) + 1
        services[service] = services.get(service, 0) + 1
    return {
        "issued": tickets,
        "served": tickets - tickets // 20,
        "ratings": tickets // 2,
        "ratings_satisfied": tickets // 2 - tickets // 40,
        "bench_wait_hist": waits,
        "bench_service_hist": services,
    }


def load(hall) -> int:
    from reports.models import DayParts

    rng = random.Random(13)
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    rows = []
    for offset in range(30):
        day = MONTH + dt.timedelta(days=offset)
        keys = {"total": [""], "business_type": range(TYPES), "counter": range(COUNTERS), "clerk": range(CLERKS)}
        keys["hour"] = range(8, 18)
        for dimension, dimension_keys in keys.items():
            for key in dimension_keys:
                # half of the clerks work each day; the others' rows are written all the same (the worst case)
                per_key = {"total": 1, "clerk": CLERKS // 2}.get(dimension, len(dimension_keys))
                parts = day_parts(rng, TICKETS // per_key)
                rows.append(
                    DayParts(hall=hall, day=day, dimension=dimension, key=str(key), parts=parts, computed_at=now)
                )
    DayParts.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def register_bench_source() -> None:
    from reports import engine

    engine.register(
        engine.Source(
            name="bench",
            parts=lambda halls, first, last: [],
            figures={
                "wait_p90": lambda p: engine.percentile_minutes(p.get("bench_wait_hist", {}), 0.9),
                "service_p90": lambda p: engine.percentile_minutes(p.get("bench_service_hist", {}), 0.9),
                "pad_satisfaction": lambda p: engine.rate(p.get("ratings_satisfied", 0), p.get("ratings", 0)),
            },
        )
    )


def touch_first_day(hall) -> int:
    """The first day rolled up again after the close with one more ticket issued: the changes the month then notes
    (the total, its week)."""
    from django.utils import timezone

    from reports.models import DayParts

    row = DayParts.objects.get(hall=hall, day=MONTH, dimension="total")
    row.parts["issued"] += 1
    row.computed_at = timezone.now() + dt.timedelta(minutes=5)
    row.save()
    return 2


def timed_month(hall) -> tuple[float, int, dict]:
    from reports import exports, selectors

    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(lambda: exports.monthly_xlsx(selectors.monthly_answer(hall, MONTH)))
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)

    best, size, answer = None, 0, {}
    for _ in range(RUNS):
        began = time.perf_counter()
        answer = selectors.monthly_answer(hall, MONTH)
        size = len(exports.monthly_xlsx(answer))
        spent = (time.perf_counter() - began) * 1000
        best = spent if best is None else min(best, spent)
    return best, size, answer


def main() -> int:
    env = web.server_env(DB_NAME, REDIS_URL, STATIC_ROOT)
    with database.own_database(DB_NAME, REDIS_URL, STATIC_ROOT, env):
        import time_machine

        from hall.models import Hall, Role
        from reports import services

        hall = Hall.objects.create(code="monthbench", name="Month benchmark hall")
        manager = people.person(hall, "bench-manager", Role.HALL_MANAGER)
        began = time.perf_counter()
        rows = load(hall)
        load_s = time.perf_counter() - began
        register_bench_source()
        with time_machine.travel(dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC), tick=False):
            open_ms, open_size, answer = timed_month(hall)
            if answer["groups"]["total"][0]["figures"]["issued"]["value"] != 30 * TICKETS:
                raise SystemExit(f"the month's total is wrong: {answer['groups']['total'][0]}")
            services.month_close(hall=hall, month=MONTH, actor=manager)
            closed_ms, closed_size, answer = timed_month(hall)
            if answer["status"] != "closed" or answer["changes_since_close"]:
                raise SystemExit("the closed month is not as it was closed")
            touched = touch_first_day(hall)
            touched_ms, touched_size, answer = timed_month(hall)
            if len(answer["changes_since_close"]) != touched:
                raise SystemExit(f"changes since the close: {answer['changes_since_close']}")
    print()
    print(f"Service Hall month report benchmark: {os.cpu_count()} CPUs; PostgreSQL local")
    print(f"  {common.machine_speed()}")
    print(f"  {rows:,} roll-up rows loaded in {load_s:.1f} s: {TYPES} types, {COUNTERS} counters, {CLERKS} clerks")
    measured = (
        ("open month", open_ms, open_size),
        ("closed month", closed_ms, closed_size),
        ("closed, changed", touched_ms, touched_size),
    )
    for name, ms, size in measured:
        verdict = "ok" if ms < TARGET_MS else "MISSED"
        print(
            f"  {name:<16} answer + workbook {ms:7.0f} ms (best of {RUNS}, {size:,} bytes)"
            f"  target < {TARGET_MS} ms {verdict}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
