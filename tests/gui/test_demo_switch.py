"""The demo's network switch (`walletpos demo`, issue 14): "Demo: go offline" stops the demo's
own central and the counter says it is offline at once; an offline sale waits; "Demo: back
online" starts central on the same address and the sale reaches it — the README's offline
walk-through, with the real central on loopback."""

from __future__ import annotations

from counter_helpers import WAIT_MS, counter, idle, log_in
from PySide6.QtCore import Qt


def _press(qtbot, window) -> None:
    qtbot.mouseClick(window.demo_switch, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.demo_switch.isEnabled() and window.ops.pending() == 0,
                    timeout=WAIT_MS)


def test_the_demo_switch_takes_the_counter_offline_and_back_with_the_sale(qtbot, world):
    code = world.cards["store-credit"][0]
    with counter(qtbot, world, wedge=False, demo_central=world.central) as window:
        log_in(qtbot, window)
        assert window.demo_switch.text() == "Demo: go offline"
        _press(qtbot, window)
        assert not world.central.running
        assert window.header.online.text() == "● Offline" and window.banner.isVisible()
        assert window.demo_switch.text() == "Demo: back online"

        window.basket.amount.setText("15.00")
        window.handle_payload(code, 0.0)
        qtbot.waitUntil(lambda: window.card.redeem_button.isVisible(), timeout=WAIT_MS)
        qtbot.mouseClick(window.card.redeem_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.receipt is not None, timeout=WAIT_MS)
        assert window.receipt.offline
        idle(qtbot, window)
        assert window.status_bar.outbox.text() == "Waiting to sync: 1"

        _press(qtbot, window)
        assert world.central.running
        assert window.header.online.text() == "● Online" and not window.banner.isVisible()
        assert window.status_bar.outbox.text() == "Waiting to sync: 0"
        assert window.demo_switch.text() == "Demo: go offline"
    with world.admin() as admin:
        assert admin.card(code)["balance"] == "35.00"


def test_the_switch_is_only_in_demo_mode(qtbot, world):
    with counter(qtbot, world, wedge=False) as window:
        assert window.demo_switch is None
