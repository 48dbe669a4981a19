"""Queue load benchmark: the app under gunicorn on PostgreSQL and Redis, driven from other processes.

Creates its own database (servicehall_bench) and uses Redis db 14, seeds one hall with 50 open counters,
then measures for a fixed time each: kiosk issuing, call-next by 50 counters at once (each finishing what
it called), and the display board. Afterwards it asks the database for duplicates, which must be none.
Exits non-zero only on duplicates or a broken run; a missed target is printed as MISSED.

    .venv/bin/python benchmarks/queue_load.py        (make bench)

BENCH_SECONDS, BENCH_WORKERS, BENCH_THREADS and BENCH_WORKER_CLASS change the run; BENCH_NO_WRK=1 uses the
Python load generator instead of wrk; BENCH_DATABASE and BENCH_REDIS_URL move it to another database and Redis db.
"""

import asyncio
import json
import os
import sys
import time

import common

from harness import database, people, web

DB_NAME = common.database_name("servicehall_bench")
REDIS_URL = common.redis_url(14)
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
WARMUP_SECONDS = 2.0
COUNTERS = 50
TYPES = "ABCD"
# The public endpoints are rate-limited per client address; the benchmark is one address.
THROTTLE_RATE = "1000000/s"
TARGETS = {"issue": 600, "board": 2000}
# Measured here: 3 sync workers beat 2 or 4, and beat gthread, whose thread hand-offs cost more on 2 cores
# than the keep-alive saves.
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
STATIC_ROOT = web.static_root("bench")
SERVER_ENV = web.server_env(DB_NAME, REDIS_URL, STATIC_ROOT, PUBLIC_THROTTLE_RATE=THROTTLE_RATE)


# Seed data


def seed() -> tuple[int, list[tuple[int, str]]]:
    """One hall, four business types, 50 open counters each with its clerk and API token."""
    from hall.models import Hall, Role
    from tickets.models import BusinessType, Counter, CounterService
    from tickets.services import counter_open

    hall = Hall.objects.create(code="bench", name="Benchmark hall")
    types = [
        BusinessType.objects.create(hall=hall, code=code, name=f"Type {code}", sort_order=n)
        for n, code in enumerate(TYPES)
    ]
    counters = []
    for number in range(1, COUNTERS + 1):
        clerk = people.person(hall, f"bench-clerk{number}", Role.CLERK)
        counter = Counter.objects.create(hall=hall, number=number)
        main, extra = types[number % len(types)], types[(number + 1) % len(types)]
        CounterService.objects.create(counter=counter, business_type=main, weight=2)
        CounterService.objects.create(counter=counter, business_type=extra, weight=1)
        counter_open(counter=counter, actor=clerk)
        counters.append((counter.pk, people.token(clerk)))
    return hall.pk, counters


def duplicates() -> dict[str, int]:
    from django.db import connection

    checks = {
        "tickets called more than once": """
            SELECT count(*) FROM (SELECT ticket_id FROM tickets_ticketcall WHERE NOT is_recall
            GROUP BY ticket_id HAVING count(*) > 1) d""",
        "duplicate numbers (hall/type/day)": """
            SELECT count(*) FROM (SELECT 1 FROM tickets_ticket
            GROUP BY hall_id, issued_type_id, service_date, number HAVING count(*) > 1) d""",
        "counters with >1 active ticket": """
            SELECT count(*) FROM (SELECT counter_id FROM tickets_ticket WHERE status IN ('called', 'serving')
            GROUP BY counter_id HAVING count(*) > 1) d""",
    }
    with connection.cursor() as cursor:
        found = {}
        for name, sql in checks.items():
            cursor.execute(sql)
            found[name] = cursor.fetchone()[0]
    return found


def issue_bookkeeping() -> dict[str, int]:
    """What every issue must have left behind: a ticket, its timeline event, its stored estimate."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*), count(*) FILTER (WHERE predicted_wait_minutes > 0),
               (SELECT count(*) FROM hall_timelineevent WHERE action = 'issue') FROM tickets_ticket"""
        )
        tickets, with_wait, events = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM tickets_ticket WHERE status = 'done'")
        done = cursor.fetchone()[0]
    return {"tickets": tickets, "with_wait": with_wait, "issue_events": events, "done": done}


# The server


