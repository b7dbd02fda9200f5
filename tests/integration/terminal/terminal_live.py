"""Integration helpers: the REAL central (wallet_sync.central.app.create_app) under uvicorn in a
thread on a free loopback port, over a SQLite file; an admin client; terminals on real SQLite
files talking real HTTP, optionally through a fault-injecting httpx transport."""

from __future__ import annotations

from pathlib import Path

import httpx

from pos_app.terminal.service import TerminalService
from wallet_sync.central.admin_client import AdminClient
from wallet_sync.central.embedded import EmbeddedCentral

PROGRAMS = Path("/work/shared/examples/programs.yaml")


# Start/stop/restart the real central on one fixed port (so terminals keep their URL).
LiveCentral = EmbeddedCentral


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
