"""A card partly reserved at another store's till (its escrow grant): the counter says what can
be paid now and that the rest will be free shortly, in English and Japanese; once the other
till's sync hands the grant back, the same payment goes through."""

from __future__ import annotations

from counter_helpers import WAIT_MS, counter, idle, log_in
from PySide6.QtCore import Qt

from pos_app.gui.reasons import reserved_elsewhere
from pos_app.terminal.service import TerminalService


def _redeem(qtbot, window, code: str, amount: str) -> None:
    window.card.outcome.setText("")
    window.basket.amount.setText(amount)
    window.handle_payload(code, 0.0)
    qtbot.waitUntil(lambda: window.card.card is not None and window.card.card.code == code
                    and window.card.redeem_button.isVisible(), timeout=WAIT_MS)
    qtbot.mouseClick(window.card.redeem_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.card.outcome.text() != "", timeout=WAIT_MS)
    idle(qtbot, window)


def test_a_card_reserved_at_another_till_says_what_can_be_paid_now(qtbot, world, tmp_path):
    gift = world.cards["gift-eur"][0]
    with world.admin() as admin:
        code = admin.enroll_code("other-store")["code"]
    other = TerminalService(tmp_path / "other", authorize_timeout=2.0, sync_timeout=5.0)
    try:
        other.enroll(world.central.url, code)
        assert other.redeem(gift, "1.00").status == "approved"  # the customer, at store 2
        other.sync()  # ... whose till now holds 24.50 of the 49.00 as its grant
        with counter(qtbot, world, wedge=False) as window:
            log_in(qtbot, window)
            _redeem(qtbot, window, gift, "30.00")
            assert window.card.outcome.text() == "✗ " + reserved_elsewhere("€24.50")
            assert window.card.outcome.text() == ("✗ €24.50 can be paid now; the rest is "
                                                  "reserved at another till and will be free "
                                                  "shortly.")
            qtbot.keyClick(window, Qt.Key.Key_F10)
            idle(qtbot, window)
            _redeem(qtbot, window, gift, "30.00")
            said = window.card.outcome.text()
            assert "€24.50" in said and "別のレジ" in said, said
            qtbot.keyClick(window, Qt.Key.Key_F10)
            idle(qtbot, window)
            other.sync()  # its background sync: the recalled grant goes back
            _redeem(qtbot, window, gift, "30.00")
            assert window.receipt is not None and window.receipt.amount == 3000
    finally:
        other.close()
    with world.admin() as admin:
        assert admin.card(gift)["balance"] == "19.00"
