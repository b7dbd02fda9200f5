"""Several gift cards on one basket at the counter (issue 16): the cards are shown in the order
they will be used (smallest balance first when they expire together), the cashier moves one
up, pays, and the receipt lists every card's part under one order id — each part its own
signed entry naming that order."""

from __future__ import annotations

import time

from counter_helpers import WAIT_MS, counter, idle, log_in
from PySide6.QtCore import Qt

from core.journal import EntryBody


def _scan(qtbot, window, code: str) -> None:
    window.handle_payload(code, time.monotonic())
    qtbot.waitUntil(lambda: window.card.code.text() == code, timeout=WAIT_MS)
    idle(qtbot, window)


def _rows(window) -> list[str]:
    return [window.cards.list.item(i).text() for i in range(window.cards.list.count())]


def _tail(code: str) -> str:
    return code.rsplit("-", 1)[-1]


def test_two_cards_in_the_order_of_use_reordered_and_paid(qtbot, world, tmp_path) -> None:
    big, small = world.cards["store-credit"]
    with world.service() as terminal:
        assert terminal.redeem(small, "30.00").status == "approved"  # 20.00 left on it
    lang = "en"
    with counter(qtbot, world, lang=lang) as window:
        log_in(qtbot, window)
        window.basket.amount.setText("60.00")
        _scan(qtbot, window, big)
        assert not window.cards.isVisible()  # one card: the card panel's Redeem as before
        _scan(qtbot, window, small)
        qtbot.waitUntil(lambda: window.cards.isVisible(), timeout=WAIT_MS)
        rows = _rows(window)
        assert rows[0].startswith("1. ") and _tail(small) in rows[0] and "€20.00" in rows[0]
        assert rows[1].startswith("2. ") and _tail(big) in rows[1] and "pays €40.00" in rows[1]
        assert window.cards.pay_button.text() == "Pay €60.00 with cards (F7)"
        # The cashier wants the big card used first.
        window.cards.select(1)
        qtbot.mouseClick(window.cards.up_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: _tail(big) in _rows(window)[0], timeout=WAIT_MS)
        rows = _rows(window)
        assert "pays €50.00" in rows[0] and "pays €10.00" in rows[1]
        qtbot.mouseClick(window.cards.pay_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.receipt is not None, timeout=WAIT_MS)
        receipt = window.receipt
        assert [(p.card, p.amount, p.balance_after) for p in receipt.parts] == \
            [(big, 5000, 0), (small, 1000, 1000)]
        labels = dict(receipt.lines())
        assert labels["Order"] == receipt.order and receipt.order.startswith("O-")
        assert labels["Paid by gift cards"] == "€60.00"
        text = receipt.text()
        assert "Gift card 1" in text and "Gift card 2" in text and _tail(small) in text
        assert window.basket.total() is None  # paid in full
        assert not window.cards.isVisible()
        idle(qtbot, window)
    with world.service() as terminal:
        rows = terminal.store.journal_rows()
        assert terminal.verify().ok
    bodies = [EntryBody.decode(bytes(r["data"])) for r in rows]
    assert [(b.card, b.amount) for b in bodies[1:]] == [(big, 5000), (small, 1000)]
    assert {b.extra.get("order") for b in bodies[1:]} == {receipt.order}
    assert [p.seq for p in receipt.parts] == [b.seq for b in bodies[1:]]


def test_a_receipt_of_several_cards_and_a_reward_in_japanese(qtbot) -> None:
    from pos_app.gui.app import make_app
    from pos_app.gui.receipts import Receipt, ReceiptPart

    make_app(lang="ja", theme="light")
    parts = (ReceiptPart("SC-AAAA-BBBB-CCCC", 5000, 0, 7, "abcdef012345"),
             ReceiptPart("SC-DDDD-EEEE-FFFF", 1000, 1000, 8, "0123456789ab"))
    receipt = Receipt("S1", "T-1", "Alex", 7, "abcdef012345", "ref", parts[0].card, 6000, None,
                      "EUR", 0, False, "O-0123456789abcdef", parts, (("coffee", 350),))
    rows = receipt.lines()
    labels = [label for label, _ in rows]
    assert ("注文番号", "O-0123456789abcdef") in rows
    assert "特典 coffee" in labels
    assert "ギフトカード 1" in labels and "ギフトカード 2" in labels
    assert labels.count("利用額") == 2  # each card's part
    assert "ギフトカード支払計" in labels
    assert [v for k, v in rows if k.startswith("ギフトカード ")] == \
        ["•" * 12 + "-CCCC", "•" * 12 + "-FFFF"]  # only the last group on paper
    make_app(lang="en", theme="light")


def test_a_reward_that_does_not_combine_keeps_the_gift_card_out_and_says_why(qtbot, world):
    from core.rules.basket import Basket, Line
    from pos_app.demo import DEMO_PROGRAMS

    source = DEMO_PROGRAMS.read_text(encoding="utf-8")
    assert source.count("combine_with_gift_cards: true") == 1
    card = world.cards["store-credit"][0]
    with world.admin() as admin:
        admin.load_programs(source.replace("combine_with_gift_cards: true",
                                           "combine_with_gift_cards: false"),
                            "yaml", "programs.yaml")
        member = admin.create_member("club", country="DE")["code"]
    with world.service() as terminal:
        terminal.sync()
        assert terminal.earn(member, "150.00")["points_after"] == 300
    with counter(qtbot, world, wedge=False) as window:
        log_in(qtbot, window)
        window.basket.set_basket(Basket("EUR", (Line("SKU-COFFEE", "drinks", 1, 350),
                                                Line("CAKE", "food", 1, 1650))))
        window.handle_payload(member, 0.0)
        qtbot.waitUntil(lambda: "reward:club:coffee" in window.quote.choices, timeout=WAIT_MS)
        window.quote.choices["reward:club:coffee"].setChecked(True)
        qtbot.mouseClick(window.quote.apply_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.receipt is not None, timeout=WAIT_MS)
        rewards = window.receipt
        assert rewards.rewards == (("coffee", 350),) and rewards.order == window.order_id
        assert ("Reward coffee", "−€3.50") in rewards.lines()
        idle(qtbot, window)
        _scan(qtbot, window, card)
        qtbot.waitUntil(lambda: window.card.redeem_button.isVisible(), timeout=WAIT_MS)
        qtbot.mouseClick(window.card.redeem_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "✗" in window.card.outcome.text(), timeout=WAIT_MS)
        assert window.card.outcome.text() == ("✗ Rewards of this program and gift cards "
                                              "cannot be combined on one order.")
        idle(qtbot, window)
    with world.service() as terminal:
        rows = terminal.store.journal_rows()
    assert [r["op"] for r in rows] == ["earn", "burn"]  # no redeem (20.00 earns nothing)
    assert {EntryBody.decode(bytes(r["data"])).extra.get("order") for r in rows[1:]} == \
        {rewards.order}
