"""A body is capped while it streams (issue 13): a large chunked upload to a real central
process on loopback gets the 413 as soon as it passes the cap, the server stops reading the
rest, and its memory does not grow with the upload (it grew from 108 to 620 MB on a 256 MB
body that was read whole before the signature check)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from wallet_sync.central.embedded import free_port
from wallet_sync.central.routes.body_limit import MAX_BODY
from wallet_sync.central.setup import init_central

WALLETPOS = str(Path(sys.executable).with_name("walletpos"))
UPLOAD = 128 * 1024 * 1024
CHUNK = 64 * 1024


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    tmp_path = tmp_path_factory.mktemp("central")
    db = f"sqlite:///{tmp_path / 'central.db'}"
    init_central(db)
    port = free_port()
    log = open(tmp_path / "central.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([WALLETPOS, "central", "serve", "--db", db, "--port", str(port)],
                            stdout=log, stderr=log, env=os.environ.copy())
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url + "/v1/health", timeout=1)
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp_path / "central.log").read_text()) from None
                time.sleep(0.05)
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak resident set) of a process, in kB."""
    out: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            out[name] = int(value.split()[0])
    return out


def _reset_peak(pid: int) -> None:
    try:  # "5" resets VmHWM to the current RSS (Linux >= 4.0)
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        pass


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("path", ["/v1/journal", "/v1/admin/cards"])
def test_a_large_chunked_body_is_refused_at_the_cap(central: tuple[str, int], path: str) -> None:
    url, pid = central
    with httpx.Client(base_url=url, timeout=60) as http:
        # Warm up the route (imports, pools) so only the upload is measured.
        assert http.post(path, content=b"{}").status_code in (401, 403, 422)
        _reset_peak(pid)
        before = _status(pid)
        sent = 0

        def upload() -> Iterator[bytes]:
            nonlocal sent
            chunk = b"x" * CHUNK
            while sent < UPLOAD:
                sent += CHUNK
                yield chunk

        resp = http.post(path, content=upload())  # no length: Transfer-Encoding: chunked
        after = _status(pid)
        assert resp.status_code == 413, resp.text[:200]
        assert resp.json()["error"] == "request_too_large"
        # The server hung up soon after the cap: the client could not push the rest (what
        # it got out beyond the cap sat in the sockets' buffers).
        assert MAX_BODY < sent < UPLOAD // 2, sent
        grown_mb = (after["VmHWM"] - before["VmRSS"]) / 1024
        assert grown_mb < 3 * MAX_BODY / 2**20, (before, after)
    # Central goes on serving.
    assert httpx.get(url + "/v1/health", timeout=10).status_code == 200


def test_a_declared_length_over_the_cap_is_refused_before_reading(
        central: tuple[str, int]) -> None:
    url, _ = central
    # Expect: 100-continue: the server says "go on" only when the app reads the body, so a
    # 413 without a 100 first shows nothing was read.
    import socket

    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(f"POST /v1/journal HTTP/1.1\r\nHost: {host}\r\n"
                     f"Content-Length: {MAX_BODY + 1}\r\nContent-Type: application/json\r\n"
                     "Expect: 100-continue\r\n\r\n".encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            data = sock.recv(4096)
            if not data:
                break
            answer += data
    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 413"), answer[:200]
