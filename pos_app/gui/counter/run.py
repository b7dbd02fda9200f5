"""Start the counter application: QApplication, operations, window; or render one screenshot."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer

from pos_app.gui.app import make_app
from pos_app.gui.counter.sound import Beeper
from pos_app.gui.counter.window import CounterWindow
from pos_app.gui.operations import Operations

SCREENSHOT_TIMEOUT_MS = 10_000


def run_counter(home: Path, *, screenshot: Path | None = None, lang: str | None = None,
                theme: str | None = None, fullscreen: bool = False,
                camera: int | str | None = None, idle_seconds: float = 120.0) -> int:
    app = make_app(lang=lang, theme=theme)
    ops = Operations(home)
    window = CounterWindow(ops, home, camera=camera, idle_seconds=idle_seconds,
                           beeper=Beeper(enabled=screenshot is None),
                           auto_sync=True)
    if fullscreen:
        window.showFullScreen()
    else:
        window.show()
    if screenshot is not None:
        def grab() -> None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(screenshot))
            app.quit()

        # The first screen "after start-up": once the facts, staff and first sync have answered.
        poll = QTimer(window)
        poll.setInterval(50)
        poll.timeout.connect(lambda: ops.pending() == 0 and (poll.stop(), grab()))
        window.start()
        poll.start()
        QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, grab)
    else:
        window.start()
    code = app.exec()
    window.shutdown()
    ops.shutdown()
    return int(code)
