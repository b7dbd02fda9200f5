"""`walletpos terminal --home DIR ...`: a store terminal from the command line.

Each command is one `TerminalService` call. `--home` may come from WALLETPOS_HOME. Malformed
input (a typo'd code, "abc" as an amount, hostile or oversized text) is a typed error
{"error","message"} with exit 2 and writes nothing; a declined redemption is an answer (exit 0);
a failed `verify` exits 1 naming the first bad seq.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import click
import typer

from core.errors import WalletError
from pos_app.cli import loyalty_cmd  # noqa: F401  (earn, quote, redeem-reward on this app)
from pos_app.cli.output import emit, fail
from pos_app.cli.terminal_app import JsonOpt, app, open_service, run
from pos_app.terminal.redeem import OrderInput
from pos_app.terminal.service import TerminalService


@app.command()
def enroll(
    ctx: typer.Context,
    central: Annotated[str, typer.Option("--central", help="Central base URL.")],
    code: Annotated[str, typer.Option("--code", help="One-time enrollment code.")],
    name: Annotated[str | None, typer.Option("--name", help="A name for this till.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Make this terminal's key pair and enroll it with central using a one-time code."""
    with open_service(ctx, as_json) as svc:
        result = run(lambda: svc.enroll(central, code, name), as_json)
    emit(result, as_json, f"enrolled as {result['terminal_id']} in store {result['store']}")