def check_issue(port: int, hall_id: int) -> None:
    """One kiosk issue before the load, so a broken endpoint stops the run instead of being timed."""
    body = {"hall": hall_id, "business_type": TYPES[0], "priority": "normal"}
    status, content, _ = web.request(port, "POST", "/api/tickets/", body=body)
    if status != 201:
        raise SystemExit(f"issuing answered {status}: {content[:500]!r}")


# Load with wrk (cheap on CPU) when it is there


WRK_COMMON = """
local counter = 0
local hall = 0
function init(args) hall = tonumber(args[1]) end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK_RESULT %d %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    e.status, e.connect + e.read + e.write, e.timeout, latency:percentile(50), latency:percentile(99),
    latency.max))
end
"""

WRK_ISSUE = (
    WRK_COMMON
    + """
local types = {TYPE_LIST}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
function request()
  counter = counter + 1
  local priority = "normal"
  if counter % 10 == 0 then priority = "priority" end
  local body = string.format('{"hall": %d, "business_type": "%s", "priority": "%s"}',
    hall, types[counter % #types + 1], priority)
  return wrk.format(nil, nil, nil, body)
end
""".replace("TYPE_LIST", ", ".join(f'"{code}"' for code in TYPES))
)

WRK_BOARD = WRK_COMMON


# The Python load generator (common.Connection), in processes of its own


async def simple_load(spec: dict) -> dict:
    """Issue or board requests from `connections` keep-alive connections until time is up."""
    latencies, errors = [], 0
    path = "/api/tickets/" if spec["mode"] == "issue" else f"/api/halls/{spec['hall']}/board/"
    method, expected = ("POST", 201) if spec["mode"] == "issue" else ("GET", 200)
    deadline = time.monotonic() + spec["seconds"]

    async def client(n):
        nonlocal errors
        connection, i = common.Connection(spec["port"]), n
        while time.monotonic() < deadline:
            i += 1
            priority = "priority" if i % 10 == 0 else "normal"
            body = b""
            if method == "POST":
                body = json.dumps({"hall": spec["hall"], "business_type": TYPES[i % len(TYPES)], "priority": priority})
            started = time.perf_counter()
            status, _ = await connection.request(method, path, body.encode() if body else b"")
            latencies.append(time.perf_counter() - started)
            errors += status != expected

    began = time.monotonic()
    await asyncio.gather(*(client(n) for n in range(spec["connections"])))
    return common.summarize_load(latencies, time.monotonic() - began, errors)


async def counters_load(spec: dict) -> dict:
    """Each counter's clerk: call next, start, finish, again. Only the call-next requests are timed."""
    latencies, errors, empty, served = [], 0, 0, 0
    deadline = time.monotonic() + spec["seconds"]

    async def clerk(counter_id, token):
        nonlocal errors, empty, served
        connection = common.Connection(spec["port"], {"Authorization": f"Token {token}"})
        while time.monotonic() < deadline:
            started = time.perf_counter()
            status, content = await connection.request("POST", f"/api/counters/{counter_id}/call-next/")
            latencies.append(time.perf_counter() - started)
            if status == 204:
                empty += 1
                await asyncio.sleep(0.05)
                continue
            if status != 200:
                errors += 1
                continue
            ticket = json.loads(content)["id"]
            for action in ("start", "finish"):
                status, _ = await connection.request("POST", f"/api/tickets/{ticket}/{action}/", b"{}")
                errors += status != 200
            served += 1

    began = time.monotonic()
    await asyncio.gather(*(clerk(counter_id, token) for counter_id, token in spec["counters"]))
    result = common.summarize_load(latencies, time.monotonic() - began, errors)
    result.update(empty=empty, served=served, served_rate=served / (time.monotonic() - began))
    return result


def client_main(spec: dict) -> None:
    runner = counters_load if spec["mode"] == "counters" else simple_load
    print(json.dumps(asyncio.run(runner(spec))))


