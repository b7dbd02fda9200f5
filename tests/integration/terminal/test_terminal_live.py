"""The terminal against the REAL central over loopback HTTP: enrollment, online redemption
synced exactly once, declines that write nothing, offline policies while central is stopped,
and recovery after it restarts."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from terminal_live import LiveCentral, issue, new_terminal

from core.errors import InvalidAmount
from pos_app.terminal.balance import recompute_balance
from pos_app.terminal.database import TerminalDB, now_ms
from pos_app.terminal.service import TerminalService
from wallet_sync.central.admin_client import AdminClient


def central_entries(central: LiveCentral) -> list[tuple[str, int, str, int, str]]:
    path = central.db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT terminal, seq, card, amount, status FROM entries "
                            "ORDER BY terminal, seq").fetchall()


def journal_count(home: Path) -> int:
    with sqlite3.connect(home / "terminal.db") as conn:
        return int(conn.execute("SELECT COUNT(*) FROM journal").fetchone()[0])


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


def test_enroll_and_online_redeem_synced_exactly_once(tmp_path: Path, central: LiveCentral,
                                                      admin: AdminClient) -> None:
    code, = issue(admin, "gift-eur")
    with new_terminal(tmp_path / "t", central, admin) as term:
        ident = term.identity()
        assert ident.terminal_id.startswith("T-") and ident.store_id == "S1"
        assert term.balance(code)["balance"] == "50.00"
        result = term.redeem(code, "12.50", staff="c1")
        assert (result.status, result.offline, result.seq) == ("approved", False, 1)
        assert result.as_json()["balance_after"] == "37.50"
        assert term.sync()["conflicts"] == 0
        assert term.sync() == {"pushed": 0, "pulled": 0, "conflicts": 0}
        assert admin.card(code)["balance"] == "37.50"
        assert term.balance(code)["balance"] == "37.50"
        assert central_entries(central) == [(ident.terminal_id, 1, code, 1250, "applied")]
        assert term.verify().as_json() == {"ok": True, "entries": 1}
        assert_views_consistent(term)


def test_declines_write_nothing(tmp_path: Path, central: LiveCentral,
                                admin: AdminClient) -> None:
    big, spent_elsewhere = issue(admin, "gift-eur", 2, value="300.00")
    inactive, = issue(admin, "gift-eur", activate=False)
    with new_terminal(tmp_path / "a", central, admin) as a, \
            new_terminal(tmp_path / "b", central, admin) as b:
        # Terminal A spends online; B's replica has not seen it yet, central has.
        assert a.redeem(spent_elsewhere, "200.00").status == "approved"
        cases = [
            (big, "200.01", "over_order_limit"),
            (big, "300.01", "insufficient_funds"),
            (inactive, "1.00", "card_inactive"),
            (spent_elsewhere, "150.00", "insufficient_funds"),  # central's answer
        ]
        for code, amount, reason in cases:
            result = b.redeem(code, amount)
            assert (result.status, result.reason) == ("declined", reason), code
        for amount in ("0", "0.00", "٣", " 1.00"):  # not an amount: an error, not a decline
            with pytest.raises(InvalidAmount):
                b.redeem(big, amount)
        from core.codes import generate_code
        assert b.redeem(generate_code("GC-####-####-####"), "1.00").reason == "unknown_card"
        assert journal_count(tmp_path / "b") == 0
        assert admin.card(big)["balance"] == "300.00"


def test_offline_floor_caps_while_central_stopped(tmp_path: Path, central: LiveCentral,
                                                  admin: AdminClient) -> None:
    cards = issue(admin, "store-credit", 17)
    weekend, = issue(admin, "gift-weekend", value="10.00")
    gift, = issue(admin, "gift-eur")
    term = new_terminal(tmp_path / "t", central, admin)
    term.authorize_timeout = 0.3  # keep the test quick; the default budget is 1.5 s
    central.stop()
    try:
        assert term.redeem(cards[0], "20.00").offline is True
        assert term.redeem(cards[0], "1.00").reason == "offline_card_used"  # one per card
        assert term.redeem(cards[1], "20.01").reason == "offline_limit"     # per transaction
        for code in cards[1:15]:
            assert term.redeem(code, "20.00").status == "approved"
        assert term.redeem(cards[15], "0.01").reason == "offline_till_total"  # terminal total
        # On a Saturday the weekend voucher reaches its offline policy (`online`); on a weekday
        # its valid_when refuses it first.
        now = dt.datetime.now(dt.UTC)
        saturday = (now + dt.timedelta(days=(5 - now.weekday()) % 7 or 7)).replace(hour=12)
        term.clock = lambda: int(saturday.timestamp() * 1000)
        assert term.redeem(weekend, "1.00").reason == "offline_not_allowed"
        term.clock = now_ms
        assert term.redeem(gift, "1.00").reason == "no_offline_grant"
        assert journal_count(tmp_path / "t") == 15
        # A restart does not reset the caps: they are counted from the journal.
        term.close()
        term = TerminalService(tmp_path / "t", authorize_timeout=0.3)
        assert term.redeem(cards[16], "1.00").reason == "offline_till_total"
        # ... and after 24 h without a sync nothing more is spent offline.
        later = TerminalService(tmp_path / "t", authorize_timeout=0.3,
                                clock=lambda: now_ms() + 25 * 3_600_000)
        assert later.redeem(cards[16], "1.00").reason == "offline_too_long"
        later.close()
    finally:
        central.start()
    assert term.sync() == {"pushed": 15, "pulled": 15, "conflicts": 0}
    assert sorted(admin.card(c)["balance"] for c in cards[:15]) == ["30.00"] * 15
    assert len(central_entries(central)) == 15
    assert_views_consistent(term)
    # The outage is over: the caps start again.
    central.stop()
    try:
        assert term.redeem(cards[0], "20.00").status == "approved"
    finally:
        central.start()
    term.sync()
    assert admin.card(cards[0])["balance"] == "10.00"
    term.close()


def test_offline_redemption_syncs_exactly_once_after_restart(tmp_path: Path,
                                                             central: LiveCentral,
                                                             admin: AdminClient) -> None:
    code, = issue(admin, "store-credit")
    term = new_terminal(tmp_path / "t", central, admin)
    central.stop()
    try:
        result = term.redeem(code, "7.25")
        assert (result.status, result.offline) == ("approved", True)
        with pytest.raises(Exception) as err:
            term.sync()
        assert getattr(err.value, "reason", None) == "central_unreachable"
    finally:
        central.start()
    assert term.sync()["pushed"] == 1
    assert term.sync()["pushed"] == 0
    entries = central_entries(central)
    assert [(seq, card, amount) for _, seq, card, amount, _ in entries] == [(1, code, 725)]
    assert admin.card(code)["balance"] == "42.75"
    assert term.balance(code)["balance"] == "42.75"
    term.close()
