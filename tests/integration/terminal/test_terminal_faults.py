"""Network faults between terminal and the REAL central — connection refused, timeouts, 5xx,
a response lost after central committed, the same batch twice — must end with the same central
ledger as a fault-free run: every entry exactly once, the same balances."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from terminal_live import FaultTransport, LiveCentral, issue, new_terminal

from pos_app.terminal.service import TerminalService
from wallet_sync.central.admin_client import AdminClient
from wallet_sync.client import CentralUnreachable


def central_entries(central: LiveCentral, terminal: str) -> list[tuple[int, int, str]]:
    with sqlite3.connect(central.db_url.removeprefix("sqlite:///")) as conn:
        return conn.execute("SELECT seq, amount, status FROM entries WHERE terminal = ? "
                            "ORDER BY seq", (terminal,)).fetchall()


def scenario(term: TerminalService, transport: FaultTransport, cards: list[str],
             faults: list[str]) -> None:
    """One online spend (faults on authorize and on the best-effort push), two offline spends,
    then syncs with faults on push and pull."""
    for fault in faults:
        transport.add(fault, "/v1/authorize")
        transport.add(fault, "/v1/journal")
    online = term.redeem(cards[0], "10.00")
    assert (online.status, online.offline) == ("approved", False)
    transport.down_paths.add("/v1/authorize")
    for code in cards[1:3]:
        offline = term.redeem(code, "10.00")
        assert (offline.status, offline.offline) == ("approved", True)
    transport.down_paths.clear()
    transport.faults.clear()  # at most len(faults) per call below, within the retry allowance
    for fault in faults:
        transport.add(fault, "/v1/journal")
        transport.add(fault, "/v1/changes")
    term.sync()
    assert term.sync()["pushed"] == 0


@pytest.mark.parametrize("faults", [
    ["refused"], ["timeout"], ["503"], ["drop"], ["drop", "drop"], ["503", "drop", "timeout"],
])
def test_faults_end_in_fault_free_ledger(tmp_path: Path, central: LiveCentral,
                                         admin: AdminClient, faults: list[str]) -> None:
    clean_cards = issue(admin, "store-credit", 4)
    faulty_cards = issue(admin, "store-credit", 4)
    clean_tx, faulty_tx = FaultTransport(), FaultTransport()
    with new_terminal(tmp_path / "clean", central, admin, clean_tx) as clean, \
            new_terminal(tmp_path / "faulty", central, admin, faulty_tx) as faulty:
        clean.sync_timeout = faulty.sync_timeout = 5.0
        scenario(clean, clean_tx, clean_cards, [])
        scenario(faulty, faulty_tx, faulty_cards, faults)
        expected = [admin.card(c)["balance"] for c in clean_cards]
        assert expected == ["40.00", "40.00", "40.00", "50.00"]
        assert [admin.card(c)["balance"] for c in faulty_cards] == expected
        assert central_entries(central, faulty.identity().terminal_id) == \
            central_entries(central, clean.identity().terminal_id) == [
                (1, 1000, "applied"), (2, 1000, "applied"), (3, 1000, "applied")]
        assert [faulty.balance(c)["balance"] for c in faulty_cards] == expected
        assert faulty.verify().ok


def test_same_batch_twice_is_acknowledged_the_same(tmp_path: Path, central: LiveCentral,
                                                   admin: AdminClient) -> None:
    cards = issue(admin, "store-credit", 3)
    tx = FaultTransport()
    with new_terminal(tmp_path / "t", central, admin, tx) as term:
        tx.down_paths.add("/v1/authorize")
        for code in cards:
            assert term.redeem(code, "5.00").offline
        tx.down_paths.clear()
        entries = term.store.entries_after(0, 10)
        with term.client() as client:
            first = client.push(entries)
            second = client.push(entries)
            assert first.acked == second.acked == 3
        # The store never saw those acks, so sync sends the batch a third time: same answer.
        assert term.sync()["pushed"] == 3
        assert term.sync()["pushed"] == 0
        assert [admin.card(c)["balance"] for c in cards] == ["45.00"] * 3
        assert len(central_entries(central, term.identity().terminal_id)) == 3


def test_sync_fails_after_commit_then_resumes_exactly_once(tmp_path: Path,
                                                           central: LiveCentral,
                                                           admin: AdminClient) -> None:
    code, = issue(admin, "store-credit")
    tx = FaultTransport()
    with new_terminal(tmp_path / "t", central, admin, tx) as term:
        tx.down_paths.add("/v1/authorize")
        assert term.redeem(code, "5.00").offline
        tx.down_paths.clear()
        tx.add("drop", "/v1/journal", times=10)  # central commits; every answer is lost
        with pytest.raises(CentralUnreachable):
            term.sync()
        tx.faults.clear()
        term.sync()
        assert central_entries(central, term.identity().terminal_id) == [(1, 500, "applied")]
        assert admin.card(code)["balance"] == "45.00"
