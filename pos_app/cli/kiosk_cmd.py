"""`walletpos kiosk`: the customer's self-service balance screen over a terminal HOME, full
screen (PySide6 is imported only here). Leaving it needs a manager's PIN. `--screenshot PNG`
renders the attract screen and exits."""

from __future__ import annotations

from pathlib import Path

import typer

from pos_app.cli.screen_args import HomeOpt, ThemeOpt, camera_source, prepare_screen


def kiosk(
    home: HomeOpt = None,
    screenshot: Path = typer.Option(None, "--screenshot",  # noqa: B008
                                    help="Render the attract screen to this PNG and exit."),
    lang: str = typer.Option(None, "--lang", help="en or ja: the language it returns to."),
    theme: ThemeOpt = None,
    camera: str = typer.Option(None, "--camera",
                               help="Camera index, video file or image folder."),
    windowed: bool = typer.Option(False, "--windowed", help="Not full screen (setting up)."),
) -> None:
    home = prepare_screen(home, lang, theme, screenshot)
    from pos_app.gui.kiosk.run import run_kiosk

    cam = camera_source(camera)
    raise typer.Exit(run_kiosk(home, screenshot=screenshot, lang=lang, theme=theme, camera=cam,
                               windowed=windowed))
