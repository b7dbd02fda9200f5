"""The one start-up sequence every screen shares (counter, kiosk, manager): show the window,
start it, and either run the event loop or render the first screen after start-up to a PNG
(`--screenshot`) and quit; then shut the window and its operations down in an order Qt
survives (the window is deleted by Qt before Python's exit-time collector runs)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from pos_app.gui import reasons
from pos_app.gui.operations import Operations, OpError

SCREENSHOT_TIMEOUT_MS = 10_000
STOPPED_TITLE = QT_TRANSLATE_NOOP("launch", "This till cannot continue")


class Screen(Protocol):
    def start(self) -> None: ...

    def shutdown(self) -> None: ...


def run_screen(app: QApplication, ops: Operations, window: QWidget, *,
               screenshot: Path | None = None, fullscreen: bool = False,
               before_quit: Callable[[], None] | None = None) -> int:
    screen: Screen = window  # type: ignore[assignment]  # every screen has start/shutdown
    ops.fatal.connect(lambda error: stop_dialog(app, window, error))
    if fullscreen:
        window.showFullScreen()
    else:
        window.show()
    if screenshot is not None:
        def grab() -> None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(screenshot))
            if before_quit is not None:
                before_quit()
            app.quit()

        # "The first screen after start-up": once the facts, staff and first sync answered.
        poll = QTimer(window)
        poll.setInterval(50)
        poll.timeout.connect(lambda: ops.pending() == 0 and (poll.stop(), grab()))
        screen.start()
        poll.start()
        QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, grab)
    else:
        screen.start()
    code = app.exec()
    screen.shutdown()
    ops.shutdown()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return int(code)


def stop_dialog(app: QApplication, window: QWidget, error: OpError) -> QMessageBox:
    """The screen cannot go on (a damaged terminal.db): say so and what to do, in the cashier's
    language, with the technical message under "Show Details"; closing it quits."""
    box = QMessageBox(QMessageBox.Icon.Critical,
                      QCoreApplication.translate("launch", str(STOPPED_TITLE)),
                      reasons.explain(error.reason), QMessageBox.StandardButton.Close, window)
    box.setDetailedText(error.message)
    box.finished.connect(lambda _result: app.quit())
    box.open()  # window-modal and non-blocking: the screenshot path still finishes
    return box
