"""A manager at a real terminal against a real central: sells a printed card (activate + load,
online only), blocks and unblocks a card, and closes the day with a signed `close` entry whose
totals add up and whose grand total carries over; central applies or records every entry."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from core.errors import Declined  # noqa: E402
from core.journal import EntryBody  # noqa: E402
from core.money import parse_minor  # noqa: E402
from pos_app.terminal.service import TerminalService  # noqa: E402
from wallet_sync.central.admin_client import AdminClient  # noqa: E402


def people(world):
    return ({s["role"]: s["id"] for s in world.staff}["manager"],
            {s["role"]: s["id"] for s in world.staff}["cashier"])


def test_sold_card_is_activated_loaded_and_spendable_only_after(world):
    manager, cashier = people(world)
    sold = next(c["code"] for c in world.cards if not c["active"])
    with TerminalService(world.terminal_home) as t:
        assert t.redeem(sold, "1.00").reason == "card_inactive"  # never activated: not spendable
        with pytest.raises(Declined) as refused:
            t.activate_and_load(sold, "20.00", cashier)
        assert refused.value.reason == "manager_required"
        with pytest.raises(Declined) as mismatch:  # 25.00 is on the card: not loaded on top
            t.activate_and_load(sold, "20.00", manager)
        assert mismatch.value.reason == "face_value_mismatch"
        done = t.activate_and_load(sold, "25.00", manager)  # what the customer paid
        assert (done["state"], done["balance"], done["synced"]) == ("active", "25.00", True)
        assert [e["op"] for e in done["entries"]] == ["activate"]
        topped = t.activate_and_load(sold, "20.00", manager)  # an active card is topped up
        assert (topped["balance"], [e["op"] for e in topped["entries"]]) == ("45.00", ["load"])
        assert t.redeem(sold, "5.00").status == "approved"
    with AdminClient(world.central.url, world.admin_key) as admin:
        assert admin.card(sold)["state"] == "active"
        assert admin.conflicts()["conflicts"] == []


def test_selling_a_card_needs_central(world):
    manager, _ = people(world)
    sold = next(c["code"] for c in world.cards if not c["active"])
    world.central.stop()
    with TerminalService(world.terminal_home, sync_timeout=10.0, retries=0) as t:
        before = t.status()["last_seq"]
        with pytest.raises(Declined) as refused:
            t.activate_and_load(sold, "", manager)
        assert refused.value.reason == "needs_central"
        assert t.status()["last_seq"] == before  # nothing journaled


def test_block_then_unblock_here_and_at_central(world):
    manager, _ = people(world)
    code = world.cards[0]["code"]
    with TerminalService(world.terminal_home) as t:
        t.set_blocked(code, True, manager, "reported lost")
        assert t.redeem(code, "1.00").reason == "card_blocked"
        t.sync()
        with AdminClient(world.central.url, world.admin_key) as admin:
            assert admin.card(code)["state"] == "blocked"
        t.set_blocked(code, False, manager, "found again")
        t.sync()
        assert t.balance(code)["state"] == "active"
        with AdminClient(world.central.url, world.admin_key) as admin:
            assert admin.card(code)["state"] == "active"
            assert admin.conflicts()["conflicts"] == []


def test_void_a_redemption_restores_the_balance_once(world):
    manager, cashier = people(world)
    code = world.cards[0]["code"]
    with TerminalService(world.terminal_home) as t:
        t.sync()
        with AdminClient(world.central.url, world.admin_key) as admin:
            before = admin.card(code)["balance"]
        spent = t.redeem(code, "10.00")
        assert spent.status == "approved"
        with pytest.raises(Declined) as refused:
            t.void_redemption(spent.seq, "wrong card", cashier)
        assert refused.value.reason == "manager_required"
        done = t.void_redemption(spent.seq, "wrong card", manager)
        assert (done["status"], done["amount"], done["balance"], done["synced"]) == (
            "voided", "10.00", before, True)
        body = EntryBody.decode(bytes(next(r["data"] for r in t.store.journal_rows()
                                           if r["seq"] == done["entries"][0]["seq"])))
        assert (body.op, body.ref, body.staff, body.extra) == (
            "void", spent.seq, manager, {"reason": "wrong card"})
        last = t.status()["last_seq"]
        with pytest.raises(Declined) as again:
            t.void_redemption(spent.seq, "again", manager)
        assert again.value.reason == "already_voided"
        with pytest.raises(Declined) as not_redeem:
            t.void_redemption(body.seq, "a void", manager)
        assert not_redeem.value.reason == "not_a_redeem"
        assert t.status()["last_seq"] == last  # refusals journal nothing
    with AdminClient(world.central.url, world.admin_key) as admin:
        assert admin.card(code)["balance"] == before
        assert admin.conflicts()["conflicts"] == []


def test_voiding_needs_central(world):
    manager, _ = people(world)
    with TerminalService(world.terminal_home) as t:
        spent = t.redeem(world.cards[0]["code"], "1.00")
    world.central.stop()
    with TerminalService(world.terminal_home, sync_timeout=10.0, retries=0) as t:
        last = t.status()["last_seq"]
        with pytest.raises(Declined) as refused:
            t.void_redemption(spent.seq, "mistake", manager)
        assert refused.value.reason == "needs_central"
        assert t.status()["last_seq"] == last


@pytest.mark.parametrize("blocked_first", [False, True])
def test_move_a_lost_cards_balance_to_a_new_card(world, blocked_first):
    manager, cashier = people(world)
    lost = world.cards[0]["code"]
    new = next(c["code"] for c in world.cards if not c["active"])
    with TerminalService(world.terminal_home) as t:
        t.redeem(lost, "5.00")
        t.sync()
        with AdminClient(world.central.url, world.admin_key) as admin:
            left, had = admin.card(lost)["balance"], admin.card(new)["balance"]
        with pytest.raises(Declined) as refused:
            t.transfer_balance(lost, new, "lost", cashier)
        assert refused.value.reason == "manager_required"
        if blocked_first:  # reported lost and blocked before the customer came back
            t.set_blocked(lost, True, manager, "lost")
        done = t.transfer_balance(lost, new, "lost", manager)
        assert (done["amount"], done["balance_from"], done["state_from"], done["state_to"],
                done["synced"]) == (left, "0.00", "blocked", "active", True)
        ops = [e["op"] for e in done["entries"]]
        assert ops == (["redeem"] if blocked_first else ["redeem", "block"]) + ["activate", "load"]
        rows = {r["seq"]: EntryBody.decode(bytes(r["data"])) for r in t.store.journal_rows()}
        bodies = [rows[e["seq"]] for e in done["entries"]]
        assert len({b.extra["txn"] for b in bodies}) == 1 and {b.staff for b in bodies} == {manager}
        assert bodies[0].extra["transfer_to"] == new and bodies[-1].extra["transfer_from"] == lost
        assert t.redeem(lost, "1.00").reason == "card_blocked"
        with pytest.raises(Declined) as empty:
            t.transfer_balance(lost, new, "lost", manager)
        assert empty.value.reason == "nothing_to_move"
        assert t.verify().ok
    with AdminClient(world.central.url, world.admin_key) as admin:
        old_card, new_card = admin.card(lost), admin.card(new)
        assert (old_card["balance"], old_card["state"]) == ("0.00", "blocked")
        assert new_card["state"] == "active"
        assert parse_minor(new_card["balance"], "EUR") == (parse_minor(had, "EUR")
                                                           + parse_minor(left, "EUR"))
        assert admin.conflicts()["conflicts"] == []


def test_moving_a_balance_needs_central(world):
    manager, _ = people(world)
    new = next(c["code"] for c in world.cards if not c["active"])
    world.central.stop()
    with TerminalService(world.terminal_home, sync_timeout=10.0, retries=0) as t:
        last = t.status()["last_seq"]
        with pytest.raises(Declined) as refused:
            t.transfer_balance(world.cards[0]["code"], new, "lost", manager)
        assert refused.value.reason == "needs_central"
        assert t.status()["last_seq"] == last


def test_manual_point_adjustment_reaches_central(world):
    manager, cashier = people(world)
    with AdminClient(world.central.url, world.admin_key) as admin:
        member = admin.create_member("club", "DE")["code"]
    with TerminalService(world.terminal_home) as t:
        t.sync()
        assert t.adjust_points(member, "100", "+", "welcome back", manager)["points_after"] == 100
        with pytest.raises(Declined) as refused:
            t.adjust_points(member, "30", "+", "goodwill", cashier)
        assert refused.value.reason == "manager_required"
        up = t.adjust_points(member, "30", "+", "goodwill", manager)
        assert (up["points_after"], up["synced"]) == (130, True)
        down = t.adjust_points(member, "120", "-", "scanned twice", manager)
        assert down["points_after"] == 10
        body = EntryBody.decode(bytes(next(r["data"] for r in t.store.journal_rows()
                                           if r["seq"] == down["entries"][0]["seq"])))
        assert (body.op, body.amount, body.staff, body.extra) == (
            "adjust", 120, manager, {"sign": "-", "reason": "scanned twice"})
        with pytest.raises(Declined) as overdraft:
            t.adjust_points(member, "11", "-", "too much", manager)
        assert overdraft.value.reason == "points_overdraft"
    with AdminClient(world.central.url, world.admin_key) as admin:
        assert admin.member(member)["points"] == 10
        assert admin.conflicts()["conflicts"] == []


def test_day_close_totals_and_perpetual_grand_total(world):
    manager, _ = people(world)
    code = world.cards[0]["code"]
    with TerminalService(world.terminal_home) as t:
        t.redeem(code, "10.00")
        t.redeem(code, "2.50")
        first = t.close_day(manager)
        assert first.number == 1 and first.totals == {"redeem": {"EUR": [2, 1250]}}
        t.redeem(code, "1.00")
        second = t.close_day(manager)
        assert second.number == 2 and second.totals == {"redeem": {"EUR": [1, 100]}}
        assert second.grand == {"redeem": {"EUR": [3, 1350]}}
        assert second.first_seq == first.seq + 1
        body = EntryBody.decode(bytes(next(r["data"] for r in t.store.journal_rows()
                                           if r["seq"] == second.seq)))
        assert (body.op, body.staff, body.extra["z"]) == ("close", manager, 2)
        assert t.verify().ok  # the close is part of the signed chain
        t.sync()
        with AdminClient(world.central.url, world.admin_key) as admin:
            assert admin.conflicts()["conflicts"] == []


def test_z_report_pdf(world, tmp_path):
    from pos_app.printing.z_report import report_lines, write_z_report

    manager, _ = people(world)
    with TerminalService(world.terminal_home) as t:
        t.redeem(world.cards[0]["code"], "3.00")
        report = t.close_day(manager)
    path = write_z_report(tmp_path / "z.pdf", report, "2026-01-01 18:00")
    assert path.read_bytes().startswith(b"%PDF")
    lines = report_lines(report, "2026-01-01 18:00")
    assert any("redeem" in ln and "3.00 EUR" in ln for ln in lines)
