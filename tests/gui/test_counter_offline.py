"""Central goes away: the counter says so plainly, keeps selling what the offline policy allows,
counts what waits; central comes back: Sync now delivers it and the banner goes."""

from __future__ import annotations

from counter_helpers import WAIT_MS, counter, idle, log_in
from PySide6.QtCore import Qt

from pos_app.gui import offline_wording


def _sync(qtbot, window) -> None:
    qtbot.mouseClick(window.status_bar.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.ops.pending() == 0 and window.status_bar.sync_button
                    .isEnabled(), timeout=WAIT_MS)


def test_offline_banner_offline_sale_and_sync_after_central_returns(qtbot, world):
    code = world.cards["store-credit"][0]
    with counter(qtbot, world, wedge=False) as window:
        log_in(qtbot, window)
        _sync(qtbot, window)
        assert window.header.online.text() == "● Online" and not window.banner.isVisible()
        world.central.stop()
        _sync(qtbot, window)
        assert window.header.online.text() == "● Offline"
        assert window.banner.isVisible()
        detail = window.banner.detail.text()
        assert "Store credit offline: At most €20.00 per offline payment." in detail
        assert "Needs the network: Weekend voucher" in detail
        window.basket.amount.setText("15.00")
        window.handle_payload(code, 0.0)
        qtbot.waitUntil(lambda: window.card.redeem_button.isVisible(), timeout=WAIT_MS)
        qtbot.mouseClick(window.card.redeem_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.receipt is not None, timeout=WAIT_MS)
        assert window.receipt.offline
        idle(qtbot, window)
        assert window.status_bar.outbox.text() == "Waiting to sync: 1"
        world.central.start()
        _sync(qtbot, window)
        assert window.header.online.text() == "● Online" and not window.banner.isVisible()
        assert window.status_bar.outbox.text() == "Waiting to sync: 0"
        assert window.status_bar.message.text().startswith("Synced: 1 sent")
    with world.admin() as admin:
        assert admin.card(code)["balance"] == "35.00"


def test_switching_to_japanese_keeps_the_session_and_shows_japanese(qtbot, world):
    with counter(qtbot, world, wedge=False) as window:
        log_in(qtbot, window)
        window.basket.amount.setText("20.00")
        window.handle_payload(world.cards["gift-eur"][0], 0.0)
        qtbot.waitUntil(lambda: window.card.balance.text() == "Balance €50.00", timeout=WAIT_MS)
        qtbot.keyClick(window, Qt.Key.Key_F10)
        qtbot.waitUntil(lambda: window.card.balance.text() == "残高 €50.00", timeout=WAIT_MS)
        assert window.logged_in and "レジ担当" in window.header.shift.text()
        assert window.status_bar.sync_button.text() == "今すぐ同期 (F8)"
        qtbot.keyClick(window, Qt.Key.Key_F10)
        qtbot.waitUntil(lambda: window.card.balance.text() == "Balance €50.00", timeout=WAIT_MS)
        idle(qtbot, window)


def _offline_redeem(qtbot, window, code: str, amount: str) -> None:
    window.basket.amount.setText(amount)
    window.handle_payload(code, 0.0)
    qtbot.waitUntil(lambda: window.card.card is not None and window.card.card.code == code
                    and window.card.redeem_button.isVisible(), timeout=WAIT_MS)
    qtbot.mouseClick(window.card.redeem_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.card.outcome.text() != "", timeout=WAIT_MS)
    idle(qtbot, window)


def test_an_offline_decline_names_the_rule_in_the_banners_words_and_clears_the_sale(qtbot,
                                                                                   world):
    credit, gift = world.cards["store-credit"][0], world.cards["gift-eur"][0]
    with counter(qtbot, world, wedge=False) as window:
        log_in(qtbot, window)
        _sync(qtbot, window)
        world.central.stop()
        _sync(qtbot, window)
        banner = window.banner.detail.text()
        _offline_redeem(qtbot, window, credit, "5.00")
        assert window.receipt is not None and window.receipt_view.isVisible()
        # A €1 payment with the same card in this outage: declined by the once-per-card rule,
        # said in the banner's own sentence, not as "above the offline limit".
        _offline_redeem(qtbot, window, credit, "1.00")
        once = offline_wording.rule("per_card")
        said = window.card.outcome.text()
        assert said == "✗ Offline: this card was already used once at this till. " + once
        assert once in banner and "limit" not in said
        assert window.card.outcome.property("state") == "declined"
        assert not window.card.redeem_button.isVisible()  # nothing left to press
        assert window.receipt is None and not window.receipt_view.isVisible()  # not this sale's
        # A gift card (escrow) with no grant here: the grant rule, which the banner states too.
        _offline_redeem(qtbot, window, gift, "1.00")
        grant = offline_wording.rule("grant")
        assert window.card.outcome.text().endswith(grant) and grant in banner
        assert "Gift card offline: " + grant in banner
        assert window.card.outcome.wordWrap()  # a long decline wraps instead of being cut
        # Japanese: the same rule, in Japanese, in both places.
        qtbot.keyClick(window, Qt.Key.Key_F10)
        idle(qtbot, window)
        _offline_redeem(qtbot, window, credit, "1.00")
        once_ja = offline_wording.rule("per_card")
        assert once_ja != once and once_ja in window.card.outcome.text()
        assert once_ja in window.banner.detail.text()
        qtbot.keyClick(window, Qt.Key.Key_F10)
        idle(qtbot, window)
