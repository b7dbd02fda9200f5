"""The order every spend belongs to: what is already in it, which part of it a restricted gift
card may pay, and in which order several cards are used.

An order is an id, its basket (lines, or only a total) and its parts in the order they were
committed: gift-card redemptions (`redeem`) and rewards (`burn`, with the discount they gave).
Each part is its own signed journal entry naming the order id (`extra.order`); a later commit on
the same order — a reward now, a gift card a minute later, or a second card — is decided against
what is already in it (`OrderSoFar`), so the stacking rules hold whichever order the cashier
scans things in, and a refund can find every part of the order.

A gift card whose `valid_when` or `eligibility` reads `order.lines` ("books only") is restricted
to the lines that pass it one by one (`eligible_lines`, evaluated by the quote); `room` says how
much of the order such a card may still pay once the parts already in the order are placed:
restricted parts on their own lines first (fewest lines first), everything else on what is left.
The terminal and central call the same function, so they agree to the minor unit.

Several cards default to soonest-expiring first, then smallest balance (`card_order`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from core.errors import InvalidInput

ORDER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")


def check_order_id(value: Any) -> str:
    """An order id as a host POS or the terminal gives it: 1-64 letters, digits, `_.:-`."""
    if not isinstance(value, str) or not ORDER_ID.match(value):
        raise InvalidInput("an order id is 1 to 64 letters, digits, '_', '.', ':' or '-'",
                           reason="invalid_order")
    return value


@dataclass(frozen=True, slots=True)
class Part:
    """One benefit already in the order. `amount` is minor units: what a card paid, or the
    discount a reward gave (0 for a reward that gives no discount, e.g. gift-card credit)."""

    op: str  # redeem | burn
    program: str
    amount: int  # an `earn` part: points
    card: str = ""
    reward: str = ""  # burn: the reward id
    lines: tuple[int, ...] | None = None  # redeem of a restricted card: the lines it may pay
    combine_with_gift_cards: bool = True  # burn: its loyalty program's stacking rule
    seq: int = 0  # the journal entry (refunds point at it)


@dataclass(frozen=True, slots=True)
class OrderSoFar:
    id: str
    parts: tuple[Part, ...] = ()

    @property
    def paid(self) -> int:
        """Minor units paid by gift cards so far."""
        return sum(p.amount for p in self.parts if p.op == "redeem")

    @property
    def discount(self) -> int:
        return sum(p.amount for p in self.parts if p.op == "burn")

    @property
    def cards(self) -> tuple[str, ...]:
        return tuple(p.card for p in self.parts if p.op == "redeem")

    def placed(self) -> list[tuple[tuple[int, ...] | None, int]]:
        """The money already taken off the order, as `room` reads it: cards on their lines,
        discounts anywhere (an `earn` part counts points and takes nothing)."""
        return [(p.lines if p.op == "redeem" else None, p.amount) for p in self.parts
                if p.op in ("redeem", "burn")]

    def rewards_of(self, program: str) -> list[str]:
        return [p.reward for p in self.parts if p.op == "burn" and p.program == program]

    def no_gift_cards(self) -> str | None:
        """The loyalty program of a reward already in the order that does not combine with
        gift cards, else None."""
        return next((p.program for p in self.parts
                     if p.op == "burn" and not p.combine_with_gift_cards), None)


def room(line_amounts: Sequence[int], total: int, parts: Iterable[tuple[tuple[int, ...] | None,
                                                                          int]],
         lines: tuple[int, ...] | None) -> int:
    """The most a new part restricted to LINES (None: any line) may pay of an order of TOTAL
    with LINE_AMOUNTS, once PARTS — (lines or None, amount) — are in it. Never negative."""
    placed = list(parts)
    left = list(line_amounts)
    restricted = sorted((p for p in placed if p[0] is not None),
                        key=lambda p: (len(p[0] or ()), p[0]))
    for eligible, amount in restricted:
        for i in eligible or ():
            if 0 <= i < len(left) and amount > 0:
                take = min(left[i], amount)
                left[i] -= take
                amount -= take
    free = total - sum(amount for _, amount in placed)
    if lines is None:
        return max(0, free)
    on_lines = sum(left[i] for i in set(lines) if 0 <= i < len(left))
    return max(0, min(on_lines, free))


def card_order(offers: Iterable[Any]) -> list[Any]:
    """Gift-card offers (anything with `expires_at`, `balance`, `card`) in the default order
    of use: soonest-expiring first (a card that never expires last), then smallest balance."""
    return sorted(offers, key=lambda o: (o.expires_at is None, o.expires_at or 0, o.balance,
                                         o.card))
