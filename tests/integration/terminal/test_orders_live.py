"""One order, one decision (issue 16), against the REAL central on loopback: a books-only card
pays the books of a mixed basket (the CLI with a lines file, the service, and central's own
re-check), a reward that does not combine with gift cards keeps them out of its order and the
other way round, several cards pay one order in the default order or as given — one signed
entry each naming the order, online and offline under the floor policy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from terminal_live import PROGRAMS, LiveCentral, issue

from core.journal import EntryBody
from pos_app.terminal.redeem import OrderInput
from pos_app.terminal.service import TerminalService
from wallet_sync.central.admin_client import AdminClient
from wallet_sync.protocol import AuthorizeRequest, OrderInfo, OrderLine

WALLETPOS = str(Path(sys.executable).with_name("walletpos"))
BOOKS = """
  - id: books
    kind: gift_card
    name: {en: "Book token", ja: "図書カード"}
    currency: EUR
    code_pattern: "BT-####-####"
    default_value: "30.00"
    valid_when: 'order.lines.all(l, l.category == "books")'
    offline:
      mode: floor
      floor_per_transaction: "50.00"
      terminal_total: "300.00"
      max_offline_hours: 24
"""
MIXED = [{"sku": "NOVEL", "category": "books", "qty": 1, "price": "15.00"},
         {"sku": "ATLAS", "category": "books", "qty": 1, "price": "5.00"},
         {"sku": "PEN", "category": "office", "qty": 2, "price": "5.00"}]
WITH_COFFEE = [{"sku": "SKU-COFFEE", "category": "drinks", "qty": 1, "price": "3.50"},
               {"sku": "CAKE", "category": "food", "qty": 1, "price": "46.50"}]


def programs(combine: bool = True) -> str:
    source = PROGRAMS.read_text(encoding="utf-8")
    if not combine:
        assert source.count("combine_with_gift_cards: true") == 1
        source = source.replace("combine_with_gift_cards: true", "combine_with_gift_cards: false")
    return source.rstrip("\n") + "\n" + BOOKS


@pytest.fixture
def till(tmp_path: Path, central: LiveCentral, admin: AdminClient):  # type: ignore[no-untyped-def]
    admin.load_programs(programs(), "yaml", "programs.yaml")
    svc = TerminalService(tmp_path / "till", authorize_timeout=10.0, sync_timeout=10.0)
    assert "error" not in svc.enroll(central.url, admin.enroll_code("S1")["code"])["sync"]
    yield svc
    svc.close()


def entry(svc: TerminalService, seq: int) -> EntryBody:
    with svc.store.read() as conn:
        data = conn.execute(text("SELECT data FROM journal WHERE seq = :s"), {"s": seq}).scalar()
    return EntryBody.decode(bytes(data))


def walletpos(home: Path, *args: str) -> tuple[int, dict[str, Any]]:
    proc = subprocess.run([WALLETPOS, "terminal", *args, "--json"], capture_output=True,
                          text=True, env={**os.environ, "WALLETPOS_HOME": str(home)},
                          timeout=60)
    assert proc.stdout.strip(), proc.stderr
    return proc.returncode, json.loads(proc.stdout.strip().splitlines()[-1])


def test_books_only_card_pays_the_books_of_a_mixed_basket(tmp_path: Path, till: TerminalService,
                                                          admin: AdminClient) -> None:
    (token,) = issue(admin, "books", value="30.00")
    till.sync()
    lines = tmp_path / "basket.json"
    lines.write_text(json.dumps(MIXED))
    home = str(till.home)
    till.close()
    # Without lines the card cannot be checked: declined as before, with the reason.
    status, out = walletpos(Path(home), "redeem", "--code", token, "--amount", "5.00")
    assert (status, out["status"], out["reason"]) == (0, "declined", "not_valid_now: order.lines")
    status, out = walletpos(Path(home), "redeem", "--code", token, "--amount", "25.00",
                            "--lines", str(lines))
    assert (out["status"], out["reason"]) == ("declined", "limit_reached: order.lines")
    status, out = walletpos(Path(home), "redeem", "--code", token, "--lines", str(lines))
    assert status == 0, out
    assert (out["status"], out["amount"], out["total"], out["to_pay"]) == \
        ("approved", "20.00", "30.00", "10.00")
    (part,) = out["parts"]
    assert (part["code"], part["amount"], part["balance_after"], part["offline"]) == \
        (token, "20.00", "10.00", False)
    with TerminalService(home) as svc:
        body = entry(svc, part["seq"])
        assert body.extra["order"] == out["order"] and body.auth is not None
        assert svc.order(out["order"])["to_pay"] == "10.00"
        svc.sync()
    assert admin.card(token)["balance"] == "10.00"
    # The host POS basket drop is read unchanged as a lines file too.
    drop = tmp_path / "drop.json"
    drop.write_text(json.dumps({"currency": "EUR", "lines": MIXED[:1]}))
    status, out = walletpos(Path(home), "redeem", "--code", token, "--amount", "10.00",
                            "--lines", str(drop))
    assert (out["status"], out["balance_after"]) == ("approved", "0.00")


def test_central_rechecks_the_lines_of_the_order(till: TerminalService,
                                                 admin: AdminClient) -> None:
    (token,) = issue(admin, "books", value="30.00")

    def ask(request_id: str, amount: str, lines: list[dict[str, Any]], order: str = "O-x1"
            ) -> tuple[str, str | None]:
        info = OrderInfo(id=order, total="0", lines=[OrderLine(**ln) for ln in lines])
        with till.client() as client:
            answer = client.authorize(AuthorizeRequest(request_id=request_id, card=token,
                                                       amount=amount, currency="EUR",
                                                       order=info), timeout=10.0)
        return answer.status, answer.reason

    # A terminal that claims more than the books: central says no on its own copy.
    assert ask("req-books-1", "25.00", MIXED) == ("declined", "limit_reached: order.lines")
    assert ask("req-books-2", "5.00", MIXED[2:], "O-x2") == \
        ("declined", "not_valid_now: order.lines")
    assert ask("req-books-3", "15.00", MIXED) == ("approved", None)
    # The same order: only what is left of its books.
    assert ask("req-books-4", "10.00", MIXED) == ("declined", "limit_reached: order.lines")
    assert ask("req-books-5", "5.00", MIXED) == ("approved", None)
    # The same order with another basket is refused.
    assert ask("req-books-6", "1.00", MIXED[:1]) == ("declined", "order_changed")


def test_a_reward_that_does_not_combine_keeps_gift_cards_out_of_its_order(
        till: TerminalService, admin: AdminClient) -> None:
    admin.load_programs(programs(combine=False), "yaml", "programs.yaml")
    till.sync()
    member = admin.create_member("club", "DE")["code"]
    (card,) = issue(admin, "store-credit", value="50.00")
    till.sync()
    assert till.earn(member, "150.00")["points_after"] == 300
    reward = till.redeem_reward(member, "coffee", lines=WITH_COFFEE)
    assert reward["status"] == "approved", reward
    order = reward["order"]
    paid = till.redeem(card, "10.00", order=OrderInput(order))
    assert (paid.status, paid.reason) == ("declined", "stacking: combine_with_gift_cards")
    # The other way round: a gift card first, then the reward on the same order.
    first = till.pay([card], "10.00", order=OrderInput(lines=WITH_COFFEE))
    assert first.status == "approved"
    late = till.redeem_reward(member, "coffee", order=first.order)
    assert (late["status"], late["reason"]) == ("declined", "stacking: combine_with_gift_cards")
    # Central refuses it on its own as well (a terminal whose copy of the rules was edited).
    with till.client() as client:
        from wallet_sync.protocol import PointsAuthorizeRequest
        answer = client.authorize_points(PointsAuthorizeRequest(
            request_id="req-points-1", member=member, program="club", points=100,
            order=OrderInfo(id=first.order, total="50.00",
                            lines=[OrderLine(**ln) for ln in WITH_COFFEE]),
            reward="coffee"), timeout=10.0)
        assert (answer.status, answer.reason) == ("declined", "stacking: combine_with_gift_cards")
        gift = client.authorize(AuthorizeRequest(
            request_id="req-after-reward", card=card, amount="1.00", currency="EUR",
            order=OrderInfo(id=order, total="50.00",
                            lines=[OrderLine(**ln) for ln in WITH_COFFEE])), timeout=10.0)
        assert (gift.status, gift.reason) == ("declined", "stacking: combine_with_gift_cards")


def test_several_cards_pay_one_order_in_the_default_order(till: TerminalService,
                                                          admin: AdminClient) -> None:
    big, small = [c["code"] for c in admin.issue_cards("store-credit", 2, "50.00", True)["cards"]]
    till.sync()
    assert till.redeem(small, "30.00").status == "approved"  # 20.00 left on it
    result = till.pay([big, small], None, order=OrderInput(total="60.00"))
    assert result.status == "approved"
    assert [(p.code, p.amount, p.balance_after) for p in result.parts] == \
        [(small, 2000, 0), (big, 4000, 1000)]
    assert result.to_pay == 0
    seqs = [p.seq for p in result.parts]
    assert len({entry(till, s).extra["order"] for s in seqs}) == 1  # one order, two entries
    assert till.verify().ok
    # As given: the bigger card first.
    again = till.pay([big, small], "5.00", order=OrderInput(total="5.00"), as_given=True)
    assert [(p.code, p.amount) for p in again.parts] == [(big, 500)]
    till.sync()
    assert (admin.card(big)["balance"], admin.card(small)["balance"]) == ("5.00", "0.00")
    # The CLI: several --code in one call; the empty card is dropped with its reason.
    status, out = walletpos(till.home, "redeem", "--code", small, "--code", big,
                            "--amount", "2.00")
    assert status == 0, out
    assert [(p["code"], p["amount"], p["balance_after"]) for p in out["parts"]] == \
        [(big, "2.00", "3.00")]
    assert out["dropped"] == [{"benefit": f"gift:{small}", "reason": "insufficient_funds"}]
    assert out["order"].startswith("O-") and out["to_pay"] == "0.00"


def test_several_cards_offline_under_the_floor_policy(till: TerminalService, central: LiveCentral,
                                                      admin: AdminClient) -> None:
    one, two = [c["code"] for c in admin.issue_cards("store-credit", 2, "50.00", True)["cards"]]
    till.sync()
    assert till.redeem(one, "35.00").status == "approved"  # 15.00 left
    till.sync()
    central.stop()
    try:
        result = till.pay([two, one], None, order=OrderInput(total="30.00"))
        assert [(p.code, p.amount, p.offline) for p in result.parts] == \
            [(one, 1500, True), (two, 1500, True)]
        # The floor's one-payment-per-card rule holds per card, across orders.
        again = till.pay([one, two], "5.00", order=OrderInput(total="5.00"))
        assert [p.reason for p in again.parts] == ["offline_card_used"]
    finally:
        central.start()
    assert till.sync()["conflicts"] == 0
    assert (admin.card(one)["balance"], admin.card(two)["balance"]) == ("0.00", "35.00")


def test_offline_the_order_still_decides(tmp_path: Path, central: LiveCentral,
                                         admin: AdminClient) -> None:
    """Central unreachable: the terminal's own order view keeps the books-only card on the
    books and a gift card out of an order whose reward does not combine; sync applies both."""
    admin.load_programs(programs(combine=False), "yaml", "programs.yaml")
    member = admin.create_member("club", "DE")["code"]
    (token,) = issue(admin, "books", value="30.00")
    (card,) = issue(admin, "store-credit", value="50.00")
    with TerminalService(tmp_path / "t", authorize_timeout=10.0, sync_timeout=10.0) as svc:
        assert "error" not in svc.enroll(central.url, admin.enroll_code("S1")["code"])["sync"]
        assert svc.earn(member, "150.00")["points_after"] == 300
        svc.sync()
        central.stop()
        try:
            books = svc.pay([token], None, order=OrderInput(lines=MIXED))
            assert [(p.amount, p.offline) for p in books.parts] == [(2000, True)]
            assert books.to_pay == 1000
            reward = svc.redeem_reward(member, "coffee", lines=WITH_COFFEE)
            assert (reward["status"], reward["offline"]) == ("approved", True), reward
            paid = svc.redeem(card, "5.00", order=OrderInput(reward["order"]))
            assert (paid.status, paid.reason) == ("declined", "stacking: combine_with_gift_cards")
        finally:
            central.start()
        assert svc.sync()["conflicts"] == 0
        assert svc.verify().ok
    assert (admin.card(token)["balance"], admin.card(card)["balance"]) == ("10.00", "50.00")