@app.command()
def sync(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Push the outbox to central, then pull program and card changes."""
    with open_service(ctx, as_json) as svc:
        result = run(svc.sync, as_json)
    emit(dict(result), as_json, "pushed {pushed}, pulled {pulled}, conflicts {conflicts}"
         .format(**result))


@app.command()
def redeem(
    ctx: typer.Context,
    code: Annotated[list[str], typer.Option(
        "--code", help="Card code as printed or typed; several --code pay one order.")],
    amount: Annotated[str | None, typer.Option(
        "--amount", help='Decimal amount the cards pay, e.g. "12.50" (default with --lines '
                         'or --order: all they can of what is left).')] = None,
    lines: Annotated[Path | None, typer.Option(
        "--lines", help="The order's lines: a JSON list of {sku, category, qty, price}, or "
                        "a host POS basket drop.")] = None,
    order: Annotated[str | None, typer.Option(
        "--order", help="Add to this order (default: a new one).")] = None,
    as_given: Annotated[bool, typer.Option(
        "--as-given", help="Use the cards in the order given (default: soonest-expiring, "
                           "then smallest balance first).")] = False,
    staff: Annotated[str | None, typer.Option("--staff", help="Cashier id.")] = None,
    currency: Annotated[str | None, typer.Option("--currency",
                                                 help="Defaults to the card's.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Redeem gift cards on one order: online first, else by the program's offline policy."""
    rows, total = loyalty_cmd.order_file(lines, as_json)
    if amount is None and rows is None and total is None and order is None:
        fail("invalid_input", "give --amount, --lines or --order", as_json)
    order_in = OrderInput(order, rows, total)
    if len(code) > 1 or amount is None:
        with open_service(ctx, as_json) as svc:
            paid = run(lambda: svc.pay(code, amount, staff=staff, order=order_in,
                                       as_given=as_given), as_json)
        data = paid.as_json()
        told = [f"ORDER {paid.order}: paid {data['amount']} of {data['total']} "
                 f"{data['currency']}; to pay {data['to_pay']}"]
        told += [f"  {p['code']}: {p['status'].upper()} {p['amount']}"
                  + (f" ({p['reason']})" if p["reason"] else
                     f", balance {p['balance_after']}, seq {p['seq']}") for p in data["parts"]]
        told += [f"  dropped {d['benefit']}: {d['reason']}" for d in data["dropped"]]
        emit(data, as_json, "\n".join(told))
        return
    with open_service(ctx, as_json) as svc:
        result = run(lambda: svc.redeem(code[0], amount, staff=staff, currency=currency,
                                        order=order_in), as_json)
    data = result.as_json()
    if result.status == "approved":
        mode = "offline" if result.offline else "online"
        human = (f"APPROVED {data['amount']} {data['currency']} ({mode}); balance "
                 f"{data['balance_after']}; seq {result.seq}; ref {result.request_id}; "
                 f"order {result.order}")
    else:
        human = f"DECLINED: {result.reason}"
        if "available" in data:  # reserved_elsewhere: the rest is another till's grant
            human += (f" ({data['available']} {data['currency']} can be paid now; the rest "
                      "is reserved at another till and will be free shortly)")
    emit(data, as_json, human)


@app.command("order")
def show_order(
    ctx: typer.Context,
    order_id: Annotated[str, typer.Argument(
        help="The order id a redeem or reward printed, or the receipt's QR (WPO:...).")],
    as_json: JsonOpt = False,
) -> None:
    """An order as this terminal committed it: total, paid, every part in order, its lines
    and what is refunded and left to refund."""
    with open_service(ctx, as_json) as svc:
        result = run(lambda: svc.refund_view(order_id), as_json)
    human = [f"order {result['id']}: total {result['total']}, paid {result['paid']}, "
             f"discount {result['discount']}, to pay {result['to_pay']}"]
    human += [f"  #{p['seq']} {p['op']} {p['card']} {p['amount']}" for p in result["parts"]]
    emit(result, as_json, "\n".join(human))


@app.command()
def refund(
    ctx: typer.Context,
    order: Annotated[str, typer.Option(
        "--order", help="The receipt reference: the order id, or the receipt's QR (WPO:...).")],
    staff: Annotated[str, typer.Option("--staff", help="The approving manager's id.")],
    lines: Annotated[Path | None, typer.Option(
        "--lines", help="Refund these lines only: a JSON list of {sku, ...} (as a lines file "
                        "holds them) or of line numbers from 0.")] = None,
    amount: Annotated[str | None, typer.Option(
        "--amount", help='Refund this amount only, e.g. "5.00".')] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the entries).")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Refund an order (whole, some lines or an amount): value back to the cards it was paid
    with, last-used card first, points earned taken back, rewards returned on a whole refund."""
    rows = None
    if lines is not None:
        rows, _ = loyalty_cmd.order_file(lines, as_json)
    with open_service(ctx, as_json) as svc:
        result = run(lambda: svc.refund(order, staff=staff, lines=rows, amount=amount,
                                        reason=reason), as_json)
    told = [f"REFUNDED {result['amount']} {result['currency']} of order {result['order']} "
            f"({result['refund']}{', whole' if result['whole'] else ''})"
            + ("" if result["synced"] else "; central will get it at the next sync")]
    told += [f"  #{p['seq']} {p['of']} #{p['ref']} {p['card']}: {p['amount']}"
             + (f", balance {p['balance']}" if p.get("balance") else "")
             for p in result["parts"]]
    emit(result, as_json, "\n".join(told))


@app.command()
def balance(
    ctx: typer.Context,
    code: Annotated[str, typer.Option("--code", help="Card code as printed or typed.")],
    as_json: JsonOpt = False,
) -> None:
    """A card's balance from the local replica (works offline)."""
    with open_service(ctx, as_json) as svc:
        result = run(lambda: svc.balance(code), as_json)
    emit(result, as_json, f"{result['code']}: {result['balance']} {result['currency']} "
         f"({result['state']}, as of {result['as_of']})")


@app.command()
def verify(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Check the database file, the journal's chain and signatures and every card's balance
    view; exit 1 naming the first bad seq or the cards, exit 2 for a damaged file."""
    with open_service(ctx, as_json) as svc:
        report = run(svc.verify, as_json)
    data = report.as_json()
    if report.ok:
        human = f"journal OK: {report.entries} entries"
    elif report.seq is not None:
        human = f"journal BROKEN at seq {report.seq}: {report.why}"
    else:
        human = "journal OK, balance view WRONG"
    for card in (c.as_json() for c in report.cards):
        human += f"\n  {card['code']}: shows {card['view']}, its journal says {card['journal']}"
    for code, seen in report.refused.items():
        human += f"\n  {code}: an offline spend was refused (shown {seen.get('view')}, " \
                 f"journal {seen.get('journal')})"
    emit(data, as_json, human)
    if not report.ok:
        raise typer.Exit(1)


def _manager_approval(svc: TerminalService, staff: str, pin: str | None, as_json: bool) -> str:
    """The manager's PIN, checked offline exactly as at the manager screen (same lockout).
    Asked on the terminal when left out; with no terminal to ask on (a script, a pipe) that is
    an input error (exit 2), never click's "Aborted." with exit 1 (`verify`'s code)."""
    if pin is None:
        if not sys.stdin.isatty():
            fail("pin_required", "give the manager's PIN with --pin or WALLETPOS_MANAGER_PIN "
                                 "(no terminal to ask it on)", as_json)
        try:
            pin = typer.prompt("manager PIN", hide_input=True)
        except click.exceptions.Abort:
            fail("pin_required", "no manager PIN given", as_json)
    result = run(lambda: svc.login(staff, pin, role="manager"), as_json)
    if result.status != "ok":
        fail("manager_required" if result.status != "locked" else "locked_out",
             f"manager approval refused ({result.status})", as_json)
    return staff


@app.command("issue-cards")
def issue_cards(
    ctx: typer.Context,
    program: Annotated[str, typer.Option("--program", help="Gift-card program id.")],
    count: Annotated[int, typer.Option("--count", min=1, max=500, help="Cards in the batch.")],
    staff: Annotated[str, typer.Option("--staff", help="Approving manager's id.")],
    pin: Annotated[str | None, typer.Option(
        "--pin", envvar="WALLETPOS_MANAGER_PIN",
        help="The manager's PIN (asked when left out).")] = None,
    value: Annotated[str | None, typer.Option(
        "--value", help="Face value each, e.g. 25.00 (default: the program's).")] = None,
    expires: Annotated[str | None, typer.Option(
        "--expires", help="Expiry date YYYY-MM-DD (default: the program's rule).")] = None,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Also print the sheet here.")] = None,
    layout: Annotated[str, typer.Option(
        "--layout", help="a4, letter or card (one CR80 card per page).")] = "a4",
    activate: Annotated[bool, typer.Option(
        "--activate", help="Also sell each card at its face value (activate it).")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Issue a batch of physical cards from this terminal's code pool (works offline while the
    pool lasts), inactive unless --activate; central confirms them at sync."""
    if layout not in ("a4", "letter", "card"):
        fail("invalid_input", "--layout is a4, letter or card", as_json)
    if pdf is not None:  # find out before issuing, not after
        try:
            with open(pdf, "ab"):
                pass
        except OSError as exc:
            fail("unwritable_file", f"cannot write {pdf}: {exc.strerror or exc}", as_json)
    with open_service(ctx, as_json) as svc:
        manager = _manager_approval(svc, staff, pin, as_json)
        result = run(lambda: svc.issue_cards(program, count, manager, value, expires), as_json)
        if activate:  # each card sold at its face value, as the manager screen does it
            for card in result["cards"]:
                sold = run(lambda c=card: svc.activate_and_load(c["code"], "", manager), as_json)
                card.update(state=sold["state"], balance=sold["balance"])
        if pdf is not None:
            try:
                result["pdf"] = svc.print_batch(result["batch"], pdf, layout)
            except WalletError as exc:
                fail(exc.reason, f"batch {result['batch']} issued but not printed: "
                     f"{exc.message}; print it with `print-batch {result['batch']}`", as_json)
    mode = "offline, head office confirms at sync" if result["offline"] else "online"
    human = [f"batch {result['batch']}: {result['count']} cards of {program}, "
             f"{result['value']} {result['currency']} each ({mode})"]
    human += [f"{card['code']}  {card.get('state', 'inactive')}" for card in result["cards"]]
    if pdf is not None:
        human.append(f"printed to {pdf} ({result['pdf']['pages']} pages)")
    emit(result, as_json, "\n".join(human))


@app.command("print-batch")
def print_batch(
    ctx: typer.Context,
    batch: Annotated[str, typer.Argument(help="Batch id from issue-cards.")],
    pdf: Annotated[Path, typer.Option("--pdf", help="Where to write the sheet.")],
    layout: Annotated[str, typer.Option(
        "--layout", help="a4, letter or card (one CR80 card per page).")] = "a4",
    as_json: JsonOpt = False,
) -> None:
    """Print a batch issued here again (the same codes and QR credentials)."""
    with open_service(ctx, as_json) as svc:
        result = run(lambda: svc.print_batch(batch, pdf, layout), as_json)
    emit(result, as_json, f"{result['cards']} cards printed to {pdf} ({result['pages']} pages)")
