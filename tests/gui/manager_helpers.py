"""Driving the manager screen in pytest-qt: open it over the test world's terminal, log the
manager in, and press a button and wait for its answer."""

from pos_app.gui.app import make_app
from pos_app.gui.manager.window import ManagerWindow
from pos_app.gui.operations import Operations

WAIT_MS = 20_000


def open_manager(qtbot, world):
    make_app(lang="en", theme="light")
    ops = Operations(world.service)
    window = ManagerWindow(ops, world.home, wedge=False)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: len(window.login.staff) == 1, timeout=WAIT_MS)
    return window, ops


def log_in(qtbot, window, pin="999999"):
    for digit in pin:
        window.login.press(digit)
    window.login.submit()
    qtbot.waitUntil(lambda: window.manager is not None, timeout=WAIT_MS)


def act(qtbot, window, button):
    with qtbot.waitSignal(window.answered, timeout=WAIT_MS):
        button.click()
    qtbot.waitUntil(lambda: window.ops.pending() == 0, timeout=WAIT_MS)
