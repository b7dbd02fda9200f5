"""`walletpos admin ...`: head-office calls to central's admin API (programs, enrollment codes,
card batches, card look-up, conflict cases) through `wallet_sync.central.admin_client`.
`--central` and `--key` also come from WALLETPOS_CENTRAL and WALLETPOS_ADMIN_KEY."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from pos_app.cli.output import emit, fail
from wallet_sync.central.admin_client import AdminClient, AdminError

app = typer.Typer(no_args_is_help=True, help="Head-office calls to the central admin API.")

JsonOption = typer.Option(False, "--json", help="Machine-readable output.")


@app.callback()
def main(ctx: typer.Context,
         central: str = typer.Option(..., "--central", envvar="WALLETPOS_CENTRAL",
                                     help="Central base URL, e.g. http://127.0.0.1:8750"),
         key: str = typer.Option(..., "--key", envvar="WALLETPOS_ADMIN_KEY",
                                 help="Admin API key from `walletpos central init`.")) -> None:
    ctx.obj = {"central": central, "key": key}


def _run(ctx: typer.Context, as_json: bool, call: Any) -> dict[str, Any]:
    with AdminClient(ctx.obj["central"], ctx.obj["key"]) as client:
        try:
            return call(client)
        except AdminError as exc:
            fail(exc.reason, exc.message, as_json)


@app.command("load-programs")
def load_programs(ctx: typer.Context,
                  file: Annotated[Path, typer.Argument(help="YAML or JSON file")],
                  as_json: bool = JsonOption) -> None:
    """Upload a program file; changed programs get a new version."""
    try:
        source = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail("unreadable_file", f"{file}: {exc}", as_json)
    fmt = "json" if file.suffix.lower() == ".json" else "yaml"
    result = _run(ctx, as_json, lambda c: c.load_programs(source, fmt, file.name))
    emit(result, as_json, "\n".join(
        f"{p['id']}: version {p['version']}{' (changed)' if p.get('changed') else ''}"
        for p in result["programs"]))


@app.command("enroll-code")
def enroll_code(ctx: typer.Context, store: str = typer.Option(..., "--store"),
                as_json: bool = JsonOption) -> None:
    """A one-time enrollment code for a terminal of STORE (valid 15 minutes)."""
    result = _run(ctx, as_json, lambda c: c.enroll_code(store))
    emit(result, as_json, f"enrollment code for {store}: {result['code']} (valid 15 minutes)")


@app.command("issue-cards")
def issue_cards(ctx: typer.Context, program: str = typer.Option(..., "--program"),
                count: int = typer.Option(..., "--count", min=1, max=10_000),
                value: str | None = typer.Option(None, "--value",
                                                 help="Decimal amount, e.g. 25.00"),
                activate: bool = typer.Option(False, "--activate"),
                as_json: bool = JsonOption) -> None:
    """Issue COUNT cards of PROGRAM (inactive unless --activate)."""
    result = _run(ctx, as_json, lambda c: c.issue_cards(program, count, value, activate))
    emit(result, as_json, "\n".join(card["code"] for card in result["cards"]))


@app.command("card")
def card(ctx: typer.Context, code: Annotated[str, typer.Argument(help="Card code")],
         as_json: bool = JsonOption) -> None:
    """A card's state and balance."""
    result = _run(ctx, as_json, lambda c: c.card(code))
    emit(result, as_json, f"{result['code']}: {result['state']}, "
                          f"{result['balance']} {result['currency']} ({result['program']})")


@app.command("conflicts")
def list_conflicts(ctx: typer.Context, status: str | None = typer.Option(None, "--status"),
                   as_json: bool = JsonOption) -> None:
    """Conflict cases: overdrafts, unknown cards, forks."""
    result = _run(ctx, as_json, lambda c: c.conflicts(status))
    lines = [f"#{c['id']} {c['reason']} card={c['card']} terminal={c['terminal']} "
             f"seq={c['seq']} shortfall={c['shortfall']} {c['currency']} [{c['status']}]"
             for c in result["conflicts"]]
    emit(result, as_json, "\n".join(lines) or "no conflicts")
