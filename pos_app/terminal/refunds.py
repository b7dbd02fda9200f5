"""Refunding an order at the till (issue 16, part 2), held by `TerminalService` as `refunds`.

A receipt reference (the order id; its QR `WPO:<id>`) finds the order this terminal committed.
`refund` plans with `core.rules.refunds` and writes, in ONE write transaction, one signed
`refund` entry per original it gives back to (`ref` = the original's seq, `extra {order,
refund, of, lines, whole, reason}`), each also recorded as an `order_parts` row of the order,
so the next refund of the same order sees it under the same lock: the same line twice or more
than was paid is refused however fast the second request comes, and a refund killed at any
instant is either all in the journal or not at all.

A refund needs a manager of this store (as a void does) and no authorization from central: it
only gives back what its original entry took, which central checks again at ingest (a refund
past what is left is applied only up to it, with a `breach:refund_over_paid` case). It is
written the same way online and offline and pushed at once when central answers. The money it
gives back becomes spendable here when central has applied it (the next pull), never before:
an offline refund cannot be spent offline. Points taken back count here at once.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, text

from core.errors import Declined, InvalidInput
from core.journal import EntryBody
from core.money import format_minor, parse_minor
from core.rules.basket import Basket
from core.rules.orders import Part
from core.rules.refunds import Original, RefundPlan, order_of_reference, plan_refund
from core.text_input import check_text
from pos_app.terminal import orders
from pos_app.terminal.card_care import SYNC_FAILURES
from pos_app.terminal.context import TerminalContext
from pos_app.terminal.database import TerminalDB
from pos_app.terminal.staff_login import StaffLogin


class Refunds:
    """Finds an order by its receipt reference and refunds it (whole, lines or an amount)."""

    def __init__(self, ctx: TerminalContext, staff: StaffLogin, sync: Callable[[], object]
                 ) -> None:
        self._ctx = ctx
        self._staff = staff
        self._sync = sync

    # ---- reading ----------------------------------------------------------------------------

    def _basket(self, conn: Connection, reference: str) -> tuple[str, Basket]:
        check_text(reference, "receipt reference")
        order_id = order_of_reference(reference)
        basket = orders.basket_of(conn, order_id)
        if basket is None:
            raise InvalidInput(f"no order {order_id} at this terminal", "unknown_order")
        return order_id, basket

    @staticmethod
    def _state(conn: Connection, order_id: str) -> tuple[list[Original], set[int],
                                                         list[EntryBody]]:
        """The order's refundable originals (with what earlier refunds gave back of each), the
        lines refunded already and the refund entries, read from the journal."""
        parts = orders.so_far(conn, order_id).parts
        bodies: dict[int, EntryBody] = {}
        for p in parts:
            raw = conn.execute(text("SELECT data FROM journal WHERE seq = :s"),
                               {"s": p.seq}).scalar()
            if raw is not None:
                bodies[p.seq] = EntryBody.decode(bytes(raw))
        refunds = [b for b in bodies.values() if b.op == "refund"
                   and b.extra.get("order") == order_id]
        back: dict[int, int] = {}
        lines: set[int] = set()
        for b in refunds:
            if b.ref is not None:
                back[b.ref] = back.get(b.ref, 0) + b.amount
            lines.update(i for i in b.extra.get("lines") or () if isinstance(i, int))
        for card in {b.card for b in bodies.values() if b.op == "redeem" and b.card}:
            for (data,) in conn.execute(text("SELECT data FROM journal WHERE op = 'void' "
                                             "AND card = :c"), {"c": card}):
                voided = EntryBody.decode(bytes(data)).ref
                if voided in bodies:  # a voided redeem has nothing left to give back
                    back[voided] = bodies[voided].amount
        restricted = {p.seq: p.lines for p in parts if p.op == "redeem"}
        originals = [Original(b.seq, b.op, b.card or "", b.program or "", b.amount, b.currency,
                              b.program_version, back.get(b.seq, 0), restricted.get(b.seq))
                     for b in bodies.values()
                     if b.op in ("redeem", "earn", "burn") and b.extra.get("order") == order_id]
        return originals, lines, refunds

    def show(self, reference: str) -> dict[str, Any]:
        """The order as `terminal order` shows it, plus what is refunded and left to refund."""
        with self._ctx.db.read() as conn:
            order_id, basket = self._basket(conn, reference)
            data = orders.order_json(conn, order_id, basket.currency)
            originals, lines, refunds = self._state(conn, order_id)
        cur = basket.currency
        data["currency"] = cur
        data["lines"] = [{"index": i, "sku": ln.sku, "category": ln.category, "qty": ln.qty,
                          "amount": format_minor(ln.amount, cur), "refunded": i in lines}
                         for i, ln in enumerate(basket.lines)]
        data["refunded"] = format_minor(sum(b.amount for b in refunds if b.extra.get("of")
                                            == "redeem"), cur)
        data["refundable"] = format_minor(sum(o.left for o in originals if o.op == "redeem"),
                                          cur)
        return data

    # ---- refunding --------------------------------------------------------------------------

    def refund(self, reference: str, *, staff: str, lines: Any = None,
               amount: str | None = None, reason: str = "") -> dict[str, Any]:
        """Refund the order REFERENCE names: whole, some LINES (indices, or {sku} as a lines
        file holds them) or an AMOUNT; a manager's STAFF id."""
        manager = self._staff.manager(staff).id
        check_text(reason, "reason", 200)
        check_text(amount, "amount")
        refund_id = "R-" + secrets.token_hex(6)
        with self._ctx.db.write() as conn:  # plan and write under one lock
            order_id, basket = self._basket(conn, reference)
            originals, done, _ = self._state(conn, order_id)
            indices = None if lines is None else _line_indices(basket, lines, done)
            minor = parse_minor(amount, basket.currency) if amount is not None else None
            plan = plan_refund(basket.total, [ln.amount for ln in basket.lines], originals,
                               done, lines=indices, amount=minor)
            entries = self._journal(conn, order_id, plan, manager, refund_id, reason.strip())
        synced = True
        try:
            self._sync()  # central applies; the money comes back on the cards
        except SYNC_FAILURES:
            synced = False  # journaled: the next sync delivers it
        cur = basket.currency
        with self._ctx.db.read() as conn:
            balances = {e["card"]: TerminalDB.get_card(conn, e["card"]) for e in entries
                        if e["of"] == "redeem"}
        for e in entries:
            row = balances.get(e["card"])
            e["balance"] = format_minor(row.balance, cur) if row is not None else None
            e["amount"] = format_minor(e["amount"], cur) if e["of"] == "redeem" \
                else e["amount"]
        ident = self._ctx.identity()
        return {"status": "refunded", "order": order_id, "refund": refund_id,
                "store": ident.store_id, "terminal": ident.terminal_id,
                "amount": format_minor(plan.amount, cur), "currency": cur,
                "whole": plan.whole, "lines": list(plan.lines), "synced": synced,
                "parts": entries}

    def _journal(self, conn: Connection, order_id: str, plan: RefundPlan, staff: str,
                 refund_id: str, reason: str) -> list[dict[str, Any]]:
        out = []
        for back in plan.backs:
            o = back.original
            extra: dict[str, Any] = {"order": order_id, "refund": refund_id, "of": o.op,
                                     "lines": list(plan.lines), "whole": plan.whole}
            if reason:
                extra["reason"] = reason
            entry = self._ctx.journal.append(
                conn, "refund", card=o.card, program=o.program,
                program_version=o.program_version, amount=back.amount, currency=o.currency,
                staff=staff, ref=o.seq, extra=extra, request_id=refund_id)
            orders.record(conn, order_id, entry.body.seq,
                          Part("refund", o.program, back.amount, o.card, lines=plan.lines))
            out.append({"seq": entry.body.seq, "ref": o.seq, "of": o.op, "card": o.card,
                        "amount": back.amount})
        return out


def _line_indices(basket: Basket, lines: Any, done: set[int]) -> list[int]:
    """Lines to refund: indices, or items {sku, ...} as a lines file holds them, each matched
    to the first line of the order with that sku not refunded nor matched yet."""
    if isinstance(lines, dict):
        lines = lines.get("lines")
    if not isinstance(lines, list) or not lines:
        raise InvalidInput("give the lines to refund as a list", "invalid_input")
    out: list[int] = []
    for item in lines:
        if isinstance(item, int) and not isinstance(item, bool):
            out.append(item)
            continue
        sku = item.get("sku") if isinstance(item, dict) else None
        if not isinstance(sku, str):
            raise InvalidInput(f"not a line: {json.dumps(item)[:60]}", "invalid_input")
        free = [i for i, ln in enumerate(basket.lines) if ln.sku == sku and i not in out]
        pick = next((i for i in free if i not in done), free[0] if free else None)
        if pick is None:
            raise InvalidInput(f"the order has no line {sku[:40]!r}", "unknown_line")
        out.append(pick)
    if len(set(out)) != len(out):
        raise Declined("a line is given twice", "already_refunded")
    return out
