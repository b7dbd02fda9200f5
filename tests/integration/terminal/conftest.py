"""Fixtures for terminal integration tests; the machinery lives in terminal_live.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from terminal_live import PROGRAMS, LiveCentral

from pos_app import demo
from wallet_sync.central.admin_client import AdminClient
from wallet_sync.central.setup import init_central


@pytest.fixture
def central(tmp_path: Path) -> Iterator[LiveCentral]:
    db_url = f"sqlite:///{tmp_path / 'central.db'}"
    live = LiveCentral(db_url)
    live.admin_key = init_central(db_url)["admin_key"]  # type: ignore[attr-defined]
    live.start()
    with AdminClient(live.url, live.admin_key) as admin:  # type: ignore[attr-defined]
        admin.load_programs(PROGRAMS.read_text(), "yaml", "programs.yaml")
    yield live
    live.stop()


@pytest.fixture
def world(tmp_path: Path) -> Iterator[demo.DemoWorld]:
    """The demo world (central on loopback, an enrolled terminal, cards, staff)."""
    w = demo.build(tmp_path / "demo")
    yield w
    w.central.stop()


@pytest.fixture
def admin(central: LiveCentral) -> Iterator[AdminClient]:
    with AdminClient(central.url, central.admin_key) as client:  # type: ignore[attr-defined]
        yield client


