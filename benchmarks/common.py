"""What the benchmarks share beyond the harness (harness/: their own database and Redis db, Django set up with the
server's environment, gunicorn): wrk and the Python load generator, latency summaries and report rows.

Not a benchmark itself: the scripts beside it import it (`import common`, benchmarks/ being the first entry of
sys.path when one of them runs), which puts the project on sys.path for them; run on its own it does nothing.

Each benchmark drops and creates its own database and empties its own Redis db; BENCH_DATABASE and BENCH_REDIS_URL
put a run on others, e.g. beside another run on the same servers.
"""

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness.web import PYTHON, request  # noqa: E402


def database_name(default: str) -> str:
    return os.environ.get("BENCH_DATABASE", default)


def redis_url(default_db: int) -> str:
    return os.environ.get("BENCH_REDIS_URL", f"redis://127.0.0.1:6379/{default_db}")


# The machine

REFERENCE_LOOP = "import time; t = time.perf_counter(); sum(range(20_000_000)); print(time.perf_counter() - t)"


def machine_speed() -> str:
    """How much plain Python this machine runs right now, alone and on every CPU at once: on a shared host the
    figures move with it, so each report says what it was measured on."""

    def run(processes: int) -> list[float]:
        started = [
            subprocess.Popen([PYTHON, "-c", REFERENCE_LOOP], stdout=subprocess.PIPE, text=True)
            for _ in range(processes)
        ]
        return [float(process.communicate()[0]) for process in started]

    alone = min(run(1) for _ in range(2))[0]
    together = run(os.cpu_count() or 1)
    worth = sum(alone / seconds for seconds in together)
    return (
        f"a reference loop takes {alone:.2f} s on one CPU alone, {' and '.join(f'{s:.2f}' for s in together)} s"
        f" on all {len(together)} at once: {worth:.2f} CPUs' worth"
    )


# Loading a million records in one statement


def bulk_load(model, known: dict[str, str], started: str, params: dict, clocks_sql: str) -> None:
    """`params["total"]` rows of `model` in one INSERT … SELECT generate_series (SQL expressions may use `i` and
    `started`, itself an expression of `i`), then their clocks with `clocks_sql`, in one transaction.

    `known` gives the expression of each column the benchmark cares about; any other column gets NULL, its
    field's default or an empty text, so a column added later does not break the load."""
    from django.db import connection, models, transaction

    columns, expressions = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.column in known:
            expression = known[field.column]
        elif field.null:
            continue
        elif field.has_default():
            params[field.column] = field.get_db_prep_save(field.get_default(), connection)
            expression = f"%({field.column})s"
        elif field.blank and isinstance(field, models.CharField | models.TextField):
            expression = "''"
        else:
            raise SystemExit(f"the benchmark does not know how to fill {model._meta.db_table}.{field.column}")
        columns.append(field.column)
        expressions.append(expression)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(expressions)}"
            f" FROM (SELECT i, {started} AS started FROM generate_series(1, %(total)s) AS i) AS s",
            params,
        )
        cursor.execute(clocks_sql, params)


def running_clocks_sql(
    model, *, name: str, label: str, link: str, responsible: str, due: str, late: str, young: str
) -> str:
    """bulk_load's `clocks_sql`: one running clock `name` per row of `model`, from its creation to its deadline
    column `due`, for its `responsible` column; `label` and `link` are SQL expressions over the row. A clock past
    its deadline is at level 3 with its next level `late` after its start, any other at level 0 with its first
    level `young` after its start (both PostgreSQL intervals)."""
    return f"""INSERT INTO hall_slaclock (hall_id, content_type_id, object_id, name, label, label_params, link,
                   responsible_id, started_at, due_at, level, next_level_at)
               SELECT hall_id, %(content_type)s, id, '{name}', {label}, '{{}}', {link}, {responsible}, created_at,
                   {due},
                   CASE WHEN {due} <= %(now)s THEN 3 ELSE 0 END,
                   created_at + CASE WHEN {due} <= %(now)s THEN interval '{late}' ELSE interval '{young}' END
               FROM {model._meta.db_table}"""


def timed(action: Callable, *args) -> float:
    """The seconds `action(*args)` took."""
    began = time.monotonic()
    action(*args)
    return time.monotonic() - began


def vacuum_analyze(*tables: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


def measure_list(port: int, path: str, token: str, expected_count: int, warmup: int, requests: int) -> dict:
    """`warmup` then `requests` sequential GETs of a paginated list, which must count `expected_count`."""
    for _ in range(warmup):
        status, content, _ = request(port, "GET", path, token)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}: {content[:500]!r}")
    latencies, errors, count, page = [], 0, None, None
    for _ in range(requests):
        status, content, elapsed = request(port, "GET", path, token)
        latencies.append(elapsed)
        if status != 200:
            errors += 1
            continue
        answer = json.loads(content)
        count, page = answer["count"], len(answer["results"])
    if count != expected_count or page != min(25, expected_count):
        raise SystemExit(f"GET {path}: count {count} and a page of {page}, expected {expected_count} and 25")
    return summarize_latencies(latencies, errors)


# Load with wrk (cheap on CPU)


