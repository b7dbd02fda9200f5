"""Fixtures for terminal unit tests: an in-memory fake central over httpx.MockTransport and an
enrolled terminal on a real SQLite file under tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from terminal_fake_central import FakeCentral
from terminal_helpers import Clock

from pos_app.terminal.service import TerminalService


@pytest.fixture
def central() -> FakeCentral:
    return FakeCentral()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def terminal(home: Path, central: FakeCentral, clock: Clock) -> Iterator[TerminalService]:
    svc = TerminalService(home, transport=central.transport(), clock=clock,
                          authorize_timeout=0.3)
    yield svc
    svc.close()


def enrolled(svc: TerminalService, central: FakeCentral) -> TerminalService:
    svc.enroll("http://central.test", central.enroll_code())
    return svc
