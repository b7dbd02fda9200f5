"""Start the manager screen: QApplication, operations, window; or render one screenshot."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QTimer

from pos_app.gui.app import make_app
from pos_app.gui.manager.window import ManagerWindow
from pos_app.gui.operations import Operations

SCREENSHOT_TIMEOUT_MS = 10_000


def run_manager(home: Path, *, screenshot: Path | None = None, lang: str | None = None,
                theme: str | None = None) -> int:
    app = make_app(lang=lang, theme=theme)
    app.setApplicationName("walletpos manager")
    ops = Operations(home)
    window = ManagerWindow(ops, home)
    window.show()
    if screenshot is not None:
        def grab() -> None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(screenshot))
            app.quit()

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
    window.deleteLater()  # Qt destroys the window now, not Python's exit-time collector
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return int(code)
