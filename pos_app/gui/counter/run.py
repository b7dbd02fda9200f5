"""Start the counter application: QApplication, operations, window; or render one screenshot."""

from __future__ import annotations

from pathlib import Path

from pos_app.gui.app import make_app
from pos_app.gui.counter.sound import Beeper
from pos_app.gui.counter.window import CounterWindow
from pos_app.gui.launch import run_screen
from pos_app.gui.operations import Operations


def run_counter(home: Path, *, screenshot: Path | None = None, lang: str | None = None,
                theme: str | None = None, fullscreen: bool = False,
                camera: int | str | None = None, idle_seconds: float = 120.0,
                demo_central: object = None) -> int:
    app = make_app(lang=lang, theme=theme)
    ops = Operations(home)
    window = CounterWindow(ops, home, camera=camera, idle_seconds=idle_seconds,
                           beeper=Beeper(enabled=screenshot is None), auto_sync=True,
                           demo_central=demo_central)
    return run_screen(app, ops, window, screenshot=screenshot, fullscreen=fullscreen)
