"""Queue figures benchmark: the nightly roll-up and a long period's figures over many halls.

Creates its own database (servicehall_figbench) and uses Redis db 11; loads BENCH_HALLS halls (default 50) with
BENCH_TICKETS tickets a day each (default 300) for BENCH_DAYS days (default 7), straight in SQL: their calls, their
stints (a 25th of them transferred once), a rating for a third of the served, and each counter's day (open 08:30,
pause 12:00–13:00, close 17:30). Then it times, in this process: the roll-up of one day of every hall (the nightly
job), the queue parts of one hall's whole period computed live with the number of SQL statements they take, the
figures of every hall over the whole period by each grouping live, the roll-up of the whole period, and the same
figures read from it (which must equal the live ones). A missed target is printed as MISSED; the run exits non-zero
only when the roll-up and the live figures disagree.

    .venv/bin/python benchmarks/queue_figures.py        (make bench)

BENCH_DATABASE and BENCH_REDIS_URL move it to another database and Redis db.
"""

import datetime as dt
import os
import sys
import time

import common

from harness import database, web

DB_NAME = common.database_name("servicehall_figbench")
REDIS_URL = common.redis_url(11)
HALLS = int(os.environ.get("BENCH_HALLS", "50"))
DAYS = int(os.environ.get("BENCH_DAYS", "7"))
TICKETS = int(os.environ.get("BENCH_TICKETS", "300"))
TYPES = "ABCD"
COUNTERS = 6
FIRST = dt.date(2026, 11, 2)
TARGETS = {"nightly_rollup_s": 30}
STATIC_ROOT = web.static_root("figbench")
ENV = web.server_env(DB_NAME, REDIS_URL, STATIC_ROOT)


def seed() -> dict:
    from django.contrib.auth.models import Group

    from hall.models import Hall, Role, User
    from tickets.models import BusinessType, Counter, CounterService

    clerk_role = Group.objects.get_or_create(name=Role.CLERK)[0]
    halls, types, counters, clerks = [], [], [], []
    for h in range(HALLS):
        hall = Hall.objects.create(code=f"fig{h}", name=f"Hall {h}")
        halls.append(hall.pk)
        hall_types = [BusinessType.objects.create(hall=hall, code=code, name=code) for code in TYPES]
        types += [t.pk for t in hall_types]
        for number in range(1, COUNTERS + 1):
            # Nobody signs in: no password to hash.
            clerk = User.objects.create(username=f"fig{h}-clerk{number}", hall=hall)
            clerk.groups.add(clerk_role)
            counter = Counter.objects.create(hall=hall, number=number, clerk=clerk)
            for business_type in hall_types:
                CounterService.objects.create(counter=counter, business_type=business_type)
            counters.append(counter.pk)
            clerks.append(clerk.pk)
    return {"halls": halls, "types": types, "counters": counters, "clerks": clerks}


