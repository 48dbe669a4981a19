"""A redis-server or a PostgreSQL cluster of one's own, on a free port, to stop and start again at will without
touching anybody else's: what a drill of a Redis outage or a PostgreSQL restart breaks."""

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from harness.web import free_port


class PrivateRedis:
    """redis-server on a free port of 127.0.0.1, nothing saved to disk; stop() and start() keep the port."""

    def __init__(self, log: Path):
        self.port = free_port()
        self.log = log
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> "PrivateRedis":
        import redis

        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as output:
            self.process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class PrivatePostgres:
    """A PostgreSQL cluster of its own (Debian's binaries, /usr/lib/postgresql/<version>/bin) in a temporary
    directory, on a free port of 127.0.0.1, user postgres without a password; `remove()` deletes it. Made and run
    as the postgres system user when this process is root, which initdb refuses to be."""

    def __init__(self, log: Path):
        self.port = free_port()
        self.log = log
        self.bin = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version)[-1])
        self.home = Path(tempfile.mkdtemp(prefix="servicehall-pg-"))
        self.data = self.home / "data"
        if os.geteuid() == 0:
            shutil.chown(self.home, "postgres", "postgres")

    @property
    def url(self) -> str:
        """Without a database name: add "/<name>"."""
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run([*as_postgres, *command], capture_output=True, text=True, check=check, timeout=120)

    def init(self) -> "PrivatePostgres":
        # Crash safety is not what a drill of this cluster proves: no fsync, for speed.
        initdb = [str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
        self._run(*initdb, "--no-sync")
        return self

    def start(self) -> "PrivatePostgres":
        options = f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.home / "server.log"), "-o", options,
                  "-w", "-t", "60", "start")  # fmt: skip
        return self

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every session and stops; `immediate` is a crash (recovery at the next start)."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def remove(self) -> None:
        self.stop("immediate")
        if (self.home / "server.log").exists():
            self.log.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(self.home / "server.log", self.log)
        shutil.rmtree(self.home, ignore_errors=True)


def _version(path: str) -> float:
    return float(Path(path).parent.name)
