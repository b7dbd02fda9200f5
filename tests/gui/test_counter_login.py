"""A cashier logs in with the PIN pad; wrong PINs are counted in the terminal's database and the
fifth locks every login for five minutes (offline too: the hashes came from central)."""

from __future__ import annotations

from counter_helpers import counter, enter_pin, log_in

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
