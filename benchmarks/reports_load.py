"""Reports benchmark: the managers' figures over a year of 50 halls.

Creates its own database (servicehall_rbench) and uses Redis db 9. Seeds 50 halls like the demo hall (five
business types, six counters with their clerks, managers, repair workers, complaint handlers, the demo's chores),
then writes a year of history before today with the demo's generator (demo.history: the same simulated queues,
repair orders, complaints and duties, each with its calls, stints, ratings, SLA clocks and the timeline events the
figures read), streamed into PostgreSQL with COPY: about 5 million tickets, 250,000 repair orders and 25,000
complaints. Rolls every closed day up (reports.engine.rollup) and times, in this process with the production
settings (median of several runs, after one warm-up):
  - one hall's month dashboard: GET /api/reports/kpis/ grouped by total and by day   (target < 150 ms)
  - all 50 halls ranked for a month: hall=all, group_by=hall                         (target < 500 ms)
  - a year of one hall by week                                                       (target < 300 ms)
  - the nightly roll-up of one day for the 50 halls                                  (target < 30 s)
  - the month's XLSX workbook, GET /api/reports/monthly.xlsx, when the project has it (target < 3 s)
Exits non-zero only on a broken run; a missed target is printed as MISSED.

    .venv/bin/python benchmarks/reports_load.py        (make bench)

BENCH_HALLS and BENCH_DAYS change the size; BENCH_RUNS the timed runs per figure; BENCH_DATABASE and
BENCH_REDIS_URL move it to another database and Redis db.
"""

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict

import common

from harness import database, people, web

