"""Small helpers shared by the terminal unit tests (raw looks into the SQLite file)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from pos_app.terminal.balance import recompute_balance
from pos_app.terminal.database import TerminalDB, now_ms
from pos_app.terminal.service import TerminalService


def journal_count(home: Path) -> int:
    raw = sqlite3.connect(home / "terminal.db")
    try:
        return int(raw.execute("SELECT COUNT(*) FROM journal").fetchone()[0])
    finally:
        raw.close()


def cached_balance(svc: TerminalService, code: str) -> int:
    with svc.store.read() as conn:
        card = TerminalDB.get_card(conn, code)
    assert card is not None
    return card.balance


def assert_views_consistent(svc: TerminalService) -> None:
    """The cached balance column equals the figure recomputed from the journal, every card (the
    replica keeps codes only hashed: the journal names the cards this terminal touched, and
    every other card's view is central's figure)."""
    with svc.store.read() as conn:
        touched = [r[0] for r in conn.exec_driver_sql(
            "SELECT DISTINCT card FROM journal WHERE card IS NOT NULL")]
        for code in touched:
            card = TerminalDB.get_card(conn, code)
            if card is not None:
                assert recompute_balance(conn, code) == card.balance, code
        hashed = {svc.store.data_keys().card_id(code) for code in touched}
        for stored, view, central in conn.exec_driver_sql(
                "SELECT code, balance, balance_minor FROM cards"):
            assert stored in hashed or view == central, stored


class Clock:
    """Wall clock in unix ms that tests can move forward (to age an outage)."""

    def __init__(self) -> None:
        self.offset_ms = 0

    def __call__(self) -> int:
        return now_ms() + self.offset_ms

    def advance_hours(self, hours: float) -> None:
        self.offset_ms += int(hours * 3_600_000)


def enrolled(svc: TerminalService, central: Any) -> TerminalService:
    """SVC enrolled with the in-memory FakeCentral (its first sync done)."""
    svc.enroll("http://central.test", central.enroll_code())
    return svc
