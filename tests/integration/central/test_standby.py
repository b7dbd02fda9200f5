"""Reads from a hot standby (`central serve --read-db`): a real PostgreSQL primary and a
streaming standby (pg_basebackup), central reading pulls from the standby, a terminal
bootstrapping through it, and the lag rule: a pull never misses a change and never shows one
the terminal must not see yet, while the standby's replay is paused."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select

from pos_app.terminal.service import TerminalService
from wallet_sync.central.admin_client import AdminClient
from wallet_sync.central.embedded import EmbeddedCentral
from wallet_sync.central.routes.sync import READ_FROM
from wallet_sync.central.setup import init_central
from wallet_sync.central.tables import Card

from .helpers import Term
from .pg_standby import StandbyPair, bindir

PROGRAMS = Path("/work/shared/examples/programs.yaml")


@pytest.fixture(scope="module")
def pair() -> Iterator[StandbyPair]:
    found = bindir()
    if found is None:
        if os.environ.get("WALLETPOS_CI") == "1":
            pytest.fail("PostgreSQL's server programs (pg_config --bindir) are missing in CI")
        pytest.skip("PostgreSQL server programs not installed")
    started = StandbyPair(found).start()
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def central(pair: StandbyPair) -> Iterator[tuple[EmbeddedCentral, str]]:
    admin_key = init_central(pair.primary_url)["admin_key"]
    live = EmbeddedCentral(pair.primary_url, read_url=pair.standby_url).start()
    with AdminClient(live.url, admin_key) as admin:
        admin.load_programs(PROGRAMS.read_text(), "yaml", "programs.yaml")
    pair.replayed()
    try:
        yield live, admin_key
    finally:
        live.stop()


def _issue(admin: AdminClient, count: int) -> list[str]:
    return [c["code"] for c in admin.issue_cards("gift-eur", count, "50.00", True)["cards"]]


def _seqs(db_url: str, codes: list[str]) -> dict[str, int]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(Card.code, Card.change_seq).where(Card.code.in_(codes)))
            return {code: int(seq) for code, seq in rows}
    finally:
        engine.dispose()


def _page(term: Term, cursor: int) -> httpx.Response:
    resp = term.changes(cursor)
    assert resp.status_code == 200, resp.text
    return resp


def test_terminal_bootstraps_from_standby(central: tuple[EmbeddedCentral, str],
                                          pair: StandbyPair, tmp_path: Path) -> None:
    live, admin_key = central
    with AdminClient(live.url, admin_key) as admin:
        codes = _issue(admin, 1200)  # more than one page of the feed
        pair.replayed()
        svc = TerminalService(tmp_path / "till", authorize_timeout=5.0, sync_timeout=10.0)
        try:
            out = svc.enroll(live.url, admin.enroll_code("S1")["code"])
            assert "error" not in out["sync"], out
            for code in (codes[0], codes[600], codes[-1]):
                assert svc.balance(code)["balance"] == "50.00"
        finally:
            svc.close()
    with httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {admin_key}"},
                      timeout=10) as http:
        term = Term(http)
        first = _page(term, 0)
        assert first.headers[READ_FROM] == "standby"
        assert first.json()["page"]["more"] is True


def test_lagging_standby_misses_nothing(central: tuple[EmbeddedCentral, str],
                                        pair: StandbyPair, tmp_path: Path) -> None:
    live, admin_key = central
    admin = AdminClient(live.url, admin_key)
    http = httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {admin_key}"},
                        timeout=10)
    svc = TerminalService(tmp_path / "till", authorize_timeout=5.0, sync_timeout=10.0)
    try:
        spent = _issue(admin, 1)[0]
        svc.enroll(live.url, admin.enroll_code("S1")["code"])
        result = svc.redeem(spent, "20.00")
        assert (result.status, result.offline) == ("approved", False)
        svc.sync()
        pair.replayed()
        term = Term(http)
        cursor = 0
        while True:  # read the whole feed, as a terminal would
            page = _page(term, cursor).json()["page"]
            cursor = page["cursor"]
            if not page["more"]:
                break

        pair.replay(paused=True)
        try:
            fresh = _issue(admin, 3)
            # The standby has not replayed the new cards: a pull at the terminal's cursor is
            # answered there, with nothing new and the same cursor, so nothing is skipped.
            stale = _page(term, cursor)
            assert stale.headers[READ_FROM] == "standby"
            assert stale.json()["page"]["changes"] == []
            assert stale.json()["page"]["cursor"] == cursor
            # A cursor beyond what the standby has replayed (one a terminal got from the
            # primary, say) is answered by the primary.
            first_fresh = min(_seqs(pair.primary_url, fresh).values())
            ahead = _page(term, first_fresh)
            assert ahead.headers[READ_FROM] == "primary"
            seen = {ch["key"] for ch in ahead.json()["page"]["changes"]}
            assert len(set(fresh) & seen) == 2  # all but the one at that cursor
            # The till syncs during the lag: its view of the card it spent online stays
            # right (the standby's balance and acked_seq are one consistent, older snapshot).
            svc.sync()
            assert svc.balance(spent)["balance"] == "30.00"
        finally:
            pair.replay(paused=False)
        pair.replayed()
        svc.sync()
        for code in fresh:
            assert svc.balance(code)["balance"] == "50.00"
        assert svc.balance(spent)["balance"] == "30.00"
        assert _page(term, cursor).headers[READ_FROM] == "standby"
    finally:
        svc.close()
        http.close()
        admin.close()


def test_serve_refuses_a_standby_that_is_not_postgresql(tmp_path: Path) -> None:
    db = tmp_path / "central.db"
    init_central(f"sqlite:///{db}")
    done = subprocess.run([sys.executable, "-m", "pos_app.cli", "central", "serve", "--db",
                           str(db), "--read-db", "postgresql://postgres@127.0.0.1:1/x",
                           "--port", "0"], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "bad_read_db" in done.stdout + done.stderr
