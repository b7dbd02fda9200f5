"""A till that hangs up halfway through sending a signed request (its sync cancelled, the
network gone) is not a crash at central: no "Exception in ASGI application" with a traceback
in the log, and central goes on serving."""

from __future__ import annotations

import logging
import socket
import time

import httpx
import pytest

from .helpers import LiveServer


def test_a_client_that_hangs_up_mid_body_is_not_logged_as_a_crash(
        live: LiveServer, caplog: pytest.LogCaptureFixture) -> None:
    host, port = live.url.removeprefix("http://").split(":")
    with caplog.at_level(logging.INFO):
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(f"POST /v1/journal HTTP/1.1\r\nHost: {host}\r\n"
                         "Content-Length: 5000\r\nContent-Type: application/json\r\n\r\n"
                         '{"terminal": "T-1", "entr'.encode())
            time.sleep(0.3)  # the route is waiting for the rest of the body
        time.sleep(0.5)
        assert httpx.get(live.url + "/v1/health", timeout=10).status_code == 200
    crashes = [r for r in caplog.records
               if r.levelno >= logging.ERROR or "Exception in ASGI" in r.getMessage()]
    assert crashes == []
