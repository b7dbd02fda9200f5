"""Central running inside this process on a loopback port, in a background thread: what
`walletpos demo` starts on an embedded SQLite file, and what integration tests talk to over real
HTTP. Production runs `walletpos central serve` instead; the app is the same."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from types import TracebackType

import uvicorn

from wallet_sync.central.app import create_app
from wallet_sync.client import SERVER_KEEPALIVE_S


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class EmbeddedCentral:
    """Start with `start()` (or as a context manager); `stop()` closes the port, so a terminal
    sees exactly what it sees when central is down; `start()` again brings it back on the same
    port and database."""

    def __init__(self, db_url: str, host: str = "127.0.0.1", port: int | None = None,
                 log_level: str = "warning", clock: Callable[[], float] = time.time,
                 read_url: str | None = None) -> None:
        self.db_url = db_url
        self.read_url = read_url
        self.clock = clock  # central's business clock (simulations move it); not for HTTP
        self.host = host
        self.port = port or free_port(host)
        self.log_level = log_level
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 15.0) -> EmbeddedCentral:
        config = uvicorn.Config(create_app(self.db_url, clock=self.clock,
                                           read_url=self.read_url), host=self.host,
                                port=self.port,
                                log_level=self.log_level, lifespan="on",
                                timeout_keep_alive=SERVER_KEEPALIVE_S)
        server = _ThreadServer(config)
        thread = threading.Thread(target=server.run, name="central", daemon=True)
        thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"central did not start on {self.url}")
            time.sleep(0.01)
        self._server, self._thread = server, thread
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._server = self._thread = None

    @property
    def running(self) -> bool:
        return self._server is not None

    def __enter__(self) -> EmbeddedCentral:
        return self.start() if not self.running else self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


class _ThreadServer(uvicorn.Server):
    """A uvicorn server for a background thread: signals stay with the embedding program
    (only the main thread may install handlers, and Ctrl-C belongs to the app)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield
