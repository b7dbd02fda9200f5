"""Start the kiosk: QApplication, operations, full-screen window; or render one screenshot."""

from __future__ import annotations

from pathlib import Path

from pos_app.gui.app import make_app
from pos_app.gui.kiosk.window import KioskWindow
from pos_app.gui.launch import run_screen
from pos_app.gui.operations import Operations


def run_kiosk(home: Path, *, screenshot: Path | None = None, lang: str | None = None,
              theme: str | None = None, camera: int | str | None = None,
              windowed: bool = False) -> int:
    app = make_app(lang=lang, theme=theme)
    app.setApplicationName("walletpos kiosk")
    ops = Operations(home)
    window = KioskWindow(ops, home, camera=camera, auto_sync=screenshot is None)

    def allow_exit() -> None:
        window.exit_allowed = True  # a screenshot run may close the kiosk without a PIN

    return run_screen(app, ops, window, screenshot=screenshot,
                      fullscreen=screenshot is None and not windowed, before_quit=allow_exit)
