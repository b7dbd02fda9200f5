"""Refunds of an order (issue 16, part 2): what a refund gives back, to which entry, and why a
refund is refused — pure, so the terminal plans with it and tests read it plainly.

A refund never edits anything. It is new signed entries (op `refund`, `ref` = the original
entry's seq on the same terminal, `extra.order`), one per original it gives back to:

- gift cards get back what they paid, in REVERSE order of use (the card used last first),
  each at most what that card's redeem paid minus earlier refunds of it;
- points earned on the order are taken back in proportion to what is refunded (all that is
  left of them when the refund empties the order);
- rewards used on the order get their points back once the order is refunded whole (like a
  redemption rollback): a partial refund keeps the discount on the lines still sold.

A refund of lines gives back their share of what the cards paid (the lines' amount x paid /
total, rounded down: the discount of a reward is spread over the basket); the refund that
covers the last lines gives back all that is left, so the parts always add up. A line is
refunded once (`already_refunded`); an amount refund may not exceed what the cards paid minus
earlier refunds (`refund_over_paid`). The receipt reference printed on a receipt (text and QR)
is the order id, as a QR `WPO:<order id>` (`order_of_reference`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.errors import Declined, InvalidInput
from core.rules.orders import check_order_id

RECEIPT_PREFIX = "WPO:"
REFUNDABLE = ("redeem", "earn", "burn")


def receipt_reference(order_id: str) -> str:
    """What a receipt's QR holds for its order (the text line prints the order id)."""
    return RECEIPT_PREFIX + order_id


def order_of_reference(text: str) -> str:
    """The order id of a receipt reference as scanned (`WPO:O-...`) or typed (`O-...`)."""
    value = (text or "").strip()
    if value.upper().startswith(RECEIPT_PREFIX):
        value = value[len(RECEIPT_PREFIX):]
    return check_order_id(value)


@dataclass(frozen=True, slots=True)
class Original:
    """One entry of the order a refund may give back to: a card's redeem (minor units), an earn
    (points) or a reward's burn (points). `refunded`: what earlier refunds gave back of it."""

    seq: int
    op: str
    card: str
    program: str
    amount: int
    currency: str | None = None
    program_version: int | None = None
    refunded: int = 0
    lines: tuple[int, ...] | None = None  # a restricted card's redeem: the lines it could pay

    @property
    def left(self) -> int:
        return max(0, self.amount - self.refunded)


@dataclass(frozen=True, slots=True)
class Back:
    original: Original
    amount: int


@dataclass(frozen=True, slots=True)
class RefundPlan:
    backs: tuple[Back, ...]  # cards last-used first, then points taken back, rewards returned
    lines: tuple[int, ...]  # the order lines this refund covers
    whole: bool  # nothing is left to refund after it
    amount: int  # minor units back to the cards

    @property
    def cards(self) -> tuple[Back, ...]:
        return tuple(b for b in self.backs if b.original.op == "redeem")


def plan_refund(total: int, line_amounts: Sequence[int], originals: Iterable[Original],
                refunded_lines: Iterable[int], *, lines: Iterable[int] | None = None,
                amount: int | None = None) -> RefundPlan:
    """Plan a refund of the whole order (neither LINES nor AMOUNT), of some LINES (indices
    into the basket), or of an AMOUNT (minor units). Raises Declined `already_refunded`,
    `refund_over_paid`, `nothing_to_refund`, or InvalidInput for lines the order has not."""
    parts = [o for o in originals if o.op in REFUNDABLE]
    cards = sorted((o for o in parts if o.op == "redeem"), key=lambda o: o.seq, reverse=True)
    earns = [o for o in parts if o.op == "earn"]
    burns = [o for o in parts if o.op == "burn"]
    paid = sum(o.amount for o in cards)
    left_paid = sum(o.left for o in cards)
    done = set(refunded_lines)
    every = set(range(len(line_amounts)))
    if lines is not None and amount is not None:
        raise InvalidInput("refund some lines or an amount, not both", "invalid_input")
    if lines is not None:
        chosen = set(lines)
        if not chosen or not chosen <= every:
            raise InvalidInput("the order has no such line", "unknown_line")
        if chosen & done:
            raise Declined("a line given was refunded already", "already_refunded")
        whole = (done | chosen) == every
        share = sum(line_amounts[i] for i in chosen)
        money = left_paid if whole else min(left_paid, share * paid // total if total else 0)
        ratio = (share, total)
    elif amount is not None:
        if amount <= 0:
            raise InvalidInput("a refund amount is above zero", "invalid_amount")
        if amount > left_paid:
            raise Declined(f"only {left_paid} minor units of what the cards paid are left to "
                           "refund", "refund_over_paid")
        whole = amount == left_paid
        chosen = every - done if whole else set()
        money, ratio = amount, (amount, paid)
    else:
        whole, chosen, money, ratio = True, every - done, left_paid, (1, 1)
    given: dict[int, int] = {}
    rest = money
    # Reverse order of use; on a lines refund a card restricted to some lines ("books only")
    # first takes back only from the refunded lines it could pay, then anything still due.
    for capped in ((True, False) if lines is not None and not whole else (False,)):
        for o in cards:
            cap = o.left - given.get(o.seq, 0)
            if capped and o.lines is not None:
                cap = min(cap, sum(line_amounts[i] for i in chosen & set(o.lines)
                                   if 0 <= i < len(line_amounts)))
            give = min(cap, rest)
            if give > 0:
                given[o.seq] = given.get(o.seq, 0) + give
                rest -= give
    backs: list[Back] = [Back(o, given[o.seq]) for o in cards if given.get(o.seq)]
    for o in earns:
        take = o.left if whole else min(o.left, o.amount * ratio[0] // max(1, ratio[1]))
        if take > 0:
            backs.append(Back(o, take))
    if whole:
        backs += [Back(o, o.left) for o in burns if o.refunded == 0 and o.amount > 0]
    if not backs:
        if whole and (done or any(o.refunded for o in parts)):
            raise Declined("this order is refunded already", "already_refunded")
        raise Declined("nothing of this order can be given back", "nothing_to_refund")
    return RefundPlan(tuple(backs), tuple(sorted(chosen)), whole, money)
