"""The web server as production runs it (gunicorn, production settings, the psycopg pool), and requests to it."""

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from harness.database import PG_URL, ROOT

PYTHON = sys.executable
BIN = Path(PYTHON).parent


def static_root(name: str) -> Path:
    """The app's STATIC_ROOT: the API serves no static files, and an empty directory keeps WhiteNoise from warning
    about a missing one."""
    return Path(tempfile.gettempdir()) / f"servicehall-{name}-static"


def server_env(db_name: str, redis_url: str, static_root: Path, **overrides: str) -> dict:
    """The environment of the app under test: production settings on its own database and Redis db, with the
    psycopg pool, reached over plain HTTP on the loopback as a TLS proxy would reach it; `overrides` add or replace
    variables."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hall.settings.production",
        "DATABASE_URL": f"{PG_URL}/{db_name}",
        "REDIS_URL": redis_url,
        "SECRET_KEY": "benchmark-only-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "false",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(static_root),
        "PYTHONPATH": str(ROOT),
        "DATABASE_POOL": "true",
        **overrides,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_command(port: int, workers: int, *options: str) -> list[str]:
    """gunicorn serving the app on 127.0.0.1:`port` with `workers` workers; `options` are more gunicorn options."""
    return [
        str(BIN / "gunicorn"),
        "hall.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        *options,
        "--backlog",
        "2048",
        "--log-level",
        "warning",
        "--worker-tmp-dir",
        "/dev/shm" if Path("/dev/shm").is_dir() else tempfile.gettempdir(),
    ]


def start_server(port: int, env: dict, workers: int, *options: str) -> subprocess.Popen:
    """server_command in its own process group."""
    return subprocess.Popen(server_command(port, workers, *options), cwd=ROOT, env=env, start_new_session=True)


def wait_for_server(server: subprocess.Popen, answers: Callable[[], bool], seconds: float = 60) -> None:
    """Until `answers()` is true (a refused connection counts as false), for at most `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited before it answered")
        try:
            if answers():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within {seconds:g} s")


@contextlib.contextmanager
def serving(port: int, env: dict, workers: int, *options: str, stop_timeout: float = 20):
    """start_server, stopped (stop_server) when the block ends, whatever happened."""
    server = start_server(port, env, workers, *options)
    try:
        yield server
    finally:
        stop_server(server, stop_timeout)


def stop_server(server: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM, which lets each worker finish the request it is on; SIGKILL after `timeout` seconds."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def request(
    port: int, method: str, path: str, token: str | None = None, body=None, timeout: float = 30
) -> tuple[int, bytes, float]:
    """One request on a new connection, in Chinese, as `token`'s user when given, with `body` as JSON when given:
    the status, the content and the milliseconds it took."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Accept-Language": "zh-hans"}
    if token is not None:
        headers["Authorization"] = f"Token {token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
    began = time.perf_counter()
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        answer = connection.getresponse()
        content = answer.read()
    finally:
        connection.close()
    return answer.status, content, (time.perf_counter() - began) * 1000
