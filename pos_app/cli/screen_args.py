"""What `walletpos counter | kiosk | manager` share: their --home/--lang/--theme/--camera
options and the checks that run before Qt is imported (a screen needs an enrolled HOME;
`--screenshot` renders offscreen)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from pos_app.cli.output import fail, fail_from

HomeOpt = Annotated[Path | None, typer.Option(
    "--home", envvar="WALLETPOS_HOME", help="Terminal folder (enrolled with `terminal enroll`).")]
ThemeOpt = Annotated[str | None, typer.Option("--theme", help="light or dark.")]


def prepare_screen(home: Path | None, lang: str | None, theme: str | None,
                   screenshot: Path | None) -> Path:
    """The enrolled HOME, or a typed error (exit 2) before any window opens."""
    if home is None:
        fail("no_home", "give --home DIR or set WALLETPOS_HOME", False)
    if lang not in (None, "en", "ja") or theme not in (None, "light", "dark"):
        fail("invalid_input", "--lang is en or ja; --theme is light or dark", False)
    if not (home / "terminal.db").exists():
        fail("not_enrolled", f"{home} holds no terminal: run `walletpos terminal --home {home} "
                             "enroll ...` first", False)
    _check_database(home)
    # A home other accounts can read, or whose secret is not on this account (a copied
    # folder), is said here with its reason and exit 2, before any window opens.
    from core.errors import WalletError
    from pos_app.terminal.service import TerminalService

    try:
        TerminalService(home).close()
    except WalletError as exc:
        fail_from(exc, False)
    if screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return home


def _check_database(home: Path) -> None:
    """A damaged terminal.db is said before any window opens (exit 2, what to do), the same
    answer as `walletpos terminal`; a screen that meets damage later shows it in a dialog.
    A screen starts once a shift, so its quick check runs whatever the file's size."""
    from core.errors import WalletError
    from pos_app.terminal import integrity
    from pos_app.terminal.database import DB_NAME, TerminalDB

    try:
        db = TerminalDB.open(home)
        try:
            with db.read() as conn:
                integrity.quick_check(conn, home / DB_NAME)
        finally:
            db.close()
    except WalletError as exc:
        fail(exc.reason, exc.message, False)
    except Exception:  # noqa: BLE001 - anything else is the screen's to report, as before
        return


def camera_source(camera: str | None) -> int | str | None:
    """--camera: a device index, or a video file / image folder path."""
    return int(camera) if camera and camera.isdigit() else camera
