"""The `walletpos terminal` app itself: the `--home` option, opening the terminal service for
one command, and turning typed errors into the CLI's exit-2 answer. The commands register on
`app` from `terminal_cmd` (gift cards, issuing, sync, verify) and `loyalty_cmd`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from core.errors import WalletError
from core.text_input import check_text
from pos_app.cli.output import fail, fail_from
from pos_app.terminal.service import TerminalService

app = typer.Typer(no_args_is_help=True, help="A store terminal: enroll, redeem, balance, sync.")

T = TypeVar("T")
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
MAX_ARG_BYTES = 4096


@app.callback()
def main(
    ctx: typer.Context,
    home: Annotated[str, typer.Option("--home", envvar="WALLETPOS_HOME",
                                      help="Terminal data directory (or WALLETPOS_HOME).")],
) -> None:
    ctx.obj = home


@contextmanager
def open_service(ctx: typer.Context, as_json: bool) -> Iterator[TerminalService]:
    home = str(ctx.obj)
    try:
        check_text(home, "home", MAX_ARG_BYTES)
    except WalletError as exc:
        fail_from(exc, as_json)
    folder = Path(home).expanduser()
    # Only `enroll` makes a terminal; any other command on a folder that holds none is a typo
    # in --home (or the wrong WALLETPOS_HOME), said as such instead of an empty new terminal.
    if ctx.command.name != "enroll" and not (folder / "terminal.db").is_file():
        fail("not_enrolled", f"{home[:200]} holds no terminal: check --home, or enroll it with "
                             f"`walletpos terminal --home {home[:200]} enroll --central URL "
                             "--code CODE`", as_json)
    try:
        service = TerminalService(folder)
    except WalletError as exc:
        fail_from(exc, as_json)
    except OSError as exc:
        fail("home_unavailable", f"cannot open terminal home {home[:200]!r}: {exc}", as_json)
    try:
        yield service
    except WalletError as exc:  # e.g. a damaged file met outside `run`: still the typed answer
        fail_from(exc, as_json)
    finally:
        service.close()


def run(call: Callable[[], T], as_json: bool) -> T:
    try:
        return call()
    except WalletError as exc:
        fail_from(exc, as_json)
