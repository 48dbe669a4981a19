"""A tiny SMS gateway on a free local port, for hall.notifications.HttpSmsBackend: it keeps every message it is
given, with the time it came, and answers each as told — at once with 200, or after a wait with an error."""

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class SmsGateway:
    def __init__(self, *, status: int = 200, delay: float = 0.0):
        self.status, self.delay = status, delay
        self.received: list[tuple[float, dict]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/send"

    def __enter__(self) -> "SmsGateway":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, *, status: int, delay: float = 0.0) -> None:
        """How the next messages are answered."""
        self.status, self.delay = status, delay

    def counts(self) -> Counter:
        """How many times each notification id was posted."""
        with self._lock:
            return Counter(message["id"] for _at, message in self.received)

    def times_of(self, notification_id: int) -> list[float]:
        with self._lock:
            return [at for at, message in self.received if message["id"] == notification_id]

    def _handler(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                message = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with gateway._lock:
                    gateway.received.append((time.monotonic(), message))
                status, delay = gateway.status, gateway.delay
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the sender gave up waiting long ago

            def log_message(self, *args):
                pass

        return Handler
