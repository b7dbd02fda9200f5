"""Quarantine reaches the till: once central refuses this terminal (its journal is not the one it
reported), the counter says so in a banner, in English and in Japanese, and nothing is spent
offline any more."""

from __future__ import annotations

from counter_helpers import WAIT_MS, counter, idle, log_in
from PySide6.QtCore import Qt

from wallet_sync.client import CentralRefused


def _quarantine(world) -> None:
    """What central sees when someone rewrote the journal: a signed head that is not the entry
    central holds at that seq (here seq 0, which can only be the genesis hash)."""
    with world.service() as svc:
        with svc.client() as honest:
            ident = svc.identity()
            forged = type(honest)(ident.central_url, terminal_id=ident.terminal_id,
                                  private_key=svc.key(), central_key=ident.central_key,
                                  head=lambda: (0, b"\x01" * 32))
            try:
                forged.store_conflicts()
            except CentralRefused as exc:
                assert exc.reason == "quarantined"
            finally:
                forged.close()


def test_a_quarantined_terminal_says_why_in_both_languages(qtbot, world):
    code = world.cards["store-credit"][0]
    with counter(qtbot, world, wedge=False) as window:
        log_in(qtbot, window)
        assert not window.standing_banner.isVisible()
        _quarantine(world)
        qtbot.mouseClick(window.status_bar.sync_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.standing_banner.isVisible(), timeout=WAIT_MS)
        assert "quarantined" in window.standing_banner.title.text()
        assert "fork at seq 0" in window.standing_banner.detail.text()
        window.basket.amount.setText("5.00")
        world.central.stop()  # and offline, the till does not spend either
        window.handle_payload(code, 0.0)
        qtbot.waitUntil(lambda: window.card.redeem_button.isVisible(), timeout=WAIT_MS)
        qtbot.mouseClick(window.card.redeem_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.ops.pending() == 0, timeout=WAIT_MS)
        assert window.receipt is None
        qtbot.keyClick(window, Qt.Key.Key_F10)
        qtbot.waitUntil(lambda: "隔離" in window.standing_banner.title.text(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: window.standing_banner.isVisible(), timeout=WAIT_MS)
        assert "店長" in window.standing_banner.detail.text()
        qtbot.keyClick(window, Qt.Key.Key_F10)
        idle(qtbot, window)
        world.central.start()
