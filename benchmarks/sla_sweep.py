"""SLA sweep benchmark: one sweep over a million open clocks, and the repair list at a million orders.

Creates its own database (servicehall_slabench) and uses Redis db 13; loads one hall with 1,000,000 repair
orders, each with its running on-site clock, straight in SQL: 10,000 clocks due at their 50 % level, 20,000
breached and overdue (their escalation still hours away), the rest young. Then it times one sweep in this
process, checks it wrote exactly the notifications the levels imply and that a second sweep writes none,
and times the repair list API (served over HTTP from a thread of this process) filtered to overdue orders
and unfiltered. Exits non-zero when the sweep writes the wrong notifications or a request fails; a missed
target is printed as MISSED.

    .venv/bin/python benchmarks/sla_sweep.py        (make bench)

BENCH_ORDERS, BENCH_DUE and BENCH_OVERDUE change the sizes; BENCH_EXPLAIN=1 prints the list queries' plans;
BENCH_DATABASE and BENCH_REDIS_URL move it to another database and Redis db.
"""

import contextlib
import os
import sys
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, make_server

import common

from harness import database, people, web

DB_NAME = common.database_name("servicehall_slabench")
REDIS_URL = common.redis_url(13)
ORDERS = int(os.environ.get("BENCH_ORDERS", "1000000"))
DUE = int(os.environ.get("BENCH_DUE", "10000"))
OVERDUE = int(os.environ.get("BENCH_OVERDUE", "20000"))
WORKERS = 8
WARMUP_REQUESTS = 5
REQUESTS = 50
TARGETS = {"sweep_ms": 2000, "list_ms": 80}
STATIC_ROOT = web.static_root("slabench")


# Seed data


def seed() -> dict:
    """One hall with a duty manager, a hall manager (who reads the list) and a few repair workers."""
    from hall.models import Hall, Role

    hall = Hall.objects.create(code="slabench", name="SLA benchmark hall")
    people.person(hall, "bench-duty", Role.DUTY_MANAGER)
    manager = people.person(hall, "bench-manager", Role.HALL_MANAGER)
    workers = [people.person(hall, f"bench-worker{n}", Role.REPAIR_WORKER).pk for n in range(1, WORKERS + 1)]
    return {
        "hall": hall.pk,
        "workers": workers,
        "customer": people.customer(hall).pk,
        "manager": manager,
        "token": people.token(manager),
    }


LOADED_TABLES = ("tickets_repairorder", "hall_slaclock", "hall_notification")


def load(seeded: dict, now) -> None:
    """ORDERS orders in one INSERT … SELECT generate_series, then one clock per order from them."""
    from django.contrib.contenttypes.models import ContentType

    from repairs.models import RepairOrder

    started = (
        "CASE WHEN i <= %(due)s THEN %(now)s - interval '150 minutes' + (i %% 1800) * interval '1 second'"
        " WHEN i <= %(due)s + %(overdue)s THEN %(now)s - interval '5 hours' - (i %% 3600) * interval '1 second'"
        " ELSE %(now)s - (i %% 3600) * interval '1 second' END"
    )
    known = {
        "hall_id": "%(hall)s",
        "number": "'BX' || lpad(i::text, 9, '0')",
        "customer_id": "%(customer)s",
        "customer_name": "'客户' || i",
        "phone": "'139' || lpad((i %% 100000000)::text, 8, '0')",
        "address": "'人民路 ' || (i %% 20000) || ' 号'",
        "fault": "'outage'",
        "description": "'整栋楼停电'",
        "urgency": "2",
        "key_customer": "false",
        "status": "'dispatched'",
        "advice": "''",
        "worker_id": "(%(workers)s::bigint[])[1 + i %% %(worker_count)s]",
        "completion_notes": "''",
        "callback_notes": "''",
        "token": "md5(i::text)",
        "respond_by": "started + interval '4 hours'",
        "next_due_at": "started + interval '4 hours'",
        "dispatched_at": "started",
        "created_at": "started",
    }
    params = dict(
        hall=seeded["hall"],
        customer=seeded["customer"],
        workers=seeded["workers"],
        worker_count=len(seeded["workers"]),
        due=DUE,
        overdue=OVERDUE,
        total=ORDERS,
        now=now,
        content_type=ContentType.objects.get_for_model(RepairOrder).pk,
    )
    clocks = common.running_clocks_sql(
        RepairOrder,
        name="respond",
        label="'Repair ' || number || ': on site'",
        link="'/repairs/' || id || '/'",
        responsible="worker_id",
        due="respond_by",
        late="8 hours",
        young="2 hours",
    )
    common.bulk_load(RepairOrder, known, started, params, clocks)


