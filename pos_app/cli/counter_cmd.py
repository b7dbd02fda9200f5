"""`walletpos counter`: the cashier's screen over a terminal HOME (PySide6 is imported only
here, so the other commands start without Qt). `--screenshot PNG` renders the first screen after
start-up (the staff login, once the terminal's facts and staff are loaded) and exits."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from pos_app.cli.output import fail


def counter(
    home: Path = typer.Option(None, "--home", envvar="WALLETPOS_HOME",  # noqa: B008
                              help="Terminal folder (enrolled with `terminal enroll`)."),
    screenshot: Path = typer.Option(None, "--screenshot",  # noqa: B008
                                    help="Render the first screen to this PNG and exit."),
    lang: str = typer.Option(None, "--lang", help="en or ja (default: the last one used)."),
    theme: str = typer.Option(None, "--theme", help="light or dark."),
    fullscreen: bool = typer.Option(False, "--fullscreen", help="Fill the screen (kiosk-like)."),
    camera: str = typer.Option(None, "--camera",
                               help="Camera index, video file or image folder for the preview."),
    idle: float = typer.Option(120.0, "--idle", help="Lock after this many idle seconds."),
) -> None:
    if home is None:
        fail("no_home", "give --home DIR or set WALLETPOS_HOME", False)
    if lang not in (None, "en", "ja") or theme not in (None, "light", "dark"):
        fail("invalid_input", "--lang is en or ja; --theme is light or dark", False)
    if not (home / "terminal.db").exists():
        fail("not_enrolled", f"{home} holds no terminal: run `walletpos terminal --home {home} "
                             "enroll ...` first", False)
    if screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from pos_app.gui.counter.run import run_counter

    cam: int | str | None = int(camera) if camera and camera.isdigit() else camera
    raise typer.Exit(run_counter(home, screenshot=screenshot, lang=lang, theme=theme,
                                 fullscreen=fullscreen, camera=cam, idle_seconds=idle))
