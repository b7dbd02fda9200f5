"""A customer at the kiosk: scans a card and sees its balance (masked, no staff actions), picks
Japanese, walks away — 20 s later the kiosk has forgotten them — and only a manager's PIN takes
the kiosk out of kiosk mode. Idle time is the window's one timer, fired by the test."""

from kiosk_helpers import WAIT_MS, kiosk, scan
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from pos_app.gui.app import language
from pos_app.gui.kiosk.window import ATTRACT, EXIT, RESULT


def test_scan_shows_the_balance_masked_and_no_staff_actions(qtbot, world):
    code = world.cards["store-credit"][0]
    with world.service() as terminal:
        terminal.redeem(code, "12.50")
    with kiosk(qtbot, world) as window:
        scan(qtbot, window, code)
        assert window.pages.currentIndex() == RESULT
        view = window.balance
        assert view.headline.text() == "€37.50"
        assert view.code.text() == "SC-••••-••••-" + code[-4:]
        shown = " ".join(w.text() for w in window.findChildren(type(view.code)))
        assert code not in shown and code[3:7] not in view.code.text()
        assert "Paid" in shown and "€12.50" in shown  # the last activities
        buttons = {b.text() for b in window.findChildren(QPushButton) if b.isVisible()}
        assert not buttons & {"Redeem", "Void", "Block", "Load"}
        assert window.idle.timer.isActive() and window.idle.timer.interval() == 20_000


def test_member_sees_points_tier_progress_and_rewards(qtbot, world):
    with world.admin() as admin:
        member = admin.create_member("club", "DE")["code"]
    with world.service() as terminal:
        terminal.sync()
        assert terminal.earn(member, "120.00")["status"] == "earned"
    with kiosk(qtbot, world) as window:
        scan(qtbot, window, member)
        view = window.balance
        assert view.headline.text() == "240 points"
        assert view.tier_bar.value() == 240  # 240 of the 1,000 to gold
        assert "760 more points to gold" in view.tier_text.text()
        assert "Free coffee" in view.rewards.text()
        assert view.code.text().startswith("LM-••••") and member not in view.code.text()


def test_customer_language_then_idle_returns_to_attract_and_english(qtbot, world):
    with kiosk(qtbot, world) as window:
        qtbot.mouseClick(window.lang_buttons["ja"], Qt.MouseButton.LeftButton)
        assert language() == "ja" and window.title.text() == "カードをかざしてください"
        scan(qtbot, window, world.cards["gift-eur"][0])
        assert window.balance.program.text() == "ギフトカード"
        window.idle.timer.timeout.emit()  # 20 s without a touch
        assert window.pages.currentIndex() == ATTRACT
        assert window.payload is None and window.balance.view is None
        assert language() == "en" and window.title.text() == "Scan your card"


def test_unknown_card_says_ask_at_the_counter(qtbot, world):
    with kiosk(qtbot, world) as window:
        scan(qtbot, window, "GC-0000-0000-0000")
        assert window.pages.currentIndex() == ATTRACT
        assert "ask at the counter" in window.message.text()


def test_only_a_manager_pin_leaves_kiosk_mode(qtbot, world):
    with kiosk(qtbot, world) as window:
        window.close()  # a customer's Alt+F4
        assert window.isVisible() and window.pages.currentIndex() == EXIT
        assert [p.name for p in window.pin.staff] == ["Morgan"]  # cashiers cannot
        for digit in "1234":
            window.pin.press(digit)
        window.pin.submit()
        qtbot.waitUntil(lambda: window.ops.pending() == 0, timeout=WAIT_MS)
        assert window.isVisible() and not window.exit_allowed
        with qtbot.waitSignal(window.exit_granted, timeout=WAIT_MS) as granted:
            for digit in "999999":
                window.pin.press(digit)
            window.pin.submit()
        assert granted.args[0].name == "Morgan" and not window.isVisible()
