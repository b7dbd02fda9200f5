"""What the manager's sync panel reads from a live terminal: the last sync error (kept when
central is stopped, still raised to the caller, cleared by the next good sync) and the store's
open conflict cases, fetched from the real central, kept, and shown marked stale while central
is unreachable."""

from __future__ import annotations

from pathlib import Path

import pytest
from terminal_live import LiveCentral, issue, new_terminal

from pos_app.terminal.service import TerminalService
from wallet_sync.central.admin_client import AdminClient
from wallet_sync.client import CentralUnreachable


def test_last_sync_error_is_kept_until_a_sync_goes_through(tmp_path: Path,
                                                           central: LiveCentral,
                                                           admin: AdminClient) -> None:
    code, = issue(admin, "store-credit")
    with new_terminal(tmp_path / "t", central, admin) as term:
        status = term.sync_status()
        assert status["last_error"] is None and status["outbox"] == 0
        assert (status["conflicts"], status["conflicts_as_of_ms"], status["conflicts_stale"]) \
            == ([], None, False)
        synced_at = status["last_sync_ms"]
        assert synced_at is not None
        term.authorize_timeout = 0.3
        central.stop()
        try:
            assert term.redeem(code, "5.00").offline is True
            before = term.clock()
            with pytest.raises(CentralUnreachable):  # the caller still gets the error
                term.sync()
            after = term.clock()
            status = term.sync_status()
            assert status["outbox"] == 1 and status["last_sync_ms"] == synced_at
            error = status["last_error"]
            assert error["reason"] == "central_unreachable"
            assert "unreachable" in error["message"]
            assert before <= error["at_ms"] <= after
            # status() keeps working for its callers (counter status bar, tasks).
            assert term.status()["outbox"] == 1
        finally:
            central.start()
        # Another process (the counter's sync lane) reads the same home.
        with TerminalService(tmp_path / "t") as other:
            assert other.sync_status()["last_error"]["reason"] == "central_unreachable"
        assert term.sync()["pushed"] == 1
        status = term.sync_status()
        assert status["last_error"] is None and status["outbox"] == 0
        assert status["last_sync_ms"] >= synced_at


def test_store_cases_are_kept_and_shown_stale_while_central_is_down(
        tmp_path: Path, central: LiveCentral, admin: AdminClient) -> None:
    code, = issue(admin, "store-credit", value="50.00")
    with new_terminal(tmp_path / "a", central, admin) as a, \
            new_terminal(tmp_path / "b", central, admin) as b, \
            TerminalService(tmp_path / "c", sync_timeout=5.0) as elsewhere:
        elsewhere.enroll(central.url, admin.enroll_code("S2")["code"])
        # a spends offline on its replica's 50.00 while b spends 45.00 online: a overdraws.
        a.authorize_timeout = 0.3
        central.stop()
        try:
            assert a.redeem(code, "20.00").offline is True
        finally:
            central.start()
        assert b.redeem(code, "45.00").offline is False
        b.sync()
        assert a.sync()["conflicts"] == 1

        fetched = b.refresh_conflicts()  # another till of the same store sees a's case
        [case] = fetched["conflicts"]
        assert (case["reason"], case["card"], case["terminal"], case["shortfall"],
                case["currency"], case["status"]) == \
            ("overdraft", code, a.identity().terminal_id, "15.00", "EUR", "open")
        assert fetched["conflicts_stale"] is False
        as_of = fetched["conflicts_as_of_ms"]
        assert isinstance(as_of, int)
        assert b.sync_status()["conflicts"] == [case]
        assert a.refresh_conflicts()["conflicts"] == [case]
        assert elsewhere.refresh_conflicts()["conflicts"] == []  # store S2 does not see it

        central.stop()
        try:
            stale = b.refresh_conflicts()  # no exception: the kept list, said to be stale
            assert stale["conflicts"] == [case]
            assert (stale["conflicts_as_of_ms"], stale["conflicts_stale"]) == (as_of, True)
            assert b.sync_status()["conflicts_stale"] is True
            with TerminalService(tmp_path / "fresh-home") as never_enrolled:
                assert never_enrolled.sync_status()["conflicts"] == []
        finally:
            central.start()

        admin.resolve_conflict(case["id"], "customer paid the difference")
        again = b.refresh_conflicts()
        assert (again["conflicts"], again["conflicts_stale"]) == ([], False)
        assert again["conflicts_as_of_ms"] >= as_of
