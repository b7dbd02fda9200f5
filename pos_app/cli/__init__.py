"""The `walletpos` command line: one typer app with a sub-app per audience (central, admin,
terminal) plus `demo` and `scan`. Each command is a thin entrypoint over one service call;
every command takes `--json` and prints amounts as decimal strings with their currency.

Start-up time matters (a cashier's `redeem`, the crash harness's hundreds of processes), so
`main()` imports only the command module the first argument names; `--help` loads them all.
"""

from __future__ import annotations

import importlib
import sys

import typer

# name -> (module, attribute, is a sub-app, help)
COMMANDS: dict[str, tuple[str, str, bool, str]] = {
    "demo": ("pos_app.cli.demo_cmd", "demo", False,
             "Everything local with demo data: central, cards, an enrolled terminal."),
    "central": ("pos_app.cli.central_cmd", "app", True, "Run and initialise the central service."),
    "admin": ("pos_app.cli.admin_cmd", "app", True, "Head-office calls to the central admin API."),
    "terminal": ("pos_app.cli.terminal_cmd", "app", True,
                 "A store terminal, from the command line."),
    "counter": ("pos_app.cli.counter_cmd", "counter", False,
                "The cashier's screen (PySide6): log in, scan, redeem, print."),
    "kiosk": ("pos_app.cli.kiosk_cmd", "kiosk", False,
              "The customer's self-service balance screen (full screen; manager PIN to leave)."),
    "manager": ("pos_app.cli.manager_cmd", "manager", False,
                "The manager's screen (PIN): issue, print and sell cards, card care, day close."),
    "scan": ("pos_app.cli.scan_cmd", "scan", False,
             "Decode QR codes from image files or a camera, as the counter would."),
    "doctor": ("pos_app.cli.doctor_cmd", "doctor", False,
               "What this install can do: decoders, Qt plugins, sound, fonts, time zones."),
}


def version() -> str:
    """The installed distribution's version (the bundle carries the same metadata)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("walletpos")
    except PackageNotFoundError:  # a bare checkout on sys.path, never installed
        return "unknown"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"walletpos {version()}")
        raise typer.Exit()


def build_app(only: str | None = None) -> typer.Typer:
    app = typer.Typer(no_args_is_help=True, add_completion=False,
                      help="walletpos: offline-capable gift-card and loyalty terminal and its "
                           "central.")

    @app.callback()
    def _root(show_version: bool = typer.Option(  # noqa: B008 - typer's documented style
            False, "--version", is_eager=True, callback=_print_version,
            help="Print the version and exit.")) -> None:
        # A callback keeps `walletpos` a command group even when only one command is loaded.
        pass

    for name, (module, attr, is_group, text) in COMMANDS.items():
        if only is not None and name != only:
            continue
        target = getattr(importlib.import_module(module), attr)
        if is_group:
            app.add_typer(target, name=name, help=text)
        else:
            app.command(name, help=text)(target)
    return app


def json_last(argv: list[str]) -> list[str]:
    """`--json` is a flag of the leaf command (`terminal redeem --json`); accept it anywhere
    (`walletpos --json terminal ...`, `terminal --home D --json redeem ...`) by moving it to
    the end, where every command takes it. Nothing after a `--` is touched."""
    cut = argv.index("--") if "--" in argv else len(argv)
    head, tail = argv[:cut], argv[cut:]
    if "--json" not in head[:-1]:
        return argv
    return [a for a in head if a != "--json"] + ["--json"] + tail


def main() -> None:
    sys.argv[1:] = json_last(sys.argv[1:])
    first = sys.argv[1] if len(sys.argv) > 1 else None
    # `--version` is answered by the root callback: it loads no command module at all.
    build_app(first if first in COMMANDS or first == "--version" else None)()


def __getattr__(name: str) -> typer.Typer:
    # `from pos_app.cli import app` (tests, embedding) gets the full app, built on demand.
    if name == "app":
        return build_app()
    raise AttributeError(name)
