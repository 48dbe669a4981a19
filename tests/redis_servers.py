"""A redis-server of the test's own, to stop, pause and start again without touching anybody else's Redis, and the
Celery app publishing to it for real (not eagerly)."""

import contextlib
import signal
import socket
import subprocess
import tempfile
import time

import redis

from hall.celery import app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A throw-away redis-server of our own, so stopping it touches nobody else's Redis."""

    def __init__(self):
        self.port = free_port()
        self.process = None
        self.folder = tempfile.TemporaryDirectory(prefix="redis-")

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--dir", self.folder.name]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 5
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def stop(self, *, keep_data: bool = False):
        """Stops it; with keep_data it writes its data to disk first, and loads it again when started."""
        if self.process and self.process.poll() is None:
            self.resume()
            if keep_data:
                with contextlib.suppress(redis.ConnectionError):  # it closes the connection as it exits
                    redis.Redis(port=self.port).shutdown(save=True)
            else:
                self.process.terminate()
            self.process.wait(timeout=5)

    def pause(self):
        """Redis hangs: it still accepts connections (the kernel does) but answers nothing, keeping its data."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)


def swap_broker_pools(pools=(None, None)):
    """Puts the given connection and producer pools in the app and returns the ones it had. kombu keeps pools
    per broker URL for the whole process, so only the test broker's own pools may ever be closed."""
    previous = (app._pool, app.amqp._producer_pool)
    app._pool, app.amqp._producer_pool = pools
    return previous


@contextlib.contextmanager
def publishing_to(server: RedisServer):
    """The Celery app sends its tasks to the server, not eagerly."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=server.url, task_always_eager=False)
    saved_pools = swap_broker_pools()
    try:
        yield server
    finally:
        for pool in swap_broker_pools(saved_pools):
            if pool is not None:
                with contextlib.suppress(Exception):  # the server may be gone already
                    pool.force_close_all()
        app.conf.update(saved)


def run_queued_tasks() -> int:
    """What a worker started without -Q does: takes each message of every queue and runs its task."""
    ran = 0
    with app.connection_for_read() as connection:
        for declared in app.amqp.queues.values():
            queue = connection.SimpleQueue(declared)
            try:
                while True:
                    try:
                        message = queue.get_nowait()  # publishing has already put it there
                    except queue.Empty:
                        break
                    args, kwargs, _ = message.decode()
                    app.tasks[message.headers["task"]](*args, **kwargs)
                    message.ack()
                    ran += 1
            finally:
                queue.close()
    return ran
