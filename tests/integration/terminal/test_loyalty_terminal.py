"""The terminal service's loyalty jobs against the REAL central on loopback: commit refuses a
stale quote, burning points offline follows the program's floor policy while earning is always
allowed, gift-card redeems honour `valid_when`, and an unreadable program version never
replaces the one in force."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import text
from terminal_live import LiveCentral

from core.rules.basket import Basket, Line
from core.rules.choose import Choices
from pos_app.terminal.service import TerminalService
from wallet_sync.central.admin_client import AdminClient
from wallet_sync.central.db import Database
from wallet_sync.central.keys import load_central_key
from wallet_sync.protocol import Change, ChangePage, program_message


def enrolled(home: Path, central: LiveCentral, admin: AdminClient, **kw: object
             ) -> TerminalService:
    svc = TerminalService(home, authorize_timeout=1.5, sync_timeout=5.0, **kw)  # type: ignore[arg-type]
    assert "error" not in svc.enroll(central.url, admin.enroll_code("S1")["code"])["sync"]
    return svc


def journal_size(svc: TerminalService) -> int:
    with svc.store.read() as conn:
        return int(conn.execute(text("SELECT COUNT(*) FROM journal")).scalar() or 0)


def test_commit_refuses_a_quote_the_state_has_moved_past(tmp_path: Path, central: LiveCentral,
                                                         admin: AdminClient) -> None:
    code = admin.create_member("club", "DE")["code"]
    with enrolled(tmp_path / "t", central, admin) as svc:
        assert svc.earn(code, "150.00")["points_after"] == 300
        basket = Basket("EUR", (Line("SKU-COFFEE", "drinks", 1, 350),))
        stale = svc.quote(basket, [code])
        assert [r.reward for r in stale.quote.rewards] == ["coffee"]
        assert svc.earn(code, "100.00")["status"] == "earned"  # the account moved on
        before = journal_size(svc)
        result = svc.commit(Choices(rewards=("coffee",), earn=False), stale)
        assert (result.status, result.reason) == ("declined", "quote_changed")
        assert journal_size(svc) == before
        fresh = svc.quote(basket, [code])
        done = svc.commit(Choices(rewards=("coffee",)), fresh)
        assert done.status == "committed" and [e["op"] for e in done.entries] == ["burn"]
        assert done.points[code] == 400


def test_offline_points_follow_the_floor_policy(tmp_path: Path, central: LiveCentral,
                                                admin: AdminClient) -> None:
    code = admin.create_member("club", "DE")["code"]
    with enrolled(tmp_path / "t", central, admin) as svc:
        assert svc.earn(code, "500.00")["points_after"] == 1000  # gold from now on
        svc.sync()
        central.stop()
        try:
            offline = svc.earn(code, "100.00")  # earning offline is always allowed
            assert (offline["status"], offline["offline"], offline["points_earned"]) == (
                "earned", True, 400)
            basket = Basket("EUR", (Line("SKU-COFFEE", "drinks", 1, 350),
                                    Line("SKU-BEANS", "coffee", 1, 6000)))
            q = svc.quote(basket, [code])
            assert q.offline and {r.reward for r in q.quote.rewards} == {"coffee", "five-off"}
            # 100 + 250 points is over floor_per_transaction (300 points) while offline ...
            both = svc.commit(Choices(rewards=("coffee", "five-off"), earn=False), q)
            assert (both.status, both.reason) == ("declined", "offline_limit")
            # ... one reward is within it.
            one = svc.commit(Choices(rewards=("five-off",), earn=False), q)
            assert one.status == "committed" and one.offline and one.points[code] == 1150
        finally:
            central.start()
        assert svc.sync()["pushed"] >= 2
        assert admin.member(code)["points"] == 1150
        with svc.store.read() as conn:  # the member replica names no member (issue 13)
            rows = conn.execute(text("SELECT code, data FROM members")).all()
        assert rows and all(c.startswith("h:") and code not in c + d for c, d in rows)


def test_weekend_voucher_is_refused_on_a_weekday(tmp_path: Path, central: LiveCentral,
                                                 admin: AdminClient) -> None:
    voucher = admin.issue_cards("gift-weekend", 1, "10.00", True)["cards"][0]["code"]
    wednesday = int(dt.datetime(2030, 5, 8, 12, tzinfo=dt.UTC).timestamp() * 1000)
    with enrolled(tmp_path / "t", central, admin) as svc:
        pass
    with TerminalService(tmp_path / "t", clock=lambda: wednesday) as svc:
        result = svc.redeem(voucher, "5.00")
        assert (result.status, result.reason) == ("declined", "not_valid_now: now.weekday")
        q = svc.quote(Basket("EUR", (), 500), [voucher])
        assert q.quote.refusal(f"gift:{voucher}").code == "not_valid_now: now.weekday"


def test_unreadable_program_version_keeps_the_previous(tmp_path: Path, central: LiveCentral,
                                                       admin: AdminClient) -> None:
    with enrolled(tmp_path / "t", central, admin) as svc:
        with svc.store.read() as conn:
            before = conn.execute(text("SELECT version, change_seq FROM programs "
                                       "WHERE id = 'club'")).one()
        broken = {"id": "club", "kind": "loyalty", "currency": "EUR",
                  "eligibility": "customer.contry == 'DE'"}
        db = Database(central.db_url)  # central signed it (an older build wrote it, say)
        with db.read() as session:
            key = load_central_key(session)
        db.dispose()
        assert key is not None
        signature = key.sign(program_message("club", 99, broken))
        page = ChangePage(cursor_from=0, cursor=10**9, more=False, acked_seq=0,
                          server_time=0, changes=[Change(
                              change_seq=10**9, kind="program", key="club",
                              data={"id": "club", "version": 99, "definition": broken,
                                    "signature": signature})])
        svc.store.apply_page(page)
        with svc.store.read() as conn:
            after = conn.execute(text("SELECT version, change_seq FROM programs "
                                      "WHERE id = 'club'")).one()
        assert tuple(after) == tuple(before)
