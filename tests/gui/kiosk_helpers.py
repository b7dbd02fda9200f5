"""Opening the real kiosk window over a test world."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

from pos_app.gui.app import make_app
from pos_app.gui.kiosk.window import KioskWindow
from pos_app.gui.operations import Operations

WAIT_MS = 15_000


@contextmanager
def kiosk(qtbot: Any, world: Any, *, lang: str = "en", **options: Any):
    make_app(lang=lang, theme="light")
    ops = Operations(world.service)
    window = KioskWindow(ops, world.home, auto_sync=False, **options)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.start()
    qtbot.waitUntil(lambda: len(window.pin.staff) == 1, timeout=WAIT_MS)
    try:
        yield window
    finally:
        window.exit_allowed = True
        window.shutdown()
        ops.shutdown()


def scan(qtbot: Any, window: KioskWindow, payload: str) -> None:
    with qtbot.waitSignal(window.shown, timeout=WAIT_MS):
        window.handle_payload(payload)
