"""Real receivers on loopback for the automation tests: an HTTP server that records every POST
(and answers with the statuses a test lines up), and an SMTP server (aiosmtpd) that keeps every
message it accepts."""

from __future__ import annotations

import email
import email.policy
import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from wallet_sync.central.embedded import free_port


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class Receiver:
    """POSTs to http://127.0.0.1:<port>/...; answers `statuses` in turn, then 200."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.statuses: deque[int] = deque()
        self.delay = 0.0  # seconds before each answer (a slow receiver)
        # `meet(n)`: the first requests wait until N are in flight at once (proof that N
        # senders overlap), then everything flows.
        self.barrier: threading.Barrier | None = None
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                barrier = owner.barrier
                if barrier is not None:
                    try:
                        barrier.wait()
                    except threading.BrokenBarrierError:
                        pass  # timed out: the test's own assertions say what happened
                    owner.barrier = None
                time.sleep(owner.delay)
                with owner.lock:
                    owner.received.append(Received(self.path, dict(self.headers.items()), body))
                    status = owner.statuses.popleft() if owner.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def meet(self, senders: int, timeout: float = 30.0) -> None:
        self.barrier = threading.Barrier(senders, timeout=timeout)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Keep:
    def __init__(self, box: list[EmailMessage]) -> None:
        self.box = box

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.box.append(message)  # type: ignore[arg-type]
        return "250 OK"


class Mailbox:
    """An SMTP server on loopback; `messages` are what it accepted, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = free_port()
        self.controller = Controller(_Keep(self.messages), hostname="127.0.0.1",
                                     port=self.port)

    def __enter__(self) -> Mailbox:
        self.controller.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.controller.stop()
