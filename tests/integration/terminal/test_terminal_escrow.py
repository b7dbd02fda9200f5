"""A real terminal with escrow grants against the real central: a card seen at the store gets
a grant at the next sync, offline spends draw only on it (`grant_exhausted` past it,
`no_offline_grant` without one), the sync hands used-up grants back, and no clock trick —
wall clock set back or forward, a reboot with the clock set back — stretches a grant or the
floor window. Terminal clocks are injected (wall ms, boot id + ms since boot)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from terminal_live import LiveCentral, issue

from core.journal import EntryBody
from pos_app.terminal.database import now_ms
from pos_app.terminal.service import TerminalService
from wallet_sync.central.admin_client import AdminClient

HOUR_MS = 3_600_000


class Clocks:
    """The terminal's wall clock (settable like a cashier would) and its boot clock."""

    def __init__(self) -> None:
        self.wall_offset = 0
        self.boot_id = "boot-1"
        self.boot_ms = 1_000_000
        self._real = now_ms()

    def wall(self) -> int:
        return now_ms() + self.wall_offset

    def boot(self) -> tuple[str, int]:
        return self.boot_id, self.boot_ms + (now_ms() - self._real)

    def pass_time(self, hours: float) -> None:
        """Time really passes: both clocks move."""
        self.wall_offset += int(hours * HOUR_MS)
        self.boot_ms += int(hours * HOUR_MS)


def terminal(home: Path, central: LiveCentral, admin: AdminClient, clocks: Clocks
             ) -> TerminalService:
    # A stopped central refuses the connection at once, so a long timeout costs the offline
    # cases nothing, and a loaded machine cannot turn an online spend into an offline one.
    svc = TerminalService(home, clock=clocks.wall, boot_clock=clocks.boot,
                          authorize_timeout=5.0, sync_timeout=5.0)
    out = svc.enroll(central.url, admin.enroll_code("S1")["code"])
    assert "error" not in out["sync"], out
    return svc


def central_row(central: LiveCentral, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(central.db_url.removeprefix("sqlite:///")) as conn:
        return conn.execute(sql, args).fetchall()


def test_offline_spends_draw_only_on_the_terminal_grant(tmp_path: Path, central: LiveCentral,
                                                        admin: AdminClient) -> None:
    clocks = Clocks()
    gift, stranger = issue(admin, "gift-eur", 2, value="101.00")
    term = terminal(tmp_path / "t", central, admin, clocks)
    assert term.redeem(gift, "1.00").offline is False  # seen at S1
    term.sync()  # ... so this pull brings a 50.00 grant (the other half stays online)
    (grant_id,) = [g for (g,) in central_row(central, "SELECT id FROM grants WHERE card = ?",
                                             gift)]
    central.stop()
    try:
        first = term.redeem(gift, "30.00")
        assert (first.status, first.offline) == ("approved", True)
        assert term.redeem(gift, "20.01").reason == "grant_exhausted"
        assert term.redeem(gift, "20.00").status == "approved"
        assert term.redeem(gift, "0.01").reason == "grant_exhausted"
        assert term.redeem(stranger, "1.00").reason == "no_offline_grant"
    finally:
        central.start()
    bodies = [EntryBody.decode(bytes(r["data"])) for r in term.store.journal_rows()]
    assert [(b.op, b.amount, b.grant, b.offline) for b in bodies[1:]] == [
        ("redeem", 3000, grant_id, True), ("redeem", 2000, grant_id, True)]
    assert bodies[0].auth and bodies[0].extra["auth_sig"] and bodies[0].extra["auth_exp"]
    assert term.sync()["conflicts"] == 0
    # The used-up grant went back by a signed release entry, and a fresh one came.
    last = EntryBody.decode(bytes(term.store.journal_rows()[-1]["data"]))
    assert (last.op, last.grant, last.amount) == ("release", grant_id, 0)
    assert central_row(central, "SELECT status, used FROM grants WHERE id = ?", grant_id) == \
        [("released", 5000)]
    assert admin.card(gift)["balance"] == "50.00"
    fresh = central_row(central, "SELECT amount FROM grants WHERE card = ? AND status = 'open'",
                        gift)
    assert fresh == [(2500,)]
    assert term.verify().as_json()["ok"] is True
    term.close()


def test_clock_tricks_do_not_stretch_grants_or_the_floor_window(
        tmp_path: Path, central: LiveCentral, admin: AdminClient) -> None:
    clocks = Clocks()
    gift, = issue(admin, "gift-eur", value="80.00")
    credit = issue(admin, "store-credit", 4)
    term = terminal(tmp_path / "t", central, admin, clocks)
    term.redeem(gift, "1.00")
    term.sync()
    central.stop()
    try:
        clocks.pass_time(1)
        assert term.redeem(gift, "1.00").status == "approved"          # within the grant
        assert term.redeem(credit[0], "1.00").status == "approved"     # within 24 h
        # Set back two days while 73 hours really pass (boot clock): both windows are over.
        clocks.pass_time(73)
        clocks.wall_offset -= 75 * HOUR_MS
        assert term.redeem(gift, "1.00").reason == "grant_expired"
        assert term.redeem(credit[1], "1.00").reason == "offline_too_long"
        # Set forward instead: time only runs out sooner, never later.
        clocks.wall_offset += 75 * HOUR_MS
        assert term.redeem(gift, "1.00").reason == "grant_expired"
        # A reboot, then the clock set back behind what the journal has seen: trust nothing.
        clocks.boot_id, clocks.boot_ms = "boot-2", 5_000
        clocks.wall_offset -= 80 * HOUR_MS
        assert term.redeem(gift, "1.00").reason == "grant_expired"
        assert term.redeem(credit[2], "1.00").reason == "offline_too_long"
    finally:
        central.start()
    clocks.wall_offset = 74 * HOUR_MS  # the right time again
    assert term.sync()["conflicts"] == 0
    assert term.status()["outbox"] == 0
    term.close()
