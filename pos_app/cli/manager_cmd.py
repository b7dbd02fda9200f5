"""`walletpos manager`: the store manager's screen over a terminal HOME, behind a manager PIN
(PySide6 is imported only here). `--screenshot PNG` renders the PIN screen and exits."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from pos_app.cli.output import fail


def manager(
    home: Path = typer.Option(None, "--home", envvar="WALLETPOS_HOME",  # noqa: B008
                              help="Terminal folder (enrolled with `terminal enroll`)."),
    screenshot: Path = typer.Option(None, "--screenshot",  # noqa: B008
                                    help="Render the first screen to this PNG and exit."),
    lang: str = typer.Option(None, "--lang", help="en or ja (default: the last one used)."),
    theme: str = typer.Option(None, "--theme", help="light or dark."),
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
    from pos_app.gui.manager.run import run_manager

    raise typer.Exit(run_manager(home, screenshot=screenshot, lang=lang, theme=theme))