def load(seeded: dict) -> None:
    """Tickets in one INSERT … SELECT generate_series, then their calls, stints, ratings and transfers, and the
    counters' days, each from them in one statement."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from tickets.models import Counter, Ticket

    # i runs over halls × days × tickets; t is the ticket of its day, d its day, h its hall (all from 0).
    t, d, h = f"((i - 1) %% {TICKETS})", f"((i - 1) / {TICKETS} %% {DAYS})", f"((i - 1) / {TICKETS * DAYS})"
    status = f"CASE WHEN {t} %% 50 = 1 THEN 'cancelled' WHEN {t} %% 20 = 0 THEN 'no_show' ELSE 'done' END"
    called = f"CASE WHEN {t} %% 50 = 1 THEN NULL ELSE started + ({t} %% 40) * interval '1 minute' END"
    counter = (
        f"CASE WHEN {t} %% 50 = 1 THEN NULL ELSE (%(counters)s::int[])[{h} * {COUNTERS} + {t} %% {COUNTERS} + 1] END"
    )
    clerk = f"CASE WHEN {t} %% 50 = 1 THEN NULL ELSE (%(clerks)s::int[])[{h} * {COUNTERS} + {t} %% {COUNTERS} + 1] END"
    business_type = f"(%(types)s::int[])[{h} * {len(TYPES)} + {t} %% {len(TYPES)} + 1]"
    known = {
        "hall_id": f"(%(halls)s::int[])[{h} + 1]",
        "business_type_id": business_type,
        "issued_type_id": business_type,
        "service_date": f"%(first)s::date + {d}::int",
        "seq": f"{t} + 1",
        "number": f"'T' || lpad(({t} + 1)::text, 3, '0')",
        "status": status,
        "token": "md5(i::text)",
        "counter_id": counter,
        "served_by_id": clerk,
        "predicted_wait_minutes": f"{t} %% 30",
        "issued_at": "started",
        "called_at": called,
        "started_at": f"CASE WHEN {status} = 'done' THEN {called} END",
        "finished_at": f"CASE WHEN {status} = 'done' THEN {called} + (180 + {t} %% 600) * interval '1 second' END",
        "created_at": "started",
    }
    started = (
        f"(%(first)s::timestamp + {d} * interval '1 day' + interval '8 hours 30 minutes'"
        f" + {t} * interval '100 seconds') AT TIME ZONE 'Asia/Shanghai'"
    )
    params = {**seeded, "total": HALLS * DAYS * TICKETS, "first": FIRST}
    common.bulk_load(Ticket, known, started, params, "SELECT 1")
    ticket_type = ContentType.objects.get_for_model(Ticket).pk
    counter_type = ContentType.objects.get_for_model(Counter).pk
    with connection.cursor() as cursor:
        cursor.execute("""INSERT INTO tickets_ticketcall (hall_id, ticket_id, counter_id, at, is_recall)
            SELECT hall_id, id, counter_id, called_at, false FROM tickets_ticket WHERE called_at IS NOT NULL""")
        cursor.execute("""INSERT INTO tickets_ticketstint (hall_id, ticket_id, service_date, business_type_id,
                counter_id, clerk_id, started_at, ended_at, transferred)
            SELECT hall_id, id, service_date, business_type_id, counter_id, served_by_id, started_at, finished_at,
                id % 25 = 2
            FROM tickets_ticket WHERE status = 'done'""")
        cursor.execute(
            """INSERT INTO hall_timelineevent (hall_id, content_type_id, object_id, at, action, from_status,
                to_status, note, data)
            SELECT hall_id, %s, id, finished_at, 'transfer', 'serving', 'waiting', '', '{}'
            FROM tickets_ticket WHERE status = 'done' AND id %% 25 = 2""",
            [ticket_type],
        )
        cursor.execute("""INSERT INTO tickets_rating (ticket_id, score, comment, created_at)
            SELECT id, 1 + id % 5, '', finished_at FROM tickets_ticket WHERE status = 'done' AND id % 3 = 0""")
        cursor.execute(
            """INSERT INTO hall_timelineevent (hall_id, content_type_id, object_id, at, action, from_status,
                to_status, note, data)
            SELECT c.hall_id, %s, c.id, (day + e.at) AT TIME ZONE 'Asia/Shanghai', e.action, '', '', '', '{}'
            FROM hall_counter c
            CROSS JOIN generate_series(%s::timestamp, %s::timestamp, interval '1 day') AS day
            CROSS JOIN (VALUES (interval '8 hours 30 minutes', 'counter_open'), (interval '12 hours', 'counter_pause'),
                (interval '13 hours', 'counter_open'), (interval '17 hours 30 minutes', 'counter_close'))
                AS e(at, action)""",
            [counter_type, FIRST, FIRST + dt.timedelta(days=DAYS - 1)],
        )
    common.vacuum_analyze(
        "tickets_ticket", "tickets_ticketcall", "tickets_ticketstint", "tickets_rating", "hall_timelineevent"
    )


def main() -> int:
    with database.own_database(DB_NAME, REDIS_URL, STATIC_ROOT, ENV):
        import zoneinfo

        import time_machine
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from hall.models import Hall
        from reports import engine
        from reports.sources import queue

        print(f"# {common.machine_speed()}")
        began = time.monotonic()
        load(seed())
        print(f"loaded {HALLS} halls × {DAYS} days × {TICKETS} tickets in {time.monotonic() - began:.1f} s")
        halls = list(Hall.objects.order_by("pk"))
        last = FIRST + dt.timedelta(days=DAYS - 1)
        failed = False
        with time_machine.travel(
            dt.datetime.combine(last + dt.timedelta(days=1), dt.time(2), tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")),
            tick=True,
        ):
            seconds = common.timed(engine.rollup, halls, last, last)
            flag = "" if seconds < TARGETS["nightly_rollup_s"] else "  MISSED"
            print(f"nightly roll-up of one day, {HALLS} halls: {seconds:.2f} s (target < 30 s){flag}")

            with CaptureQueriesContext(connection) as queries:
                began = time.monotonic()
                rows = list(queue.parts([halls[0]], FIRST, last))
                seconds = time.monotonic() - began
            statements = ", ".join(f"{float(query['time']) * 1000:.0f}" for query in queries.captured_queries)
            print(
                f"one hall's queue parts over {DAYS} days live: {seconds * 1000:.0f} ms, "
                f"{len(queries)} SQL statements (ms: {statements}), {len(rows)} part rows"
            )

            live, timings = {}, []
            for grouping in engine.GROUPINGS:
                began = time.monotonic()
                live[grouping] = engine.kpis(
                    halls=halls, first=FIRST, last=last - dt.timedelta(days=1), group_by=grouping
                )
                timings.append(f"{grouping} {time.monotonic() - began:.2f}")
            print(f"figures of {HALLS} halls over {DAYS - 1} days live, s per grouping: {', '.join(timings)}")

            seconds = common.timed(engine.rollup, halls, FIRST, last)
            print(f"roll-up of {DAYS} days, {HALLS} halls: {seconds:.2f} s")
            timings = []
            for grouping in engine.GROUPINGS:
                began = time.monotonic()
                rolled = engine.kpis(halls=halls, first=FIRST, last=last - dt.timedelta(days=1), group_by=grouping)
                timings.append(f"{grouping} {time.monotonic() - began:.2f}")
                if rolled != live[grouping]:
                    print(f"BROKEN: the roll-up's {grouping} figures differ from the live ones")
                    failed = True
            print(f"the same from the roll-up, s per grouping: {', '.join(timings)}")
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