DB_NAME = common.database_name("servicehall_rbench")
REDIS_URL = common.redis_url(9)
HALLS = int(os.environ.get("BENCH_HALLS", "50"))
DAYS = int(os.environ.get("BENCH_DAYS", "365"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
# An ordinary weekday of each hall: with quieter Fridays, weekends and holidays and the month-start peaks this
# makes about 5 million tickets, 250,000 repair orders and 25,000 complaints a year for 50 halls.
VOLUME = {"tickets_per_day": 305, "repairs_per_day": 15.5, "complaints_per_day": 1.55, "customers": 2000}
TARGETS_MS = {"month": 150, "ranking": 500, "year": 300, "rollup_day": 30_000, "xlsx": 3_000}
# Processes writing the history at once, each with its own range of ids in every table.
WRITERS = int(os.environ.get("BENCH_WRITERS", "2"))
ID_RANGE = 1_000_000_000
STATIC_ROOT = web.static_root("rbench")
SERVER_ENV = web.server_env(DB_NAME, REDIS_URL, STATIC_ROOT)
BIG_TABLES = [
    "tickets_ticket",
    "tickets_ticketcall",
    "tickets_ticketstint",
    "tickets_rating",
    "tickets_repairorder",
    "complaints_complaint",
    "staff_duty",
    "hall_slaclock",
    "hall_timelineevent",
    "reports_dayparts",
]


# Seed data


def seed_halls() -> tuple[list, str]:
    """HALLS halls like the demo hall, each with its staff (one password hash for all: hashing is slow) and chores;
    and a superuser's token, who sees every hall."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from demo.management.commands.seed_demo import DEMO_ACCOUNTS, DEMO_CHORES, DEMO_COUNTERS, WORKER_SKILLS, Command
    from hall.models import Role, User
    from staff.models import Chore
    from staff.schedules import parse_schedule
    from tickets.models import Counter

    groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
    password = make_password("bench-only")
    command = Command()
    halls = []
    for n in range(1, HALLS + 1):
        hall = command.hall(f"h{n:02d}", f"第{n}营业厅", f"人民路 {n} 号", DEMO_COUNTERS)
        users = {}
        for username, name, roles in DEMO_ACCOUNTS:
            user = User.objects.create(
                username=f"h{n:02d}_{username}",
                name=name,
                hall=hall,
                password=password,
                skills=WORKER_SKILLS.get(username, []),
            )
            user.groups.set([groups[role] for role in roles])
            users[username] = user
        for number in DEMO_COUNTERS:
            Counter.objects.filter(hall=hall, number=number).update(clerk=users[f"clerk{number}"])
        Chore.objects.bulk_create(
            Chore(hall=hall, name=name, a=users[a], b=users[b], checklist=checklist, **parse_schedule(schedule))
            for name, schedule, a, b, checklist in DEMO_CHORES
        )
        halls.append(hall)
    admin = User.objects.create(username="bench-admin", password=password, is_superuser=True, is_staff=True)
    return halls, people.token(admin)


def copy_sink(now, id_base):
    """A demo.history sink whose rows are streamed into PostgreSQL with COPY (psycopg 3's cursor.copy)."""
    from django.db import connection
    from psycopg.types.json import Jsonb

    from demo import history

    def copy_rows(cursor, model, rows):
        fields = model._meta.concrete_fields
        # (attname, whether it is JSON, its default): a column the generator leaves out gets its field's default.
        columns = [(f.attname, f.get_internal_type() == "JSONField", f.get_default) for f in fields]
        with cursor.copy(f"COPY {model._meta.db_table} ({', '.join(f.column for f in fields)}) FROM STDIN") as copy:
            for row in rows:
                values = []
                for name, is_json, default in columns:
                    value = row[name] if name in row else default()
                    values.append(Jsonb(value) if is_json and value is not None else value)
                copy.write_row(values)

    class CopySink(history.Sink):
        def flush(self) -> None:
            with connection.cursor() as cursor:
                for model in history.MODELS:
                    rows = self.rows.pop(model, [])
                    if rows:
                        self.counts[model] += len(rows)
                        copy_rows(cursor.cursor, model, rows)

    return CopySink(now, id_base)


def generate(halls: list) -> tuple[float, dict]:
    """A year (DAYS days before today) of every hall, written by WRITERS processes at once, each for its share of
    the halls with its own range of ids; returns the seconds it took and the rows per table."""

    from django.db import connection

    from demo import history

    began = time.monotonic()
    shares = [[hall.pk for hall in halls[k::WRITERS]] for k in range(WRITERS)]
    children = [
        subprocess.Popen(
            [web.PYTHON, __file__, "--write", json.dumps({"halls": share, "id_base": k * ID_RANGE})],
            stdout=subprocess.PIPE,
            text=True,
            env={**SERVER_ENV, **{k: v for k, v in os.environ.items() if k.startswith("BENCH_")}},
        )
        for k, share in enumerate(shares)
    ]
    counts = defaultdict(int)
    for child in children:
        output, _ = child.communicate()
        if child.returncode:
            raise SystemExit("a history writer failed")
        for table, n in json.loads(output.splitlines()[-1]).items():
            counts[table] += n
    history.reset_sequences(history.MODELS)
    connection.close()
    return time.monotonic() - began, dict(counts)


def write(share: dict) -> None:
    """One writer process: the history of its halls, COPYed, one transaction per hall; prints its rows per table."""

    from django.db import connection, transaction
    from django.utils import timezone

    from demo import history
    from hall.models import Hall

    began = time.monotonic()
    sink = copy_sink(timezone.now(), share["id_base"])
    for index, hall in enumerate(Hall.objects.filter(pk__in=share["halls"]).order_by("pk"), 1):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
            plan = history.plan_for(hall, sink=sink, **VOLUME)
            today = hall.today()
            for offset in range(DAYS, 0, -1):
                history.day_history(plan, today - dt.timedelta(days=offset), sink, ticket_events=False)
                if sink.pending() > 200_000:
                    sink.flush()
            sink.flush()
        print(
            f"  writer {share['id_base'] // ID_RANGE}: {index} of {len(share['halls'])} halls,"
            f" {sink.counts[history.Ticket]:,} tickets, {time.monotonic() - began:.0f} s",
            file=sys.stderr,
            flush=True,
        )
    print(json.dumps({model._meta.db_table: n for model, n in sink.counts.items()}))


# Timing


def median_ms(action, runs: int = RUNS) -> float:
    action()  # warm-up
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def api(client, token: str, path: str):
    def get():
        response = client.get(path, HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="127.0.0.1", secure=True)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}: {response.content[:300]!r}")
        return response

    return get


def row(name: str, ms: float, target: str, ok: bool) -> str:
    return f"  {name:<46} {ms:>10,.0f} ms   target {target:<8} {common.verdict(ok)}"


def main() -> None:
    print(f"Reports benchmark: {HALLS} halls × {DAYS} days of history; database {DB_NAME}")
    print(f"Machine: {common.machine_speed()}")
    with database.own_database(DB_NAME, REDIS_URL, STATIC_ROOT, SERVER_ENV):
        from django.test import Client
        from django.urls import Resolver404, resolve

        from reports import engine

        halls, token = seed_halls()
        print("Generating the history (COPY) ...", flush=True)
        seconds, counts = generate(halls)
        print(f"Generated in {seconds:.0f} s ({seconds / 60:.1f} min, target < 15 min):")
        for table, n in sorted(counts.items(), key=lambda item: -item[1]):
            print(f"  {table:<28} {n:>12,}")
        began = time.monotonic()
        common.vacuum_analyze(*BIG_TABLES[:-1])
        print(f"VACUUM ANALYZE: {time.monotonic() - began:.0f} s")

        today = halls[0].today()
        yesterday = today - dt.timedelta(days=1)
        print("Rolling up every closed day ...", flush=True)
        began = time.monotonic()
        rows = engine.rollup(halls, today - dt.timedelta(days=DAYS), yesterday)
        rollup_all = time.monotonic() - began
        print(f"Roll-up of {DAYS} days × {HALLS} halls: {rows:,} rows in {rollup_all:.0f} s")
        common.vacuum_analyze("reports_dayparts")

        month_last = today.replace(day=1) - dt.timedelta(days=1)
        month = f"from={month_last.replace(day=1)}&to={month_last}"
        year = f"from={today - dt.timedelta(days=364)}&to={today}"
        client = Client()
        hall = halls[0].pk
        figures = {
            "one hall's month, group_by=total": api(client, token, f"/api/reports/kpis/?hall={hall}&{month}"),
            "one hall's month, group_by=day": api(
                client, token, f"/api/reports/kpis/?hall={hall}&{month}&group_by=day"
            ),
            f"{HALLS} halls ranked for a month, group_by=hall": api(
                client, token, f"/api/reports/kpis/?hall=all&{month}&group_by=hall"
            ),
            "a year of one hall, group_by=week": api(
                client, token, f"/api/reports/kpis/?hall={hall}&{year}&group_by=week"
            ),
        }
        targets = [TARGETS_MS["month"], TARGETS_MS["month"], TARGETS_MS["ranking"], TARGETS_MS["year"]]
        print(f"Timings (median of {RUNS} runs after a warm-up):")
        for (name, action), target in zip(figures.items(), targets, strict=True):
            ms = median_ms(action)
            print(row(name, ms, f"< {target} ms", ms < target), flush=True)
        ms = median_ms(lambda: engine.rollup(halls, yesterday, yesterday), runs=3)
        print(row(f"nightly roll-up of one day, {HALLS} halls", ms, "< 30 s", ms < TARGETS_MS["rollup_day"]))
        path = "/api/reports/monthly.xlsx"
        try:
            resolve(path)
        except Resolver404:
            path = None
        if path is None:
            print(f"  {'XLSX month workbook':<46} not built yet")
        else:
            ms = median_ms(api(client, token, f"{path}?hall={hall}&month={month_last:%Y-%m}"), runs=3)
            print(row("XLSX month workbook", ms, "< 3 s", ms < TARGETS_MS["xlsx"]))
        print(f"Roll-up of the whole history: {rollup_all:.0f} s for {DAYS * HALLS:,} hall-days")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        database.setup_django(SERVER_ENV)
        write(json.loads(sys.argv[2]))
    else:
        main()
