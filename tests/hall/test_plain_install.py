"""A deployment installs requirements.txt alone (not the test requirements): its Celery worker and beat must start
and run the SLA sweep, or no reminder is ever sent and nobody sees it."""

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django_celery_beat.models import PeriodicTask

from hall.health import SLA_SWEEP
from hall.models import Heartbeat
from tests.hall.test_sla_delivery import RedisServer

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements.txt"


@pytest.fixture(scope="session")
def plain_venv() -> Path:
    """A virtualenv with requirements.txt alone, built once per version of the file (pip's cache makes it quick).
    Built in place under a lock: a venv's scripts name their own path, so it cannot be moved once made."""
    key = hashlib.sha256(REQUIREMENTS.read_bytes() + sys.version.encode()).hexdigest()[:12]
    home = settings.RUN_DIR / "plain-install"
    home.mkdir(parents=True, exist_ok=True)
    venv = home / key
    with open(home / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (venv / "installed").exists():
            for old in home.iterdir():  # earlier versions of requirements.txt, or a build that was cut short
                if old.is_dir():
                    shutil.rmtree(old)
            subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True, timeout=120)
            install = [sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install"]
            subprocess.run([*install, "--no-input", "--quiet", "-r", REQUIREMENTS], check=True, timeout=900)
            (venv / "installed").touch()
    return venv


class Process:
    """A command of the plain install, its output collected as it comes."""

    def __init__(self, command, env):
        self.popen = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.popen.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text in self.output:
                return True
            if self.popen.poll() is not None:
                self.reader.join(timeout=5)
                return text in self.output
            time.sleep(0.1)
        return False

    def stop(self) -> int | None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=5)
                return None
        self.reader.join(timeout=5)
        return self.popen.returncode


def production_env(venv: Path, redis_url: str) -> dict:
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE")}
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="hall.settings.production",
        SECRET_KEY="plain-install-test-key-" + "x" * 40,
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        DATABASE_POOL="false",
        REDIS_URL=redis_url,
        RUN_DIR=str(settings.RUN_DIR),
    )
    return env


def until(found, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_plain_install_runs_the_worker_and_beat_and_the_worker_sweeps(plain_venv):
    schedule = PeriodicTask.objects.filter(name="sla-sweep")
    swept = Heartbeat.objects.filter(name=SLA_SWEEP)
    assert not schedule.exists() and not swept.exists()
    redis_server = RedisServer()
    redis_server.start()
    env = production_env(plain_venv, redis_server.url)
    celery = str(plain_venv / "bin" / "celery")
    worker = Process([celery, "-A", "hall", "worker", "--pool=solo", "--loglevel=INFO", "-n", "plain@%h"], env)
    beat = Process([celery, "-A", "hall", "beat", "--loglevel=INFO"], env)
    try:
        assert worker.wait_for("ready.", 60), worker.output
        assert beat.wait_for("beat: Starting...", 60), beat.output
        # beat's scheduler (django-celery-beat) writes the hall's schedule into the database, and keeps running
        assert until(schedule.exists, 30), beat.output
        assert beat.popen.poll() is None, beat.output
        # The web side's enqueue, from the same plain install: the worker takes it and runs the sweep.
        send = "import django; django.setup(); from hall.celery import app; app.send_task('hall.tasks.sla_sweep')"
        subprocess.run([plain_venv / "bin" / "python", "-c", send], cwd=ROOT, env=env, check=True, timeout=60)
        assert until(swept.exists, 30), worker.output
        assert worker.wait_for("Task hall.tasks.sla_sweep", 10) and worker.wait_for("succeeded", 10), worker.output
    finally:
        stopped = {"worker": worker.stop(), "beat": beat.stop()}
        redis_server.stop()
    assert stopped == {"worker": 0, "beat": 0}, (worker.output, beat.output)
    assert Client().get("/healthz").status_code == 200