def run_client(spec: dict, processes: int = 1) -> dict:
    """Runs the Python load generator in `processes` separate processes and adds their figures up."""
    shares = []
    for n in range(processes):
        share = dict(spec)
        if spec["mode"] == "counters":
            share["counters"] = spec["counters"][n::processes]
        else:
            share["connections"] = max(1, spec["connections"] // processes)
        shares.append(share)
    return common.run_load_processes(__file__, shares)


# The run


def phase_issue(wrk, port, hall_id, seconds):
    if wrk:
        url = f"http://127.0.0.1:{port}/api/tickets/"
        return common.wrk_summary(common.run_wrk(wrk, WRK_ISSUE, url, 16, seconds, hall_id))
    return run_client({"mode": "issue", "port": port, "hall": hall_id, "connections": 16, "seconds": seconds}, 2)


def phase_board(wrk, port, hall_id, seconds):
    if wrk:
        url = f"http://127.0.0.1:{port}/api/halls/{hall_id}/board/"
        return common.wrk_summary(common.run_wrk(wrk, WRK_BOARD, url, 16, seconds, hall_id))
    return run_client({"mode": "board", "port": port, "hall": hall_id, "connections": 16, "seconds": seconds}, 2)


def phase_counters(port, hall_id, counters, seconds):
    return run_client({"mode": "counters", "port": port, "hall": hall_id, "counters": counters, "seconds": seconds})


def row(name: str, result: dict, target: int | None = None) -> str:
    return common.rate_row(name, result, 22, 8, target)


def report(results: dict, found: dict, books: dict, wrk: str | None, load: float, machine: str) -> None:
    counters = results["counters"]
    print()
    print(f"Service Hall queue benchmark: {os.cpu_count()} CPUs (load average {load:.2f} before the run),")
    print(f"  {machine}")
    print(f"  gunicorn {WORKERS} {WORKER_CLASS} workers x {THREADS} threads, psycopg pool; PostgreSQL, Redis local")
    print(f"  {SECONDS:g} s per phase; load from {'wrk' if wrk else 'Python asyncio clients'} in separate processes")
    print(f"  PUBLIC_THROTTLE_RATE={THROTTLE_RATE}, so the kiosk rate limit (still checked) never refuses here")
    print()
    print(common.rate_header(22, 8))
    print(row("issue ticket (kiosk)", results["issue"], TARGETS["issue"]))
    print(row("call-next, 50 counters", counters))
    print(row("board", results["board"], TARGETS["board"]))
    print()
    print(
        f"  call-next: {counters['served']:,} tickets called, started and finished"
        f" ({counters['served_rate']:,.0f} served/s), {counters['empty']} empty calls (nobody waiting)"
    )
    print(
        f"  issue bookkeeping: {books['tickets']:,} tickets, {books['issue_events']:,} issue timeline events,"
        f" {books['done']:,} finished"
    )
    print("  issue: 16 connections; board: 16 connections, the queue at rest (its cached snapshot stays valid)")
    print()
    print("  duplicates found:")
    for name, count in found.items():
        print(f"    {name:<36} {count}")
    print(f"    {'total':<36} {sum(found.values())}" + ("" if sum(found.values()) == 0 else "   FAILED"))


def main() -> int:
    load = os.getloadavg()[0]
    machine = common.machine_speed()
    wrk = None if os.environ.get("BENCH_NO_WRK") else common.ensure_wrk()
    with database.own_database(DB_NAME, REDIS_URL, STATIC_ROOT, {**SERVER_ENV, "DATABASE_POOL": "false"}):
        hall_id, counters = seed()
        port = web.free_port()
        options = ["--worker-class", WORKER_CLASS, "--threads", str(THREADS)]
        with web.serving(port, SERVER_ENV, WORKERS, *options) as server:
            board = f"/api/halls/{hall_id}/board/"
            web.wait_for_server(server, lambda: web.request(port, "GET", board)[0] == 200)
            check_issue(port, hall_id)
            results = {}
            print(f"Server up on 127.0.0.1:{port}; warming up, then {SECONDS:g} s per phase ...", flush=True)
            phase_issue(wrk, port, hall_id, WARMUP_SECONDS)
            results["issue"] = phase_issue(wrk, port, hall_id, SECONDS)
            results["counters"] = phase_counters(port, hall_id, counters, SECONDS)
            phase_board(wrk, port, hall_id, WARMUP_SECONDS)
            results["board"] = phase_board(wrk, port, hall_id, SECONDS)
        found = duplicates()
        report(results, found, issue_bookkeeping(), wrk, load, machine)
        failed = {name: result["errors"] for name, result in results.items() if result["errors"]}
        if failed:
            print(f"  requests that failed (timed figures are not valid): {failed}")
        return 1 if sum(found.values()) or failed else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--client":
        client_main(json.loads(sys.argv[2]))
    else:
        sys.exit(main())