def expected_notifications(now) -> tuple[int, int]:
    """Due clocks, and the rows their levels imply: each due clock here is at 50 %, which goes in the app to
    its responsible, or to each duty manager of its hall when nobody is responsible."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*),
                   count(*) FILTER (WHERE c.responsible_id IS NOT NULL)
                   + coalesce(sum((SELECT count(*) FROM hall_user_groups ug JOIN auth_group g ON g.id = ug.group_id
                       JOIN hall_user u ON u.id = ug.user_id
                       WHERE g.name = 'duty_manager' AND u.hall_id = c.hall_id AND u.is_active))
                     FILTER (WHERE c.responsible_id IS NULL), 0),
                   count(*) FILTER (WHERE c.started_at + (c.due_at - c.started_at) * 0.75 <= %s)
               FROM hall_slaclock c WHERE c.stopped_at IS NULL AND c.next_level_at <= %s""",
            [now, now],
        )
        due, expected, past_three_quarters = (int(value) for value in cursor.fetchone())
    if past_three_quarters:
        raise SystemExit(f"{past_three_quarters} due clocks are past 75 %: the load is wrong")
    return due, expected


def notification_count() -> int:
    from hall.models import Notification

    return Notification.objects.count()


def timed_sweep() -> tuple[float, int]:
    from hall import sla

    began = time.perf_counter()
    written = sla.sla_sweep()
    return (time.perf_counter() - began) * 1000, written


