"""A store manager issues batches of physical gift cards at a real terminal against a real
central: online, then offline from the terminal's own code pool; central creates the cards when
the `issue` entries arrive; a card sells by activation and only then spends; the printed sheet
scans back to exactly the batch."""

import os
import sqlite3
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "unit" / "printing"))

import pytest  # noqa: E402
from sheet_reader import decode_sheet  # noqa: E402

from core.errors import Declined, InvalidInput  # noqa: E402
from core.journal import EntryBody  # noqa: E402
from pos_app.terminal import issuing  # noqa: E402
from pos_app.terminal.service import TerminalService  # noqa: E402
from wallet_sync.central.admin_client import AdminClient  # noqa: E402


def manager_of(world):
    return next(s["id"] for s in world.staff if s["role"] == "manager")


def test_online_batch_is_confirmed_at_once_and_sells_by_activation(world):
    manager = manager_of(world)
    with TerminalService(world.terminal_home) as t:
        out = t.issue_cards("gift-eur", 3, manager)
        assert (out["count"], out["value"], out["offline"], out["synced"]) == (3, "50.00", False,
                                                                               True)
        codes = [c["code"] for c in out["cards"]]
        assert len(set(codes)) == 3 and not set(codes) & {c["code"] for c in world.cards}
        with AdminClient(world.central.url, world.admin_key) as admin:
            for code in codes:
                assert (admin.card(code)["state"], admin.card(code)["balance"]) == (
                    "inactive", "50.00")
            assert admin.conflicts()["conflicts"] == []
        assert t.redeem(codes[0], "1.00").reason == "card_inactive"  # not sold yet
        sold = t.activate_and_load(codes[0], "", manager)  # face value: activation sells it
        assert (sold["state"], sold["balance"]) == ("active", "50.00")
        assert [e["op"] for e in sold["entries"]] == ["activate"]
        assert t.redeem(codes[0], "20.00").status == "approved"
        assert t.balance(codes[0])["balance"] == "30.00"
        # the pool is started and kept topped up for offline issuing
        ready = {p["program"]: p["ready_offline"] for p in t.issuing_programs()}
        assert ready["gift-eur"] >= issuing.POOL_LOW


def test_offline_batch_uses_the_pool_and_central_confirms_at_sync(world):
    manager = manager_of(world)
    with TerminalService(world.terminal_home, sync_timeout=10.0, retries=0) as t:
        t.top_up_pool("store-credit", 8)
        world.central.stop()
        try:
            before = t.status()["last_seq"]
            out = t.issue_cards("store-credit", 5, manager, value="20.00",
                                expires="2031-12-31")
            assert (out["offline"], out["synced"], out["count"]) == (True, False, 5)
            codes = [c["code"] for c in out["cards"]]
            for code in codes:  # in the replica at once, inactive with its face value
                assert (t.balance(code)["state"], t.balance(code)["balance"]) == (
                    "inactive", "20.00")
            assert t.status()["last_seq"] == before + 5
            with pytest.raises(Declined) as short:  # 3 left in the pool
                t.issue_cards("store-credit", 4, manager)
            assert short.value.reason == "code_pool_short"
            assert t.status()["last_seq"] == before + 5  # nothing journaled for it
            with pytest.raises(Declined) as offline_sale:
                t.activate_and_load(codes[0], "", manager)
            assert offline_sale.value.reason == "needs_central"
        finally:
            world.central.start()
        t.sync()
        rows = [EntryBody.decode(r["data"]) for r in t.store.journal_rows()[before:]]
        assert {(b.op, b.amount, b.extra["batch"]) for b in rows} == {
            ("issue", 2000, out["batch"])}
        assert all(b.offline and b.staff == manager for b in rows)
        with AdminClient(world.central.url, world.admin_key) as admin:
            for code in codes:
                assert (admin.card(code)["state"], admin.card(code)["balance"]) == (
                    "inactive", "20.00")
            assert admin.conflicts()["conflicts"] == []
        with pytest.raises(Declined) as mismatch:  # 20.00 is on it: selling it is activating
            t.activate_and_load(codes[1], "5.00", manager)
        assert mismatch.value.reason == "face_value_mismatch"
        assert t.activate_and_load(codes[1], "20.00", manager)["balance"] == "20.00"


def test_printed_batch_scans_back_as_genuine_cards(world, tmp_path):
    manager = manager_of(world)
    with TerminalService(world.terminal_home) as t:
        out = t.issue_cards("gift-eur", 12, manager, value="25.00")
        issued = {c["code"]: c["qr"] for c in out["cards"]}
        printed = t.print_batch(out["batch"], tmp_path / "sheet.pdf", "a4")
        assert (printed["cards"], printed["pages"]) == (12, 2)
        scanned = [qr for page in decode_sheet(tmp_path / "sheet.pdf") for qr in page]
        assert sorted(scanned) == sorted(issued.values())
        for qr in scanned:  # the counter's own check: central's signature, this card
            found = t.identify(qr)
            assert found.kind == "credential" and issued[found.code] == qr
        latest = t.batches()[0]
        assert (latest["batch"], latest["program"], latest["count"]) == (out["batch"],
                                                                         "gift-eur", 12)
        one = t.print_batch(out["batch"], tmp_path / "cards.pdf", "card")
        assert one["pages"] == 12  # a card printer takes one CR80 card per page
    # The reprint came from the pool, yet the pool holds neither the codes nor their QR: the
    # code's keyed hash, and both sealed with the terminal's key (issue 13). (The journal's
    # issue entries name the codes: central must read them.)
    with sqlite3.connect(world.terminal_home / "terminal.db") as db:
        pool = db.execute("SELECT code, qr FROM code_pool").fetchall()
    assert pool and all(c.startswith("h:") and q.startswith("s1:") for c, q in pool)
    assert not {c for c, _ in pool} & set(issued) and not {q for _, q in pool} & set(
        issued.values())


def test_refusals_change_nothing(world):
    manager = manager_of(world)
    cashier = next(s["id"] for s in world.staff if s["role"] == "cashier")
    with TerminalService(world.terminal_home) as t:
        before = t.status()["last_seq"]
        for call, reason in [
            (lambda: t.issue_cards("gift-eur", 2, cashier), "manager_required"),
            (lambda: t.issue_cards("gift-eur", 0, manager), "invalid_count"),
            (lambda: t.issue_cards("gift-eur", 501, manager), "invalid_count"),
            (lambda: t.issue_cards("club", 2, manager), "unknown_program"),
            (lambda: t.issue_cards("gift-eur", 2, manager, value="-5"), "invalid_amount"),
            (lambda: t.issue_cards("gift-eur", 2, manager, expires="2001-01-01"),
             "invalid_date"),
            (lambda: t.issue_cards("gift-eur", 2, manager, expires="31/12/2030"),
             "invalid_date"),
            (lambda: t.print_batch("nope", "/tmp/x.pdf"), "unknown_batch"),
        ]:
            with pytest.raises((Declined, InvalidInput)) as refused:
                call()
            assert refused.value.reason == reason
        assert t.status()["last_seq"] == before
