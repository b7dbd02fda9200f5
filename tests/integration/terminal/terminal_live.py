"""Integration helpers: the REAL central (wallet_sync.central.app.create_app) under uvicorn in a
thread on a free loopback port, over a SQLite file; an admin client; terminals on real SQLite
files talking real HTTP, optionally through a fault-injecting httpx transport."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from pos_app.terminal.service import TerminalService
from wallet_sync.central.admin_client import AdminClient
from wallet_sync.central.app import create_app
from wallet_sync.client import SERVER_KEEPALIVE_S

PROGRAMS = Path("/work/shared/examples/programs.yaml")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveCentral:
    """Start/stop/restart the real central on one fixed port (so terminals keep their URL)."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        config = uvicorn.Config(create_app(self.db_url), host="127.0.0.1", port=self.port,
                                log_level="warning", lifespan="on",
                                timeout_keep_alive=SERVER_KEEPALIVE_S)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("central did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._server = self._thread = None


class FaultTransport(httpx.BaseTransport):
    """Wraps a real HTTP transport. Queued faults apply to the next matching requests:
    "refused" (never sent), "timeout" (never sent, looks like a timeout), "503" (never sent),
    "drop" (forwarded, central commits, the response is thrown away)."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.faults: list[tuple[str, str]] = []  # (path suffix, fault)
        self.down_paths: set[str] = set()  # always "connection refused" while listed
        self.sent: list[str] = []

    def add(self, fault: str, path: str = "/v1/journal", times: int = 1) -> None:
        self.faults.extend([(path, fault)] * times)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        fault = "refused" if request.url.path in self.down_paths else None
        for i, (path, kind) in enumerate(self.faults):
            if fault is None and request.url.path.endswith(path):
                fault = kind
                del self.faults[i]
                break
        if fault == "refused":
            raise httpx.ConnectError("injected: connection refused", request=request)
        if fault == "timeout":
            raise httpx.ReadTimeout("injected: timed out", request=request)
        if fault == "503":
            return httpx.Response(503, json={"error": "unavailable", "message": "injected"})
        self.sent.append(request.url.path)
        response = self.inner.handle_request(request)
        if fault == "drop":
            response.read()
            response.close()
            raise httpx.ReadError("injected: response lost after central committed",
                                  request=request)
        return response

    def close(self) -> None:
        self.inner.close()


def issue(admin: AdminClient, program: str, count: int = 1, value: str = "50.00",
          activate: bool = True) -> list[str]:
    return [c["code"] for c in admin.issue_cards(program, count, value, activate)["cards"]]


def new_terminal(home: Path, central: LiveCentral, admin: AdminClient,
                 transport: httpx.BaseTransport | None = None) -> TerminalService:
    svc = TerminalService(home, transport=transport, authorize_timeout=1.5, sync_timeout=5.0)
    out = svc.enroll(central.url, admin.enroll_code("S1")["code"])
    assert "error" not in out["sync"], out
    return svc
