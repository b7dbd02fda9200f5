"""The three screens at a real till's screen size: at 1024×768 and 1366×768, in English and in
Japanese, with the longest messages they show (the counter offline, with line items, a decline
and a receipt; the kiosk's member balance while offline and its exit PIN; every manager tab
with a long answer), each window takes the size asked for, every visible control lies inside
it, touch targets are finger-sized and nothing is cut (tests/gui/layout_check.py)."""

from __future__ import annotations

from counter_helpers import WAIT_MS, counter, idle, log_in
from kiosk_helpers import kiosk, scan
from layout_check import misfits, touch_sized
from manager_helpers import log_in as manager_log_in
from manager_helpers import open_manager
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication

SIZES = (QSize(1024, 768), QSize(1366, 768))
TOUCH_PX = 44


def assert_fits(window, where: str) -> None:
    for size in SIZES:
        window.resize(size)
        for _ in range(3):  # a layout request travels up one parent per round
            QApplication.processEvents()
        problems = misfits(window, size) + touch_sized(window, TOUCH_PX)
        assert not problems, f"{where} at {size.width()}x{size.height()}:\n" + "\n".join(problems)


def _sync(qtbot, window) -> None:
    window.sync_now()
    qtbot.waitUntil(lambda: window.ops.pending() == 0 and window.status_bar.sync_button
                    .isEnabled(), timeout=WAIT_MS)


def _redeem_offline(qtbot, window, code: str) -> None:
    window.handle_payload(code, 0.0)
    qtbot.waitUntil(lambda: window.card.redeem_button.isVisible(), timeout=WAIT_MS)
    qtbot.mouseClick(window.card.redeem_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)


def test_counter_fits_a_till_screen_offline_with_a_decline_and_a_receipt(qtbot, world):
    code = world.cards["store-credit"][0]
    with counter(qtbot, world, wedge=False) as window:
        assert_fits(window, "counter login (en)")
        log_in(qtbot, window)
        _sync(qtbot, window)
        world.central.stop()
        _sync(qtbot, window)
        assert window.banner.isVisible()
        for lang in ("en", "ja"):
            if lang == "ja":
                qtbot.keyClick(window, Qt.Key.Key_F10)
                idle(qtbot, window)
            for sku, price in (("COFFEE-BEANS-1KG", "3.00"), ("MUG", "2.00")):
                window.basket.sku.setText(sku)
                window.basket.category.setText("grocery")
                window.basket.price.setText(price)
                window.basket.add_button.click()
            idle(qtbot, window)
            if lang == "en":
                _redeem_offline(qtbot, window, code)  # approved offline: a receipt
                assert window.receipt is not None and window.receipt.offline
                receipt = window.receipt
                for sku, price in (("SCARF", "4.00"),):
                    window.basket.sku.setText(sku)
                    window.basket.price.setText(price)
                    window.basket.add_button.click()
                idle(qtbot, window)
            # The same card again in this outage: declined, with the rule that declined it.
            window.handle_payload(code, 0.0)
            qtbot.waitUntil(lambda: window.card.redeem_button.isVisible(), timeout=WAIT_MS)
            window.card._redeem()
            qtbot.waitUntil(lambda: window.card.outcome.property("state") == "declined",
                            timeout=WAIT_MS)
            # The worst case for space: the last receipt shown beside the decline.
            window.receipt_view.show_receipt(receipt)
            assert window.banner.isVisible() and window.receipt_view.isVisible()
            assert window.basket.table.isVisible()
            assert_fits(window, f"counter offline sale ({lang})")
        window.lock()
        idle(qtbot, window)
        assert_fits(window, "counter login (ja)")


def test_kiosk_fits_a_till_screen(qtbot, world):
    with world.admin() as admin:
        member = admin.create_member("club", "DE")["code"]
    with kiosk(qtbot, world) as window:
        window.sync_now()
        idle(qtbot, window)
        world.central.stop()
        window.sync_now()
        idle(qtbot, window)
        for lang in ("en", "ja"):
            window.choose_language(lang)
            window.home_language = lang
            window.to_attract()
            assert_fits(window, f"kiosk attract ({lang})")
            scan(qtbot, window, member)
            assert window.balance.as_of.isVisible()  # offline: "as of" is shown
            assert_fits(window, f"kiosk member ({lang})")
            scan(qtbot, window, world.cards["gift-eur"][0])
            assert_fits(window, f"kiosk gift card ({lang})")
            window.ask_exit()
            assert_fits(window, f"kiosk exit PIN ({lang})")


def test_manager_fits_a_till_screen(qtbot, world):
    window, ops = open_manager(qtbot, world)
    try:
        for lang in ("en", "ja"):
            if lang == "ja":
                window.toggle_language()
                qtbot.waitUntil(lambda: len(window.login.staff) == 1, timeout=WAIT_MS)
            if window.manager is None:
                assert_fits(window, f"manager login ({lang})")
                manager_log_in(qtbot, window)
            idle(qtbot, window)
            window._say(window.tr("Head office will confirm at the next sync.") * 4, True)
            for tab in range(window.tabs.count()):
                window.tabs.setCurrentIndex(tab)
                idle(qtbot, window)
                assert_fits(window, f"manager tab {tab} ({lang})")
    finally:
        window.shutdown()
        ops.shutdown()


def test_counter_fits_a_till_screen_with_several_cards_for_a_sale(qtbot, world):
    big, small = world.cards["store-credit"]
    for lang in ("en", "ja"):
        with counter(qtbot, world, lang=lang, wedge=False) as window:
            log_in(qtbot, window)
            for sku, price in (("COFFEE-BEANS-1KG", "30.00"), ("MUG", "25.00"),
                               ("SCARF", "14.00")):
                window.basket.sku.setText(sku)
                window.basket.category.setText("grocery")
                window.basket.price.setText(price)
                window.basket.add_button.click()
            idle(qtbot, window)
            for code in (big, small):
                window.handle_payload(code, 0.0)
                qtbot.waitUntil(lambda c=code: window.card.code.text() == c, timeout=WAIT_MS)
                idle(qtbot, window)
            qtbot.waitUntil(lambda: window.cards.isVisible(), timeout=WAIT_MS)
            assert window.cards.list.count() == 2 and window.basket.table.isVisible()
            assert_fits(window, f"counter with two cards for a sale ({lang})")
            # The panel that just appeared is scrolled into view, its pay button on screen.
            qtbot.waitUntil(lambda: not window.cards.pay_button.visibleRegion().isEmpty(),
                            timeout=WAIT_MS)
