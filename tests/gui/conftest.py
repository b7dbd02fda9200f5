"""GUI tests run headless: Qt's offscreen platform, set before any Qt import.

The counter tests drive the real window over a real terminal HOME (SQLite), enrolled against
the real central (FastAPI under uvicorn on loopback, `EmbeddedCentral`) with the demo programs,
a few cards and two staff members whose PINs central hashed with argon2. Time that matters
(lockout, keyboard-wedge timing) comes from fake clocks the tests move; nothing asserts on the
wall clock.
"""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# QSettings (language, theme) must not touch the developer's own configuration.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="walletpos-gui-config-")

from collections.abc import Iterator  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from pos_app.demo import DEMO_PROGRAMS  # noqa: E402
from pos_app.terminal.service import TerminalService  # noqa: E402
from wallet_sync.central.admin_client import AdminClient  # noqa: E402
from wallet_sync.central.embedded import EmbeddedCentral  # noqa: E402
from wallet_sync.central.setup import init_central  # noqa: E402

STORE = "gui-store"


class Clock:
    """Unix milliseconds for the terminal service (lockout), moved by the test."""

    def __init__(self) -> None:
        import time

        self.ms = int(time.time() * 1000)

    def __call__(self) -> int:
        return self.ms

    def advance(self, seconds: float) -> None:
        self.ms += int(seconds * 1000)


@dataclass
class World:
    central: EmbeddedCentral
    admin_key: str
    home: Path
    clock: Clock
    cards: dict[str, list[str]] = field(default_factory=dict)
    staff: dict[str, dict] = field(default_factory=dict)

    def admin(self) -> AdminClient:
        return AdminClient(self.central.url, self.admin_key)

    def service(self) -> TerminalService:
        # Generous: a stopped central refuses at once, and a loaded CI host must not turn an
        # online answer into "offline".
        return TerminalService(self.home, clock=self.clock, authorize_timeout=5.0,
                               sync_timeout=10.0)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    db_url = f"sqlite:///{tmp_path / 'central.db'}"
    admin_key = init_central(db_url)["admin_key"]
    central = EmbeddedCentral(db_url).start()
    w = World(central, admin_key, tmp_path / "terminal", Clock())
    with w.admin() as admin:
        admin.load_programs(DEMO_PROGRAMS.read_text(encoding="utf-8"), "yaml", "programs.yaml")
        for program, value in (("store-credit", "50.00"), ("gift-eur", "50.00")):
            w.cards[program] = [c["code"] for c in admin.issue_cards(
                program, 2, value=value, activate=True)["cards"]]
        for name, role, pin in (("Alex", "cashier", "1234"), ("Morgan", "manager", "999999")):
            w.staff[name] = {**admin.create_staff(STORE, name, role, pin), "pin": pin}
        code = admin.enroll_code(STORE)["code"]
    with w.service() as terminal:
        terminal.enroll(central.url, code, name="gui test counter")
    yield w
    central.stop()
