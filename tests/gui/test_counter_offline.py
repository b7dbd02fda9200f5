"""Central goes away: the counter says so plainly, keeps selling what the offline policy allows,
counts what waits; central comes back: Sync now delivers it and the banner goes."""

from __future__ import annotations

from counter_helpers import WAIT_MS, counter, idle, log_in
from PySide6.QtCore import Qt


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
        assert "Store credit up to €20.00 a sale" in detail
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