def ensure_wrk() -> str | None:
    """wrk's path, installed with apt-get first when it is missing and we are root; None when there is none."""
    if shutil.which("wrk") is None and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing wrk with apt-get ...", flush=True)
        install = ["apt-get", "install", "-y", "-q", "wrk"]
        quiet = {
            "stdout": subprocess.DEVNULL,
            "stderr": subprocess.DEVNULL,
            "env": {**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        }
        if subprocess.run(install, **quiet).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], **quiet)
            subprocess.run(install, **quiet)
    return shutil.which("wrk")


def run_wrk(wrk: str, script: str, url: str, connections: int, seconds: float, *args) -> list[int]:
    """wrk with one thread and the Lua `script`, whose done() writes a line "WRK_RESULT requests duration_us
    status_errors socket_errors timeouts p50_us p99_us max_us ..."; `args` go to its init(). Returns the numbers."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    try:
        command = [wrk, "-t", "1", "-c", str(connections), "-d", f"{seconds:g}s", "--timeout", "5s", "-s", lua.name]
        output = subprocess.run(
            [*command, url, "--", *map(str, args)], capture_output=True, text=True, check=True
        ).stdout
    finally:
        os.unlink(lua.name)
    line = next(line for line in output.splitlines() if line.startswith("WRK_RESULT"))
    return list(map(int, line.split()[1:]))


def wrk_summary(figures: list[int]) -> dict:
    """The first eight WRK_RESULT numbers as requests, rate, p50, p99 and max in ms, and errors."""
    requests, duration_us, bad_status, socket_errors, timeouts, p50, p99, worst = figures[:8]
    return {
        "requests": requests,
        "rate": requests / (duration_us / 1e6),
        "p50": p50 / 1000,
        "p99": p99 / 1000,
        "max": worst / 1000,
        "errors": bad_status + socket_errors + timeouts,
    }


# The Python load generator: asyncio over raw keep-alive sockets, in processes of their own


class Connection:
    def __init__(self, port: int, headers: dict | None = None):
        self.port = port
        self.extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{self.extra}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        status_line, *lines = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines if line)}
        status = int(status_line.split()[1])
        if "content-length" in headers:
            content = await self.reader.readexactly(int(headers["content-length"]))
        elif status in (204, 304):
            content = b""
        else:
            content = await self.reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            self.writer.close()
            self.reader = self.writer = None
        return status, content


def run_load_processes(script: str, shares: list[dict]) -> dict:
    """Runs `python script --client SHARE` for each share at once and adds up the figures they print as JSON."""
    children = [
        subprocess.Popen([PYTHON, script, "--client", json.dumps(share)], stdout=subprocess.PIPE, text=True)
        for share in shares
    ]
    results = [json.loads(child.communicate()[0]) for child in children]
    if any(child.returncode for child in children):
        raise SystemExit("a load generator process failed")
    # Percentiles of the shares are not additive: report the worst share's, which is the honest bound.
    return {key: (max if key in ("p50", "p99", "max") else sum)(r[key] for r in results) for key in results[0]}


# Summaries and report rows


def summarize_load(latencies: list[float], seconds: float, errors: int) -> dict:
    """Latencies in seconds of a load that ran `seconds`: requests, rate, p50, p99 and max in ms, and errors."""
    latencies.sort()

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000 if latencies else 0.0

    return {
        "requests": len(latencies),
        "rate": len(latencies) / seconds,
        "p50": percentile(0.50),
        "p99": percentile(0.99),
        "max": latencies[-1] * 1000 if latencies else 0.0,
        "errors": errors,
    }


def summarize_latencies(latencies: list[float], errors: int) -> dict:
    """Latencies in ms of sequential requests: their median, p99 and max, and errors."""
    latencies.sort()
    return {
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "max": latencies[-1],
        "errors": errors,
    }


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def rate_header(name_width: int, ms_width: int) -> str:
    return (
        f"  {'':<{name_width}} {'rate':>11} {'p50':>{ms_width + 3}} {'p99':>{ms_width + 3}}"
        f" {'requests':>8} {'errors':>6}   target"
    )


def rate_row(name: str, result: dict, name_width: int, ms_width: int, target: int | None = None) -> str:
    """A load's rate, p50, p99, requests and errors, and against `target` (per second) when there is one."""
    goal = "" if target is None else f">= {target:,}/s  {verdict(result['rate'] >= target)}"
    return (
        f"  {name:<{name_width}} {result['rate']:>9,.0f}/s {result['p50']:>{ms_width}.1f} ms"
        f" {result['p99']:>{ms_width}.1f} ms {result['requests']:>8,} {result['errors']:>6}   {goal}"
    )


def latency_header(name_width: int) -> str:
    return f"  {'':<{name_width}} {'p50':>9} {'p99':>9} {'max':>9} {'errors':>6}   target"


def latency_row(name: str, result: dict, name_width: int, goal: str = "") -> str:
    """Sequential requests' p50, p99, max and errors, then `goal`: the target and its verdict, if any."""
    return (
        f"  {name:<{name_width}} {result['p50']:>6.1f} ms {result['p99']:>6.1f} ms {result['max']:>6.1f} ms"
        f" {result['errors']:>6}   {goal}"
    )
