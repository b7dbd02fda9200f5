"""Opening the real counter window over a test world, and doing what a cashier does."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pos_app.gui.app import make_app
from pos_app.gui.counter.sound import Beeper
from pos_app.gui.counter.window import CounterWindow
from pos_app.gui.operations import Operations

WAIT_MS = 15_000


@contextmanager
def counter(qtbot: Any, world: Any, *, lang: str = "en", **options: Any):
    make_app(lang=lang, theme="light")
    ops = Operations(world.service)
    window = CounterWindow(ops, world.home, beeper=Beeper(enabled=False), auto_sync=False,
                           **options)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.start()
    qtbot.waitUntil(lambda: window.facts is not None and len(window.login.staff) == 2,
                    timeout=WAIT_MS)
    try:
        yield window
    finally:
        window.shutdown()
        ops.shutdown()


def person(window: CounterWindow, name: str) -> Any:
    return next(p for p in window.login.staff if p.name == name)


def enter_pin(qtbot: Any, window: CounterWindow, name: str, pin: str) -> None:
    """Touch the name, tap the PIN on the pad, press OK, and wait for the answer."""
    window.login.select(person(window, name))
    for digit in pin:
        qtbot.mouseClick(window.login.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.login.keys["OK"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.ops.pending("counter") == 0, timeout=WAIT_MS)


def log_in(qtbot: Any, window: CounterWindow, name: str = "Alex", pin: str = "1234") -> None:
    enter_pin(qtbot, window, name, pin)
    assert window.logged_in, window.login.message.text()


def wedge_burst(qtbot: Any, window: CounterWindow, clock: Any, text: str) -> None:
    """A USB scanner: the characters 3 ms apart by the wedge's clock, then Enter."""
    target = QApplication.focusWidget() or window
    for ch in text:
        qtbot.keyClick(target, ch)
        clock.now += 0.003
    qtbot.keyClick(target, Qt.Key.Key_Return)


def idle(qtbot: Any, window: CounterWindow) -> None:
    qtbot.waitUntil(lambda: window.ops.pending() == 0, timeout=WAIT_MS)
