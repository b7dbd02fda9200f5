"""`walletpos terminal ... earn | quote | redeem-reward`: loyalty at the till, registered on the
terminal app (`pos_app.cli.terminal_app`).

`--lines FILE` is a JSON list of {sku, category, qty, price} (price a decimal string), or a
basket as the host POS drops it (`{"currency", "total"?, "lines"?}`, see
pos_app/gui/counter/basket.py). Malformed
input — an unreadable lines file, a negative quantity, an unknown currency, a typo'd code — is a
typed error with exit 2; a refused benefit or a declined reward is an answer (exit 0) with its
reason code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from core.errors import Declined
from pos_app.cli.output import emit, fail
from pos_app.cli.terminal_app import JsonOpt, app, open_service, run

MAX_LINES_FILE = 1_000_000
MemberOpt = Annotated[str, typer.Option("--member", help="Member code.")]
LinesOpt = Annotated[Path | None, typer.Option("--lines", help="JSON list of basket lines.")]
AmountOpt = Annotated[str | None, typer.Option("--amount", help='Order total, e.g. "100.00".')]


def _lines(path: Path | None, as_json: bool) -> Any:
    return order_file(path, as_json)[0]


def order_file(path: Path | None, as_json: bool) -> tuple[Any, str | None]:
    """(lines, total) of a lines file: a JSON list of lines, or a host POS basket drop
    {"currency", "total"?, "lines"?} (the total only when it gives no lines)."""
    if path is None:
        return None, None
    try:
        if path.stat().st_size > MAX_LINES_FILE:
            fail("input_too_long", f"{path} is larger than {MAX_LINES_FILE} bytes", as_json)
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        fail("invalid_basket", f"cannot read lines from {str(path)[:200]}: {exc}", as_json)
    if isinstance(data, dict) and set(data) <= {"currency", "total", "channel", "lines"}:
        lines, total = data.get("lines") or None, data.get("total")
        if lines is not None and not isinstance(lines, list):
            fail("invalid_basket", "the basket's lines must be a JSON list", as_json)
        if total is not None and not isinstance(total, str):
            fail("invalid_basket", "the basket's total must be a decimal string", as_json)
        if lines is None and total is None:
            fail("invalid_basket", "the basket needs lines or a total", as_json)
        return lines, (total if lines is None else None)
    if not isinstance(data, list):
        fail("invalid_basket", "the lines file must hold a JSON list (or a basket drop)",
             as_json)
    return data, None


@app.command()
def earn(ctx: typer.Context, member: MemberOpt, amount: AmountOpt = None, lines: LinesOpt = None,
         event: Annotated[str | None, typer.Option("--event",
                                                   help="Custom event, e.g. newsletter_signup")
                          ] = None,
         as_json: JsonOpt = False) -> None:
    """Earn points for a purchase (--amount / --lines) or a custom event (--event)."""
    rows = _lines(lines, as_json)
    if amount is None and rows is None and event is None:
        fail("invalid_input", "give --amount, --lines or --event", as_json)
    with open_service(ctx, as_json) as svc:
        result = run(lambda: svc.earn(member, amount, rows, event), as_json)
    human = (f"EARNED {result['points_earned']} points; now {result['points_after']}"
             if result["status"] == "earned" else f"NO POINTS: {result['reason']}")
    emit(result, as_json, human)


@app.command()
def quote(ctx: typer.Context,
          member: Annotated[list[str] | None, typer.Option("--member", help="Member code.")
                            ] = None,
          code: Annotated[list[str] | None, typer.Option("--code", help="Gift-card code.")
                          ] = None,
          amount: AmountOpt = None, lines: LinesOpt = None,
          currency: Annotated[str | None, typer.Option("--currency")] = None,
          event: Annotated[list[str] | None, typer.Option("--event")] = None,
          as_json: JsonOpt = False) -> None:
    """Every benefit the presented member and gift cards offer for this basket, and every
    refused one with its reason."""
    rows = _lines(lines, as_json)
    identifiers = [*(member or []), *(code or [])]
    if not identifiers:
        fail("invalid_input", "give at least one --member or --code", as_json)
    if amount is None and rows is None:
        fail("invalid_input", "give --amount or --lines", as_json)
    with open_service(ctx, as_json) as svc:
        def work() -> dict[str, Any]:
            cur = currency
            if cur is None and member:
                cur = svc.member_currency(member[0])
            cur = cur or svc.card_currency(code or [])
            if cur is None:
                raise Declined("this terminal has no programs yet: sync first",
                               "program_unavailable")
            # The command shows why each rule is not offered, so it asks for every refusal.
            return svc.quote(svc.basket(cur, amount, rows), identifiers,
                             events=event or [], explain=True).as_json()
        result = run(work, as_json)
    lines_out = [f"offer {g['benefit']}: up to {g['spendable']}" for g in result["gift_cards"]]
    lines_out += [f"earn {e['points']} ({e['benefit']})" for e in result["earn"]]
    lines_out += [f"reward {r['reward']}: {r['cost']} points for {r['value']}"
                  for r in result["rewards"]]
    lines_out += [f"refused {r['benefit']}: {r['reason']}" for r in result["refused"]]
    emit(result, as_json, "\n".join(lines_out) or "nothing applies")


@app.command("redeem-reward")
def redeem_reward(ctx: typer.Context, member: MemberOpt,
                  reward: Annotated[str, typer.Option("--reward", help="Reward id.")],
                  amount: AmountOpt = None, lines: LinesOpt = None,
                  order: Annotated[str | None, typer.Option(
                      "--order", help="Add to this order (default: a new one).")] = None,
                  as_json: JsonOpt = False) -> None:
    """Spend points on a reward (journaled as a burn, plus a gift-card load for credit)."""
    rows, total = order_file(lines, as_json)
    amount = amount if amount is not None else total
    with open_service(ctx, as_json) as svc:
        result = run(lambda: svc.redeem_reward(member, reward, amount=amount, lines=rows,
                                               order=order), as_json)
    human = (f"REWARD {reward}: {result['points_burned']} points; now {result['points_after']}"
             if result["status"] == "approved" else f"DECLINED: {result['reason']}")
    emit(result, as_json, human)
