"""The demo world: a central on an embedded SQLite file, the example programs, a handful of
cards in each state worth trying, and one enrolled terminal — all under one folder, so the
demo is the product running for real, not a mock-up."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import WalletError
from pos_app.terminal.service import TerminalService
from wallet_sync.central.admin_client import AdminClient
from wallet_sync.central.embedded import EmbeddedCentral
from wallet_sync.central.setup import init_central

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
DEMO_PROGRAMS = RESOURCES / "demo" / "programs.yaml"
STORE = "demo-store"
SAVED = "demo.json"  # the demo's cards and staff, for `walletpos demo --keep`

# (program, count, value, activate): what a cashier would want to try first.
DEMO_CARDS: tuple[tuple[str, int, str | None, bool], ...] = (
    ("store-credit", 3, "50.00", True),  # floor mode: works offline within caps
    ("gift-eur", 2, "50.00", True),  # escrow mode: needs central until grants exist
    ("gift-weekend", 1, "10.00", True),  # online only
    ("store-credit", 1, "25.00", False),  # sold but never activated: declined
)

# (name, role, PIN): who can log in at the demo counter (PINs are for the demo only).
DEMO_STAFF: tuple[tuple[str, str, str], ...] = (
    ("Alex", "cashier", "1234"),
    ("Morgan", "manager", "999999"),
)


@dataclass
class DemoWorld:
    home: Path
    central: EmbeddedCentral
    admin_key: str
    terminal_home: Path
    cards: list[dict[str, Any]] = field(default_factory=list)
    staff: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {"central": self.central.url, "admin_key": self.admin_key,
                "db": self.central.db_url, "terminal_home": str(self.terminal_home),
                "cards": self.cards, "staff": self.staff}


def _enrolled_port(terminal_home: Path) -> int | None:
    from urllib.parse import urlsplit

    try:
        with TerminalService(terminal_home) as terminal:
            return urlsplit(terminal.identity().central_url).port
    except WalletError:
        return None  # never enrolled: any free port


def build(home: Path, port: int | None = None, keep: bool = False,
          code_pools: bool = False) -> DemoWorld:
    """Create (or, with `keep`, reopen) the demo under `home` and leave central running;
    `code_pools` also reserves the terminal its codes for issuing cards offline."""
    if home.exists() and not keep:
        shutil.rmtree(home)
    home.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{home / 'central.db'}"
    fresh = not (home / "central.db").exists()
    admin_key = init_central(db_url)["admin_key"]
    if port is None and not fresh:
        port = _enrolled_port(home / "terminal")  # the terminal knows central by its address
    central = EmbeddedCentral(db_url, port=port).start()
    world = DemoWorld(home, central, admin_key, home / "terminal")
    saved = home / SAVED
    if not fresh:
        # --keep: the cards and staff this demo was made with (central has no "list cards").
        try:
            kept = json.loads(saved.read_text(encoding="utf-8"))
            world.cards, world.staff = kept["cards"], kept["staff"]
        except (OSError, ValueError, KeyError):
            pass  # a demo made before this file existed: no list to show
        return world
    with AdminClient(central.url, admin_key) as admin:
        admin.load_programs(DEMO_PROGRAMS.read_text(encoding="utf-8"), "yaml", "programs.yaml")
        for program, count, value, activate in DEMO_CARDS:
            issued = admin.issue_cards(program, count, value=value, activate=activate)
            for card in issued["cards"]:
                world.cards.append({"program": program, "code": card["code"], "value": value,
                                    "active": activate, "qr": card["qr"]})
        for name, role, pin in DEMO_STAFF:
            made = admin.create_staff(STORE, name, role, pin)
            world.staff.append({**made, "pin": pin})
        code = admin.enroll_code(STORE)["code"]
    saved.write_text(json.dumps({"cards": world.cards, "staff": world.staff}), encoding="utf-8")
    with TerminalService(world.terminal_home) as terminal:
        terminal.enroll(central.url, code, name="demo counter")
        if code_pools:  # the manager screen can issue cards at once, even offline
            for program in terminal.issuing_programs():
                terminal.top_up_pool(program["program"])
    return world
