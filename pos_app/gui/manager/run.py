"""Start the manager screen: QApplication, operations, window; or render one screenshot."""

from __future__ import annotations

from pathlib import Path

from pos_app.gui.app import make_app
from pos_app.gui.launch import run_screen
from pos_app.gui.manager.window import ManagerWindow
from pos_app.gui.operations import Operations


def run_manager(home: Path, *, screenshot: Path | None = None, lang: str | None = None,
                theme: str | None = None) -> int:
    app = make_app(lang=lang, theme=theme)
    app.setApplicationName("walletpos manager")
    ops = Operations(home)
    return run_screen(app, ops, ManagerWindow(ops, home), screenshot=screenshot)
