"""`walletpos manager`: the store manager's screen over a terminal HOME, behind a manager PIN
(PySide6 is imported only here). `--screenshot PNG` renders the PIN screen and exits."""

from __future__ import annotations

from pathlib import Path

import typer

from pos_app.cli.screen_args import HomeOpt, ThemeOpt, prepare_screen


def manager(
    home: HomeOpt = None,
    screenshot: Path = typer.Option(None, "--screenshot",  # noqa: B008
                                    help="Render the first screen to this PNG and exit."),
    lang: str = typer.Option(None, "--lang", help="en or ja (default: the last one used)."),
    theme: ThemeOpt = None,
) -> None:
    home = prepare_screen(home, lang, theme, screenshot)
    from pos_app.gui.manager.run import run_manager

    raise typer.Exit(run_manager(home, screenshot=screenshot, lang=lang, theme=theme))
