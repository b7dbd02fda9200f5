"""A manager at a real terminal against a real central: sells a printed card (activate + load,
online only), blocks and unblocks a card, and closes the day with a signed `close` entry whose
totals add up and whose grand total carries over; central applies or records every entry."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from core.errors import Declined  # noqa: E402
from core.journal import EntryBody  # noqa: E402
from pos_app import demo  # noqa: E402
from pos_app.terminal.service import TerminalService  # noqa: E402
from wallet_sync.central.admin_client import AdminClient  # noqa: E402


@pytest.fixture
def world(tmp_path):
    w = demo.build(tmp_path / "demo")
    yield w
    w.central.stop()


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
        done = t.activate_and_load(sold, "20.00", manager)
        assert (done["state"], done["balance"], done["synced"]) == ("active", "45.00", True)
        assert [e["op"] for e in done["entries"]] == ["activate", "load"]
        assert t.redeem(sold, "5.00").status == "approved"
    with AdminClient(world.central.url, world.admin_key) as admin:
        assert admin.card(sold)["state"] == "active"
        assert admin.conflicts()["conflicts"] == []


def test_selling_a_card_needs_central(world):
    manager, _ = people(world)
    sold = next(c["code"] for c in world.cards if not c["active"])
    world.central.stop()
    with TerminalService(world.terminal_home, sync_timeout=1.0, retries=0) as t:
        before = t.status()["last_seq"]
        with pytest.raises(Declined) as refused:
            t.activate_and_load(sold, "20.00", manager)
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
