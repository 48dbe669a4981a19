"""The hall's processes as production starts them — gunicorn, `celery worker`, `celery beat` — each in its own
process group (so that a kill reaches its children too) with its output in a log file of its own."""

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

from harness.database import ROOT
from harness.web import BIN, server_command


class Process:
    """One process of the hall; `log` keeps everything it wrote."""

    def __init__(self, name: str, command: list[str], env: dict, log_dir: Path):
        self.name, self.command, self.env = name, command, env
        self.log = log_dir / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as output:
            output.write(f"$ {' '.join(self.command)}\n".encode())
            output.flush()
            self.popen = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait_for(self, text: str, seconds: float) -> None:
        """Until `text` shows in the output; fails when the process ends or `seconds` pass first."""
        deadline = time.monotonic() + seconds
        while text not in self.output():
            if not self.running:
                raise DrillFailure(f"{self.name} exited before it wrote {text!r}: see {self.log}")
            if time.monotonic() > deadline:
                raise DrillFailure(f"{self.name} did not write {text!r} within {seconds:g} s: see {self.log}")
            time.sleep(0.05)

    def kill(self) -> None:
        """kill -9 of the process and every child it has, at once."""
        if self.running:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()

    def stop(self, timeout: float = 20) -> int | None:
        """SIGTERM (a worker finishes its task, gunicorn its requests), SIGKILL after `timeout` seconds; returns the
        exit status."""
        if self.running:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        # A child the main process left behind (a worker's pool process) goes with the group.
        with contextlib.suppress(ProcessLookupError, TypeError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        return self.popen.returncode if self.popen else None


class DrillFailure(Exception):
    """A run that did not hold what it checks, or whose processes would not start."""


def celery_worker(name: str, env: dict, log_dir: Path, *, queues: str = "", concurrency: int = 1) -> Process:
    """`celery -A hall worker` taking `queues` (all of them when empty) with `concurrency` pool processes."""
    command = [str(BIN / "celery"), "-A", "hall", "worker", "-n", f"{name}@%h", "--loglevel", "INFO"]
    command += ["--concurrency", str(concurrency), "--without-mingle", "--without-gossip"]
    if queues:
        command += ["-Q", queues]
    return Process(name, command, env, log_dir)


def celery_beat(name: str, env: dict, log_dir: Path, *, loglevel: str = "INFO") -> Process:
    """`celery -A hall beat`: its schedule lives in the database (django-celery-beat). At DEBUG it writes "beat:
    Waking up" once it has read (and written) the schedule."""
    command = [str(BIN / "celery"), "-A", "hall", "beat", "--loglevel", loglevel]
    return Process(name, command, env, log_dir)


def gunicorn(name: str, port: int, env: dict, log_dir: Path, *, workers: int = 2) -> Process:
    return Process(name, server_command(port, workers), env, log_dir)
