"""`walletpos counter`: the cashier's screen over a terminal HOME (PySide6 is imported only
here, so the other commands start without Qt). `--screenshot PNG` renders the first screen after
start-up (the staff login, once the terminal's facts and staff are loaded) and exits."""

from __future__ import annotations

from pathlib import Path

import typer

from pos_app.cli.screen_args import HomeOpt, ThemeOpt, camera_source, prepare_screen


def counter(
    home: HomeOpt = None,
    screenshot: Path = typer.Option(None, "--screenshot",  # noqa: B008
                                    help="Render the first screen to this PNG and exit."),
    lang: str = typer.Option(None, "--lang", help="en or ja (default: the last one used)."),
    theme: ThemeOpt = None,
    fullscreen: bool = typer.Option(False, "--fullscreen", help="Fill the screen (kiosk-like)."),
    camera: str = typer.Option(None, "--camera",
                               help="Camera index, video file or image folder for the preview."),
    idle: float = typer.Option(120.0, "--idle", help="Lock after this many idle seconds."),
) -> None:
    home = prepare_screen(home, lang, theme, screenshot)
    from pos_app.gui.counter.run import run_counter

    cam = camera_source(camera)
    raise typer.Exit(run_counter(home, screenshot=screenshot, lang=lang, theme=theme,
                                 fullscreen=fullscreen, camera=cam, idle_seconds=idle))
