"""The terminal's orders: the basket each spend belongs to and the parts already committed on it
(`core.rules.orders`), kept beside the journal in `orders` / `order_parts`.

`open_order` is called inside the commit's write transaction: a new id records the basket, a
known id must come with the same basket (`order_changed`: a host that changed its basket starts
a new order). `record` adds one part per journal entry in the same transaction, so the order
view can never disagree with the journal. Reads (`so_far`) take the caller's connection, so a
commit re-reads the order under its own lock.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from sqlalchemy import Connection, text

from core.errors import Declined
from core.rules.basket import Basket, Line
from core.rules.orders import OrderSoFar, Part, check_order_id


def new_order_id() -> str:
    return "O-" + secrets.token_hex(8)


def _basket_json(basket: Basket) -> str:
    return json.dumps({"currency": basket.currency, "total": basket.total,
                       "lines": [[ln.sku, ln.category, ln.qty, ln.unit_price]
                                 for ln in basket.lines]}, separators=(",", ":"))


def basket_of(conn: Connection, order_id: str) -> Basket | None:
    row = conn.execute(text("SELECT basket FROM orders WHERE id = :i"), {"i": order_id}).first()
    if row is None:
        return None
    data = json.loads(row[0])
    return Basket(data["currency"], tuple(Line(*ln) for ln in data["lines"]), data["total"])


def check_basket(conn: Connection, order_id: str, basket: Basket) -> None:
    """A known order must come with the basket it was opened with (Declined `order_changed`)."""
    check_order_id(order_id)
    known = basket_of(conn, order_id)
    if known is not None and known != basket:
        raise Declined(f"order {order_id} was opened with another basket", "order_changed")


def open_order(conn: Connection, order_id: str, basket: Basket, now_ms: int) -> None:
    """Record ORDER_ID's basket, or check a known order has the same one (Declined
    `order_changed`). Inside the commit's write transaction."""
    check_order_id(order_id)
    known = basket_of(conn, order_id)
    if known is None:
        conn.execute(text("INSERT INTO orders (id, currency, total, basket, created_ms) "
                          "VALUES (:i, :c, :t, :b, :m)"),
                     {"i": order_id, "c": basket.currency, "t": basket.total,
                      "b": _basket_json(basket), "m": now_ms})
    elif known != basket:
        raise Declined(f"order {order_id} was opened with another basket", "order_changed")


def so_far(conn: Connection, order_id: str | None) -> OrderSoFar:
    """The parts of ORDER_ID already committed, in journal order (empty for a new order)."""
    if not order_id:
        return OrderSoFar("")
    # Only parts whose journal entry is still the one recorded (same seq, op, program, card).
    rows = conn.execute(text("SELECT p.seq, p.op, p.program, p.card, p.reward, p.amount, "
                             "p.lines, p.combine FROM order_parts p JOIN journal j "
                             "ON j.seq = p.seq AND j.op = p.op AND j.program = p.program "
                             "AND j.card = p.card "
                             "WHERE p.order_id = :i ORDER BY p.seq"),
                        {"i": order_id}).all()
    return OrderSoFar(order_id, tuple(
        Part(op, program, int(amount), card, reward,
             tuple(json.loads(lines)) if lines is not None else None, bool(combine), int(seq))
        for seq, op, program, card, reward, amount, lines, combine in rows))


def record(conn: Connection, order_id: str, seq: int, part: Part) -> None:
    conn.execute(text("INSERT INTO order_parts (seq, order_id, op, program, card, reward, "
                      "amount, lines, combine) VALUES (:s, :o, :op, :p, :c, :r, :a, :l, :k)"),
                 {"s": seq, "o": order_id, "op": part.op, "p": part.program, "c": part.card,
                  "r": part.reward, "a": part.amount,
                  "l": json.dumps(list(part.lines)) if part.lines is not None else None,
                  "k": int(part.combine_with_gift_cards)})


def order_json(conn: Connection, order_id: str, currency: str) -> dict[str, Any]:
    """The order as the CLI and receipts show it: id, total, every part in order."""
    from core.money import format_minor

    basket = basket_of(conn, order_id)
    done = so_far(conn, order_id)
    total = basket.total if basket else 0
    return {"id": order_id, "total": format_minor(total, currency),
            "paid": format_minor(done.paid, currency),
            "discount": format_minor(done.discount, currency),
            "to_pay": format_minor(max(0, total - done.paid - done.discount), currency),
            "parts": [{"seq": p.seq, "op": p.op, "program": p.program, "card": p.card,
                       "reward": p.reward or None, "amount": format_minor(p.amount, currency)}
                      for p in done.parts]}