# The list, over HTTP from a thread of this process


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving_in_thread():
    """The app on a free port (which it gives) from a thread of this process, shut down when the block ends."""
    from django.core.wsgi import get_wsgi_application

    server = make_server("127.0.0.1", web.free_port(), get_wsgi_application(), handler_class=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def measure_selector(manager, overdue: bool, expected_count: int) -> dict:
    """Until the API answers: what its view does, the first page of the selector with its clock colours."""
    from repairs import selectors as repair_selectors

    def once():
        repairs = repair_selectors.repair_list(user=manager, overdue=overdue)
        return repairs.count(), repair_selectors.with_sla_state(repairs[:25])

    for _ in range(WARMUP_REQUESTS):
        once()
    latencies = []
    for _ in range(REQUESTS):
        began = time.perf_counter()
        count, page = once()
        latencies.append((time.perf_counter() - began) * 1000)
    if count != expected_count or len(page) != min(25, expected_count):
        raise SystemExit(f"repair_list: count {count} and page of {len(page)}, expected {expected_count} and 25")
    return common.summarize_latencies(latencies, 0)


def api_answers(port: int, token: str) -> bool:
    status, _, _ = web.request(port, "GET", "/api/repairs/?overdue=true", token)
    return status == 200


def explain(manager) -> None:
    from django.db import connection

    from repairs import selectors as repair_selectors

    for overdue in (True, False):
        repairs = repair_selectors.repair_list(user=manager, overdue=overdue)
        page_sql, params = repairs[:25].query.sql_with_params()
        count_sql, count_params = repairs.order_by().values("pk").query.sql_with_params()
        for sql, values in ((page_sql, params), (f"SELECT count(*) FROM ({count_sql}) AS q", count_params)):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", values)
                print("\n".join(row[0] for row in cursor.fetchall()), end="\n\n")


# The run


def report(figures: dict) -> None:
    sweep, lists = figures["sweep"], figures["lists"]
    print()
    print(
        f"Service Hall SLA benchmark: {os.cpu_count()} CPUs, load average {figures['load_before']:.2f} before the run,"
        f" {figures['load_after']:.2f} after; PostgreSQL and Redis local"
    )
    print(f"  {figures['machine']}")
    print(
        f"  loaded {ORDERS:,} repair orders with {ORDERS:,} open clocks in {figures['load_s']:.1f} s"
        f" (+ VACUUM ANALYZE {figures['vacuum_s']:.1f} s): {sweep['due']:,} due at 50 %, {OVERDUE:,} overdue"
    )
    print()
    print(f"  {'':<44} {'figure':>22}   target")
    print(
        f"  {'sweep (in-process sla_sweep())':<44} {sweep['ms']:>19,.0f} ms"
        f"   < {TARGETS['sweep_ms']:,} ms  {common.verdict(sweep['ms'] < TARGETS['sweep_ms'])}"
    )
    good = sweep["written"] == sweep["expected"] == sweep["rows"]
    print(
        f"  {'  notifications: returned / rows / expected':<44}"
        f" {sweep['written']:>6,} / {sweep['rows']:,} / {sweep['expected']:,}   equal  {'ok' if good else 'FAILED'}"
    )
    print(
        f"  {'second sweep right after':<44} {sweep['second_ms']:>10,.0f} ms, {sweep['second_written']} written"
        f"   0 written  {'ok' if sweep['second_written'] == 0 else 'FAILED'}"
    )
    print()
    print(f"  repair list at {ORDERS:,} orders, first page of 25 with its count, {figures['list_via']}:")
    print(common.latency_header(44))
    for name, result in lists.items():
        # The target is the overdue page; the unfiltered one is shown for comparison.
        goal = ""
        if "overdue" in name:
            goal = f"< {TARGETS['list_ms']} ms  {common.verdict(result['p50'] < TARGETS['list_ms'])}"
        print(common.latency_row(name, result, 44, goal))
    print(
        f"  p99 of {REQUESTS} requests is their slowest. The overdue page reads the orders' indexed next deadline"
        f" and counts the {OVERDUE:,} overdue ones."
    )


def main() -> int:
    load_before = os.getloadavg()[0]
    machine = common.machine_speed()
    # The sweep and the list run in this process, with the pool the server would have.
    with database.own_database(DB_NAME, REDIS_URL, STATIC_ROOT, web.server_env(DB_NAME, REDIS_URL, STATIC_ROOT)):
        from django.utils import timezone

        seeded = seed()
        print(f"Loading {ORDERS:,} repair orders and their clocks ...", flush=True)
        load_s = common.timed(load, seeded, timezone.now())
        vacuum_s = common.timed(common.vacuum_analyze, *LOADED_TABLES)

        sweep_now = timezone.now()
        due, expected = expected_notifications(sweep_now)
        before = notification_count()
        ms, written = timed_sweep()
        rows = notification_count() - before
        second_ms, second_written = timed_sweep()
        sweep = {
            "due": due,
            "expected": expected,
            "ms": ms,
            "written": written,
            "rows": rows,
            "second_ms": second_ms,
            "second_written": second_written,
        }
        common.vacuum_analyze(*LOADED_TABLES)

        manager, token = seeded["manager"], seeded["token"]
        with serving_in_thread() as port:
            if os.environ.get("BENCH_EXPLAIN"):
                explain(manager)
            lists = {}
            if api_answers(port, token):
                list_via = "GET /api/repairs/ over HTTP (wsgiref in a thread)"
                for path, count in {"/api/repairs/?overdue=true": OVERDUE, "/api/repairs/": ORDERS}.items():
                    lists[f"GET {path}"] = common.measure_list(port, path, token, count, WARMUP_REQUESTS, REQUESTS)
            else:
                list_via = "repair_selectors.repair_list + with_sla_state (the API does not answer yet)"
                lists["repair_list(overdue=True)"] = measure_selector(manager, True, OVERDUE)
                lists["repair_list()"] = measure_selector(manager, False, ORDERS)
        report(
            {
                "sweep": sweep,
                "lists": lists,
                "list_via": list_via,
                "load_s": load_s,
                "vacuum_s": vacuum_s,
                "load_before": load_before,
                "machine": machine,
                "load_after": os.getloadavg()[0],
            }
        )
        failed = not (written == expected == rows) or second_written != 0
        failed = failed or any(result["errors"] for result in lists.values())
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
