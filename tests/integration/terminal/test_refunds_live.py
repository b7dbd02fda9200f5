"""Refunds of an order (issue 16 part 2) against the REAL central on loopback: a two-card order
refunded whole goes back last-used card first, lines refunded give back their share and take
back the points earned on them, the same lines twice or more than was paid are refused, a
refund made offline is applied once at the next sync (the drop and the replay included), and
central's liability and webhook events count a refund as redeemed given back; a books-only card
is not refunded for the pens; the CLI finds the order by its receipt's QR."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from terminal_live import FaultTransport, LiveCentral, issue

from core.errors import Declined
from core.journal import EntryBody
from pos_app.terminal.redeem import OrderInput
from pos_app.terminal.service import TerminalService
from wallet_sync.central.admin_client import AdminClient

MIXED = [{"sku": "NOVEL", "category": "books", "qty": 1, "price": "60.00"},
         {"sku": "ATLAS", "category": "books", "qty": 1, "price": "20.00"},
         {"sku": "PEN", "category": "office", "qty": 2, "price": "10.00"}]


@pytest.fixture
def shop(tmp_path: Path, central: LiveCentral, admin: AdminClient):  # type: ignore[no-untyped-def]
    manager = admin.create_staff("S1", "Mia", "manager", "246813")["id"]
    cashier = admin.create_staff("S1", "Cai", "cashier", "135791")["id"]
    faults = FaultTransport()
    svc = TerminalService(tmp_path / "till", transport=faults, authorize_timeout=10.0,
                          sync_timeout=10.0)
    assert "error" not in svc.enroll(central.url, admin.enroll_code("S1")["code"])["sync"]
    yield svc, manager, cashier, faults
    svc.close()


def bodies(svc: TerminalService, op: str) -> list[EntryBody]:
    with svc.store.read() as conn:
        rows = conn.execute(text("SELECT data FROM journal WHERE op = :o ORDER BY seq"),
                            {"o": op}).scalars().all()
    return [EntryBody.decode(bytes(r)) for r in rows]


def central_rows(tmp_path: Path, sql: str) -> list[Any]:
    engine = create_engine(f"sqlite:///{tmp_path / 'central.db'}")
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql)).all())
    finally:
        engine.dispose()


def liability_holds(admin: AdminClient) -> None:
    for p in admin.liability()["programs"]:
        v = {k: int(str(p[k]).replace(".", "")) for k in
             ("issued", "loaded", "redeemed", "expired", "voided", "outstanding")}
        assert v["issued"] + v["loaded"] - v["redeemed"] - v["expired"] - v["voided"] \
            == v["outstanding"], p


def test_whole_refund_of_a_two_card_order_goes_back_last_card_first(
        tmp_path: Path, shop: Any, admin: AdminClient) -> None:
    svc, manager, cashier, _ = shop
    admin.add_webhook("https://hooks.example.test/wp", ["redemption.refunded"])
    small, = issue(admin, "store-credit", value="20.00")
    big, = issue(admin, "store-credit", value="50.00")
    svc.sync()
    paid = svc.pay([big, small], None, order=OrderInput(total="60.00"))
    assert [(p.code, p.amount) for p in paid.parts] == [(small, 2000), (big, 4000)]
    with pytest.raises(Declined) as refused:
        svc.refund(paid.order, staff=cashier)
    assert refused.value.reason == "manager_required"
    done = svc.refund("WPO:" + paid.order, staff=manager, reason="returned")
    assert (done["status"], done["amount"], done["whole"], done["synced"]) == \
        ("refunded", "60.00", True, True)
    # Reverse order of use: the card used last gets its part back first.
    assert [(p["card"], p["amount"], p["of"]) for p in done["parts"]] == \
        [(big, "40.00", "redeem"), (small, "20.00", "redeem")]
    refunds = bodies(svc, "refund")
    redeems = {b.card: b.seq for b in bodies(svc, "redeem")}
    assert [(b.card, b.ref, b.amount, b.extra["order"], b.staff) for b in refunds] == \
        [(big, redeems[big], 4000, paid.order, manager),
         (small, redeems[small], 2000, paid.order, manager)]
    assert (admin.card(small)["balance"], admin.card(big)["balance"]) == ("20.00", "50.00")
    assert svc.balance(big)["balance"] == "50.00"  # pulled back after central applied it
    # Twice: refused, and nothing is written.
    for again in ({}, {"amount": "1.00"}):
        with pytest.raises(Declined) as twice:
            svc.refund(paid.order, staff=manager, **again)
        assert twice.value.reason in ("already_refunded", "refund_over_paid")
    assert len(bodies(svc, "refund")) == 2
    shown = svc.refund_view(paid.order)
    assert (shown["refunded"], shown["refundable"]) == ("60.00", "0.00")
    liability_holds(admin)
    events = central_rows(tmp_path, "SELECT data FROM outbox_events WHERE type = "
                                    "'redemption.refunded'")
    got = sorted((json.loads(d) if isinstance(d, str) else d)["amount"] for (d,) in events)
    assert got == ["20.00", "40.00"]
    assert not central_rows(tmp_path, "SELECT id FROM conflicts")


def test_lines_refund_gives_their_share_and_takes_back_points(
        tmp_path: Path, shop: Any, admin: AdminClient) -> None:
    svc, manager, _, _ = shop
    member = admin.create_member("club", "DE")["code"]
    card, = issue(admin, "store-credit", value="120.00")
    svc.sync()
    earned = svc.earn(member, None, MIXED)
    assert earned["status"] == "earned", earned
    points = earned["points_earned"]
    order = bodies(svc, "earn")[-1].extra["order"]
    paid = svc.pay([card], None, order=OrderInput(order))
    assert (paid.status, paid.amount) == ("approved", 10000)
    lines = svc.refund(order, staff=manager, lines=[{"sku": "NOVEL"}])
    assert (lines["amount"], lines["lines"], lines["whole"]) == ("60.00", [0], False)
    assert [(p["of"], p["amount"]) for p in lines["parts"]] == \
        [("redeem", "60.00"), ("earn", points * 60 // 100)]
    assert admin.card(card)["balance"] == "80.00"
    assert admin.member(member)["points"] == points - points * 60 // 100
    # The same line again, a line the order has not, more than is left: refused.
    with pytest.raises(Declined) as twice:
        svc.refund(order, staff=manager, lines=[0])
    assert twice.value.reason == "already_refunded"
    with pytest.raises(Declined) as over:
        svc.refund(order, staff=manager, amount="40.01")
    assert over.value.reason == "refund_over_paid"
    rest = svc.refund(order, staff=manager, lines=[{"sku": "ATLAS"}, {"sku": "PEN"}])
    assert (rest["amount"], rest["whole"]) == ("40.00", True)
    assert admin.card(card)["balance"] == "120.00"
    assert admin.member(member)["points"] == 0
    liability_holds(admin)
    assert not central_rows(tmp_path, "SELECT id FROM conflicts")


def test_offline_refund_is_applied_once_at_the_next_sync(
        tmp_path: Path, shop: Any, central: LiveCentral, admin: AdminClient) -> None:
    svc, manager, _, faults = shop
    card, = issue(admin, "store-credit", value="50.00")
    svc.sync()
    paid = svc.redeem(card, "30.00")
    assert paid.status == "approved" and not paid.offline
    central.stop()
    try:
        done = svc.refund(paid.order or "", staff=manager, amount="10.00")
        assert (done["synced"], done["amount"]) == (False, "10.00")
        # Offline the money is not spendable here before central has applied it.
        assert svc.balance(card)["balance"] == "20.00"
        again = svc.refund(paid.order or "", staff=manager, amount="20.00")
        with pytest.raises(Declined):
            svc.refund(paid.order or "", staff=manager, amount="0.01")
    finally:
        central.start()
    faults.add("drop")  # central applies the push; the answer is lost: the replay is a no-op
    svc.sync()
    svc.sync()
    assert admin.card(card)["balance"] == "50.00"
    assert again["whole"] is True
    rows = central_rows(tmp_path, "SELECT status FROM entries WHERE op = 'refund'")
    assert [r[0] for r in rows] == ["applied", "applied"]
    assert not central_rows(tmp_path, "SELECT id FROM conflicts")


def test_the_cli_finds_the_order_by_its_receipt_and_refunds_lines(
        tmp_path: Path, shop: Any, admin: AdminClient) -> None:
    from test_orders_live import walletpos

    svc, manager, _, _ = shop
    card, = issue(admin, "store-credit", value="120.00")
    svc.sync()
    paid = svc.pay([card], None, order=OrderInput(lines=MIXED))
    home = svc.home
    svc.close()
    status, shown = walletpos(home, "order", "WPO:" + paid.order)
    assert status == 0 and [ln["sku"] for ln in shown["lines"]] == ["NOVEL", "ATLAS", "PEN"]
    refund_file = tmp_path / "refund.json"
    refund_file.write_text(json.dumps([{"sku": "PEN"}]))
    status, done = walletpos(home, "refund", "--order", "WPO:" + paid.order, "--staff",
                             manager, "--lines", str(refund_file))
    assert (status, done["status"], done["amount"], done["lines"]) == \
        (0, "refunded", "20.00", [2]), done
    status, again = walletpos(home, "refund", "--order", paid.order, "--staff", manager,
                              "--lines", str(refund_file))
    assert (status, again["error"]) == (2, "already_refunded"), again
    status, over = walletpos(home, "refund", "--order", paid.order, "--staff", manager,
                             "--amount", "80.01")
    assert over["error"] == "refund_over_paid", over
    assert admin.card(card)["balance"] == "40.00"


def test_a_books_only_card_is_not_refunded_for_the_pens(shop: Any, admin: AdminClient) -> None:
    from test_orders_live import MIXED as BOOKS_AND_PENS
    from test_orders_live import programs

    svc, manager, _, _ = shop
    admin.load_programs(programs(), "yaml", "programs.yaml")
    books, = issue(admin, "books", value="30.00")
    credit, = issue(admin, "store-credit", value="50.00")
    svc.sync()
    # The store credit first, the books card last: refunded in reverse order, the books card
    # would come first — but it never paid the pens.
    paid = svc.pay([credit], "10.00", order=OrderInput(lines=BOOKS_AND_PENS))
    assert svc.pay([books], None, order=OrderInput(paid.order)).amount == 2000
    pens = svc.refund(paid.order, staff=manager, lines=[{"sku": "PEN"}])
    assert [(p["card"], p["amount"]) for p in pens["parts"]] == [(credit, "10.00")]
    rest = svc.refund(paid.order, staff=manager)
    assert [(p["card"], p["amount"]) for p in rest["parts"]] == [(books, "20.00")]
    assert (admin.card(books)["balance"], admin.card(credit)["balance"]) == ("30.00", "50.00")
