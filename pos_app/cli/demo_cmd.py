"""`walletpos demo`: start the demo world (pos_app.demo) and open the counter over it, printing
what to try. The counter gets a "Demo: go offline / back online" button that stops and starts
the demo's own central, which is how the offline walk-through is done (Ctrl-C in the terminal
would end the whole demo, window and all). With --no-gui central runs until Ctrl-C."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
import typer

from pos_app.cli.output import emit

if TYPE_CHECKING:
    from pos_app import demo as demo_world


def demo(
    home: Path = typer.Option(None, "--home",  # noqa: B008 - typer's documented style
                              help="Demo folder (default: per-user data dir)."),
    port: int = typer.Option(0, "--port", help="Central port (default: a free one)."),
    keep: bool = typer.Option(False, "--keep",
                              help="Reuse an existing demo instead of a fresh one."),
    no_wait: bool = typer.Option(False, "--no-wait", help="Set up, print, and exit."),
    no_gui: bool = typer.Option(False, "--no-gui",
                                help="Keep central running without opening the counter screen."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    from pos_app import demo as demo_world  # the server stack loads only for this command

    home = home or platformdirs.user_data_path("walletpos") / "demo"
    world = demo_world.build(home, port=port or None, keep=keep, code_pools=True)
    emit(world.summary(), as_json, human=_instructions(world))
    if no_wait:
        world.central.stop()
        return
    if not no_gui:
        # The counter screen over the demo terminal; closing it stops the demo's central too.
        from pos_app.gui.counter.run import run_counter

        try:
            run_counter(world.terminal_home, demo_central=world.central)
        finally:
            world.central.stop()
        return
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        world.central.stop()


def _instructions(world: demo_world.DemoWorld) -> str:
    term = f"walletpos terminal --home {world.terminal_home}"
    admin = f"walletpos admin --central {world.central.url} --key {world.admin_key}"
    lines = [
        "walletpos demo is running.",
        f"  central   {world.central.url}  (SQLite: {world.central.db_url})",
        f"  admin key {world.admin_key}",
        f"  terminal  {world.terminal_home}",
        "",
        "Cards:",
    ]
    for card in world.cards:
        state = "active" if card["active"] else "not activated"
        lines.append(f"  {card['code']:<17}  {card['program']:<13} {card['value'] or '':>6} EUR"
                     f"  {state}")
    lines += ["", "Staff (log in at the counter):"]
    from pos_app.demo import DEMO_STAFF

    for name, role, pin in DEMO_STAFF:
        lines.append(f"  {name:<8} {role:<8} PIN {pin}")
    first = next((c["code"] for c in world.cards if c["program"] == "store-credit"), "CODE")
    manager = next((s["id"] for s in world.staff if s["role"] == "manager"), "MANAGER_ID")
    lines += [
        "",
        f"Counter screen: walletpos counter --home {world.terminal_home}",
        f"Manager screen: walletpos manager --home {world.terminal_home}  (Morgan, PIN 999999)",
        f"Issue cards:    {term} issue-cards --program gift-eur --count 10 --staff {manager} "
        "--pin 999999 --activate --pdf cards.pdf",
        "",
        "Try:",
        f"  {term} balance --code {first}",
        f"  {term} redeem --code {first} --amount 12.50",
        f"  {term} sync",
        f"  {admin} card {first}",
        f"  {term} verify",
        "",
        "Offline walk-through: in the counter press \"Demo: go offline\" (bottom right). It stops",
        "this demo's central; the counter syncs, finds it gone and shows the offline banner with",
        "each program's offline rules. Redeem store credit (up to 20.00 a payment, once per card),",
        "try the same card again or a gift card to see the rule that declines it, then press",
        "\"Demo: back online\": central starts again and the sync delivers the offline sales once.",
        "Closing the counter window (or Ctrl-C here) stops the demo; `walletpos demo --keep`",
        "brings it back with the same cards.",
    ]
    lines += _path_hint()
    return "\n".join(lines)


def _path_hint() -> list[str]:
    """The commands above say bare `walletpos`: tell how to get it when it is not on PATH
    (after `make demo` it lives in the checkout's .venv/bin)."""
    here = Path(sys.argv[0]).resolve().parent if sys.argv and sys.argv[0] else None
    found = shutil.which("walletpos")
    if found is not None or here is None or not (here / "walletpos").exists():
        return []
    return ["", f"`walletpos` is not on your PATH: it is {here / 'walletpos'}. Put it there with",
            f"  export PATH=\"{here}:$PATH\"",
            "(or run `source .venv/bin/activate` in the checkout)."]
