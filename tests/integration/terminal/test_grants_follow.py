"""Escrow grants follow the customer (issue 15), with real terminals on real SQLite files and
the real central on loopback: a 50.00 card used at store 1 and then online at store 2 pays at
store 2 at once what is not reserved, and the rest after one sync of store 1's till (the
recall); a till cut off keeps what it spent, so the recall frees only what its release says;
and a till that never comes back is decommissioned, its grant and codes returned."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from terminal_live import PROGRAMS, FaultTransport, LiveCentral, issue

from core.journal import EntryBody
from pos_app.terminal.issuing import POOL_TARGET
from pos_app.terminal.service import TerminalService
from wallet_sync.central.admin_client import AdminClient, AdminError
from wallet_sync.central.setup import init_central
from wallet_sync.client import CentralRefused


class CentralClock:
    """Central's business clock, moved by the test (a till that never returns ages)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


@pytest.fixture
def clocked(tmp_path: Path) -> Iterator[tuple[LiveCentral, AdminClient, CentralClock]]:
    db_url = f"sqlite:///{tmp_path / 'central.db'}"
    key = init_central(db_url)["admin_key"]
    clock = CentralClock()
    live = LiveCentral(db_url, clock=clock).start()
    with AdminClient(live.url, key) as admin:
        admin.load_programs(PROGRAMS.read_text(), "yaml", "programs.yaml")
        yield live, admin, clock
    live.stop()


def till(home: Path, central: LiveCentral, admin: AdminClient, store: str,
         transport: FaultTransport | None = None) -> TerminalService:
    svc = TerminalService(home, transport=transport, authorize_timeout=1.5, sync_timeout=5.0,
                          retries=0)
    out = svc.enroll(central.url, admin.enroll_code(store)["code"])
    assert "error" not in out["sync"], out
    return svc


def grants(central: LiveCentral, card: str) -> list[tuple]:
    with sqlite3.connect(central.db_url.removeprefix("sqlite:///")) as conn:
        return conn.execute("SELECT terminal, amount, used, status, recalled_at IS NOT NULL "
                            "FROM grants WHERE card = ? ORDER BY created_at", (card,)).fetchall()


def test_a_card_used_at_store_1_pays_online_at_store_2(tmp_path: Path,
                                                       clocked: tuple) -> None:
    central, admin, _ = clocked
    (gift,) = issue(admin, "gift-eur", value="50.00")
    store1 = till(tmp_path / "s1", central, admin, "S1")
    store2 = till(tmp_path / "s2", central, admin, "S2")
    try:
        assert store1.redeem(gift, "1.00").status == "approved"
        store1.sync()  # store 1's till holds a share: 24.50 of 49.00, the rest stays online
        assert [g[1:] for g in grants(central, gift)] == [(2450, 0, "open", False)]
        first = store2.redeem(gift, "40.00")
        assert (first.status, first.reason) == ("declined", "reserved_elsewhere")
        assert first.as_json()["available"] == "24.50"
        at_once = store2.redeem(gift, "24.50")  # the unreserved part, at once
        assert (at_once.status, at_once.offline) == ("approved", False)
        assert [g[4] for g in grants(central, gift)] == [True]  # recalled
        store1.sync()  # one background sync of store 1: the recalled grant goes back
        last = EntryBody.decode(bytes(store1.store.journal_rows()[-1]["data"]))
        assert (last.op, last.amount) == ("release", 2450)
        rest = store2.redeem(gift, "15.50")
        assert (rest.status, rest.offline) == ("approved", False)
        assert admin.card(gift)["balance"] == "9.00"
        store1.sync()  # no fresh grant on a card just recalled
        assert [g[3] for g in grants(central, gift)] == ["released"]
    finally:
        store1.close()
        store2.close()


def test_a_till_cut_off_keeps_what_it_spent_and_a_lost_till_is_decommissioned(
        tmp_path: Path, clocked: tuple) -> None:
    central, admin, clock = clocked
    gift, other = issue(admin, "gift-eur", 2, value="50.00")
    link = FaultTransport()
    store1 = till(tmp_path / "s1", central, admin, "S1", link)
    store2 = till(tmp_path / "s2", central, admin, "S2")
    try:
        store1.redeem(gift, "1.00")
        store1.redeem(other, "1.00")
        store1.sync()  # 24.50 of each card granted to store 1's till
        assert store1.top_up_pool("gift-eur", 5) == 5
        link.down_paths |= {"/v1/journal", "/v1/changes", "/v1/authorize"}  # cut off
        spent = store1.redeem(gift, "20.00")
        assert (spent.status, spent.offline) == ("approved", True)  # from its grant
        assert store2.redeem(gift, "40.00").reason == "reserved_elsewhere"
        # The recall frees nothing while the holder is cut off: still only what is unreserved.
        assert store2.redeem(gift, "24.51").reason == "reserved_elsewhere"
        link.down_paths.clear()
        store1.sync()  # its spend, then its release of the 4.50 it did not spend
        assert store2.redeem(gift, "29.00").status == "approved"
        assert store2.redeem(gift, "0.01").reason == "insufficient_funds"
        assert admin.card(gift)["balance"] == "0.00"
        assert admin.conflicts()["conflicts"] == []  # no overdraft, no case

        # Store 1's till is lost with its grant on the other card and its code pool.
        gone = store1.identity().terminal_id
        with pytest.raises(AdminError) as early:
            admin.decommission_terminal(gone, "till stolen")
        assert early.value.reason == "too_early"
        allowed = early.value.extra["allowed_at"]
        clock.offset = allowed - time.time() + 1
        done = admin.decommission_terminal(gone, "till stolen")["decommission"]
        # Its pool was topped up to POOL_TARGET at its last sync; none of them was issued.
        assert (done["grants_returned"], done["codes_released"]) == (1, POOL_TARGET)
        assert done["value_returned"] == [{"currency": "EUR", "amount": "24.50"}]
        assert store2.redeem(other, "49.00").status == "approved"
        exposure = admin.exposure()
        assert [d["terminal"] for d in exposure["decommissioned"]] == [gone]
        with pytest.raises(CentralRefused) as refused:
            store1.sync()
        assert refused.value.reason == "decommissioned"
        # The retired till stops spending offline too, and its counter says why.
        assert store1.standing().state == "quarantined"
        link.down_paths |= {"/v1/authorize"}
        assert store1.redeem(other, "1.00").reason == "terminal_quarantined"
    finally:
        store1.close()
        store2.close()
