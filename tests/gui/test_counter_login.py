"""A cashier logs in with the PIN pad; wrong PINs are counted in the terminal's database and the
fifth locks every login for five minutes (offline too: the hashes came from central)."""

from __future__ import annotations

from counter_helpers import WAIT_MS, counter, enter_pin, log_in
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pos_app.terminal.staff import LOCKOUT_MS


def test_right_pin_opens_the_sale_screen_with_the_shift_in_the_header(qtbot, world):
    with counter(qtbot, world) as window:
        assert window.pages.currentIndex() == 0
        assert {p.name for p in window.login.staff} == {"Alex", "Morgan"}
        log_in(qtbot, window, "Alex", "1234")
        assert window.pages.currentIndex() == 1
        assert "Alex (cashier)" in window.header.shift.text()
        window.lock()
        assert window.pages.currentIndex() == 0 and not window.logged_in
        assert window.header.shift.text() == "Not logged in"


def test_five_wrong_pins_lock_login_for_five_minutes_even_after_a_restart(qtbot, world):
    with counter(qtbot, world) as window:
        for tries_left in (4, 3, 2, 1):
            enter_pin(qtbot, window, "Alex", "0000")
            assert window.login.message.text() == (
                f"Wrong PIN. {tries_left} tries left before login locks for 5 minutes.")
        enter_pin(qtbot, window, "Morgan", "1111")  # the lock is per terminal, not per name
        assert window.login.message.text().startswith("Too many wrong PINs: login is locked.")
        enter_pin(qtbot, window, "Alex", "1234")  # even the right PIN, while locked
        assert not window.logged_in
    with world.service() as fresh:  # a restart does not reset it: counted in SQLite
        assert fresh.login_lock().status == "locked"
    world.clock.advance(LOCKOUT_MS / 1000 + 1)
    with counter(qtbot, world) as window:
        assert window.login.message.text() == ""
        log_in(qtbot, window, "Alex", "1234")


def test_the_screen_locks_itself_after_inactivity(qtbot, world):
    with counter(qtbot, world, idle_seconds=0.2) as window:
        log_in(qtbot, window)
        with qtbot.waitSignal(window.idle.timeout, timeout=5000):
            pass
        assert not window.logged_in and window.pages.currentIndex() == 0


class _TypingClock:
    """The keyboard wedge's clock: a person types 0.3 s apart (a scanner would be 3 ms)."""

    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def test_after_touching_a_name_the_keyboard_types_the_pin_with_a_visible_focus(qtbot, world):
    clock = _TypingClock()
    with counter(qtbot, world, wedge_clock=clock) as window:
        window.activateWindow()  # the till's only window has the keyboard
        qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
        tile = next(b for b, p in zip(window.login.tiles.buttons(), window.login.staff,
                                      strict=True) if p.name == "Alex")
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.login, timeout=WAIT_MS)
        assert window.login.pin_label.property("listening") == "yes"  # the PIN field listens
        assert window.login.message.property("state") == "prompt"  # a prompt, not an error
        assert window.login.pin_label.text() == "○○○○"  # a cashier's PIN: 4 digits or more
        manager = next(p for p in window.login.staff if p.role == "manager")
        window.login.select(manager)
        assert window.login.pin_label.text() == "○○○○○○"  # a manager's: 6 or more
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)

        def typed(keys: list) -> None:
            for key in keys:  # through the whole app: the wedge filter, then the focus widget
                qtbot.keyClick(QApplication.focusWidget(), key)
                clock.now += 0.3

        typed(["1", "2", "9"])
        qtbot.waitUntil(lambda: window.login.pin == "129", timeout=WAIT_MS)
        typed([Qt.Key.Key_Backspace])
        qtbot.waitUntil(lambda: window.login.pin == "12", timeout=WAIT_MS)
        typed(["3", "4"])
        qtbot.waitUntil(lambda: window.login.pin_label.text() == "●●●●", timeout=WAIT_MS)
        typed([Qt.Key.Key_Return])
        qtbot.waitUntil(lambda: window.logged_in, timeout=WAIT_MS)
        assert "Alex (cashier)" in window.header.shift.text()
        window.lock()  # back at the PIN: Alex is still chosen, and the keyboard still types
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.login, timeout=WAIT_MS)
        typed(["0", "0", "0", "0", Qt.Key.Key_Enter])
        qtbot.waitUntil(lambda: window.login.message.property("state") == "error",
                        timeout=WAIT_MS)
        assert window.login.message.text().startswith("Wrong PIN.")
