"""The `walletpos` command line: one typer app with a sub-app per audience (central, admin,
terminal) plus `demo`. Each command is a thin entrypoint over one service call; every command
takes `--json` and prints amounts as decimal strings with their currency."""

from __future__ import annotations

import typer

from pos_app.cli import admin_cmd, central_cmd, demo_cmd, scan_cmd, terminal_cmd

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="walletpos: offline-capable gift-card and loyalty terminal and its central.")
app.add_typer(central_cmd.app, name="central", help="Run and initialise the central service.")
app.add_typer(admin_cmd.app, name="admin", help="Head-office calls to the central admin API.")
app.add_typer(terminal_cmd.app, name="terminal", help="A store terminal, from the command line.")
app.command("demo", help="Everything local with demo data: central, cards, an enrolled terminal.")(
    demo_cmd.demo)
app.command("scan", help="Decode QR codes from image files or a camera, as the counter would.")(
    scan_cmd.scan)


def main() -> None:
    app()
