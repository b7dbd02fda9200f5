"""`walletpos kiosk`: the customer's self-service balance screen over a terminal HOME, full
screen (PySide6 is imported only here). Leaving it needs a manager's PIN. `--screenshot PNG`
renders the attract screen and exits."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from pos_app.cli.output import fail


def kiosk(
    home: Path = typer.Option(None, "--home", envvar="WALLETPOS_HOME",  # noqa: B008
                              help="Terminal folder (enrolled with `terminal enroll`)."),
    screenshot: Path = typer.Option(None, "--screenshot",  # noqa: B008
                                    help="Render the attract screen to this PNG and exit."),
    lang: str = typer.Option(None, "--lang", help="en or ja: the language it returns to."),
    theme: str = typer.Option(None, "--theme", help="light or dark."),
    camera: str = typer.Option(None, "--camera",
                               help="Camera index, video file or image folder."),
    windowed: bool = typer.Option(False, "--windowed", help="Not full screen (setting up)."),
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
    from pos_app.gui.kiosk.run import run_kiosk

    cam: int | str | None = int(camera) if camera and camera.isdigit() else camera
    raise typer.Exit(run_kiosk(home, screenshot=screenshot, lang=lang, theme=theme, camera=cam,
                               windowed=windowed))
