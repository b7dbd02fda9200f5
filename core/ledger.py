"""The gift-card ledger: accounts made of value lots, changed only by operations that each
become an immutable entry.

Value lives in lots (the initial issue value and each later load), each with its own expiry.
A redemption takes the soonest-expiring lot first (lots without expiry last) and records which
lots it drew from, so a void can return value exactly where it came from. The balance is the
sum of the unexpired remainders; `replay` rebuilds any account from its events, which is how
tests prove the cached balance views on terminal and central are right.

Everything here is pure: accounts are frozen and every operation returns a new one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from core.errors import Declined, InvalidAmount

CardState = Literal["inactive", "active", "blocked", "voided"]
Allocation = tuple[tuple[str, int], ...]  # (lot id, minor units) drawn from or returned to


@dataclass(frozen=True, slots=True)
class Lot:
    lot_id: str
    amount: int
    remaining: int
    expires_at: int | None = None  # unix seconds; None never expires

    def live(self, now: int) -> bool:
        return self.expires_at is None or now < self.expires_at


@dataclass(frozen=True, slots=True)
class GiftCardAccount:
    code: str
    currency: str
    state: CardState = "inactive"
    lots: tuple[Lot, ...] = ()
    expires_at: int | None = None  # the card itself; lots may expire sooner

    def balance(self, now: int) -> int:
        return sum(lot.remaining for lot in self.lots if lot.live(now))

    def expired(self, now: int) -> bool:
        return self.expires_at is not None and now >= self.expires_at


@dataclass(frozen=True, slots=True)
class Spend:
    account: GiftCardAccount
    allocation: Allocation
    shortfall: int = 0  # only non-zero when an overdraft was forced (an offline entry at central)


def _positive(amount: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidAmount("amount must be a positive integer of minor units")


def issue(code: str, currency: str, value: int, lot_id: str, expires_at: int | None = None
          ) -> GiftCardAccount:
    """A new card, inactive until sold; `value` (may be 0) is its first lot."""
    if value < 0:
        raise InvalidAmount("issue value must not be negative")
    lots = (Lot(lot_id, value, value, expires_at),) if value else ()
    return GiftCardAccount(code, currency, "inactive", lots, expires_at)


def activate(account: GiftCardAccount) -> GiftCardAccount:
    if account.state == "active":
        return account
    if account.state != "inactive":
        raise Declined(f"card is {account.state}", reason=f"card_{account.state}")
    return replace(account, state="active")


def set_blocked(account: GiftCardAccount, blocked: bool) -> GiftCardAccount:
    if account.state == "voided":
        raise Declined("card is voided", reason="card_voided")
    if blocked:
        return replace(account, state="blocked")
    return replace(account, state="active" if account.state == "blocked" else account.state)


def load(account: GiftCardAccount, amount: int, lot_id: str, expires_at: int | None = None
         ) -> GiftCardAccount:
    _positive(amount)
    if account.state in ("blocked", "voided"):
        raise Declined(f"card is {account.state}", reason=f"card_{account.state}")
    if any(lot.lot_id == lot_id for lot in account.lots):
        raise InvalidAmount(f"lot {lot_id} already exists")
    return replace(account, lots=account.lots + (Lot(lot_id, amount, amount, expires_at),))


def check_spendable(account: GiftCardAccount, amount: int, now: int, currency: str) -> None:
    """Raise Declined with the reason a cashier sees, or return if `amount` may be spent."""
    _positive(amount)
    if currency != account.currency:
        raise Declined(f"card is in {account.currency}, not {currency}", reason="wrong_currency")
    if account.state != "active":
        reason = {"inactive": "card_inactive", "blocked": "card_blocked",
                  "voided": "card_voided"}[account.state]
        raise Declined(f"card is {account.state}", reason=reason)
    if account.expired(now):
        raise Declined("card has expired", reason="expired")
    if account.balance(now) < amount:
        raise Declined("amount is more than the balance", reason="insufficient_funds")


def _spend_order(lots: Iterable[Lot], now: int) -> list[Lot]:
    live = [lot for lot in lots if lot.live(now) and lot.remaining > 0]
    # Soonest expiry first; lots that never expire last; ties by lot id for determinism.
    return sorted(live, key=lambda lot: (lot.expires_at is None, lot.expires_at or 0, lot.lot_id))


def redeem(account: GiftCardAccount, amount: int, now: int, currency: str | None = None) -> Spend:
    """Spend `amount`, soonest-expiring lot first. Declines rather than overdraw."""
    check_spendable(account, amount, now, currency or account.currency)
    return _draw(account, amount, now)


def force_redeem(account: GiftCardAccount, amount: int, now: int) -> Spend:
    """Apply a spend that already happened (a signed offline entry reaching central): take what
    the lots hold and report the rest as `shortfall` — the receivable. Never raises on funds."""
    _positive(amount)
    available = account.balance(now)
    spend = _draw(account, min(amount, available), now) if available else Spend(account, ())
    return replace(spend, shortfall=amount - min(amount, available))


def _draw(account: GiftCardAccount, amount: int, now: int) -> Spend:
    remaining = amount
    taken: dict[str, int] = {}
    for lot in _spend_order(account.lots, now):
        if remaining == 0:
            break
        take = min(lot.remaining, remaining)
        taken[lot.lot_id] = take
        remaining -= take
    lots = tuple(replace(lot, remaining=lot.remaining - taken.get(lot.lot_id, 0))
                 for lot in account.lots)
    allocation = tuple((lot.lot_id, taken[lot.lot_id]) for lot in account.lots
                       if lot.lot_id in taken)
    return Spend(replace(account, lots=lots), allocation)


def void(account: GiftCardAccount, allocation: Allocation) -> GiftCardAccount:
    """Return a redemption's value to the lots it came from."""
    back = dict(allocation)
    unknown = set(back) - {lot.lot_id for lot in account.lots}
    if unknown:
        raise InvalidAmount(f"void names unknown lots {sorted(unknown)}")
    lots = []
    for lot in account.lots:
        restored = lot.remaining + back.get(lot.lot_id, 0)
        if restored > lot.amount:
            raise InvalidAmount(f"void would give lot {lot.lot_id} more than it ever held")
        lots.append(replace(lot, remaining=restored))
    return replace(account, lots=tuple(lots))


def refund_allocation(allocation: Allocation, already: int, amount: int) -> Allocation:
    """What a refund of AMOUNT returns of a redeem's ALLOCATION once earlier refunds returned
    ALREADY: the lots in reverse order of drawing (the last drawn comes back first), so several
    partial refunds together return exactly the allocation and never more."""
    out: list[tuple[str, int]] = []
    skip, left = already, amount
    for lot_id, part in reversed(allocation):
        gone = min(part, skip)
        skip -= gone
        give = min(part - gone, left)
        if give > 0:
            out.append((lot_id, give))
            left -= give
    return tuple(out)


def expire(account: GiftCardAccount, now: int) -> tuple[GiftCardAccount, Allocation]:
    """Zero the lots past their expiry; the allocation is what an `expire` entry records."""
    gone = tuple((lot.lot_id, lot.remaining) for lot in account.lots
                 if not lot.live(now) and lot.remaining > 0)
    ids = {lot_id for lot_id, _ in gone}
    lots = tuple(replace(lot, remaining=0) if lot.lot_id in ids else lot for lot in account.lots)
    return replace(account, lots=lots), gone


@dataclass(frozen=True, slots=True)
class LedgerEvent:
    """One applied ledger change, as stored beside its journal entry, for replay."""

    op: str
    amount: int = 0
    lot_id: str | None = None
    expires_at: int | None = None
    allocation: Allocation = ()
    at: int = 0


def apply_event(account: GiftCardAccount | None, code: str, currency: str, event: LedgerEvent
                ) -> GiftCardAccount:
    """Re-apply a recorded event exactly as it was applied (allocations are taken as recorded,
    not recomputed, so replay is independent of the clock)."""
    if event.op == "issue":
        return issue(code, currency, event.amount, event.lot_id or "L0", event.expires_at)
    if account is None:
        raise InvalidAmount(f"{event.op} before issue")
    if event.op == "activate":
        return activate(account)
    if event.op == "load":
        return load(account, event.amount, event.lot_id or "", event.expires_at)
    if event.op in ("redeem", "expire"):
        taken = dict(event.allocation)
        lots = tuple(replace(lot, remaining=lot.remaining - taken.get(lot.lot_id, 0))
                     for lot in account.lots)
        if any(lot.remaining < 0 for lot in lots):
            raise InvalidAmount("recorded allocation exceeds a lot")
        return replace(account, lots=lots)
    if event.op in ("void", "refund"):  # a refund returns (part of) a redeem's allocation
        return void(account, event.allocation)
    if event.op in ("block", "unblock"):
        return set_blocked(account, event.op == "block")
    raise InvalidAmount(f"unknown ledger event {event.op}")


def replay(code: str, currency: str, events: Iterable[LedgerEvent]) -> GiftCardAccount:
    account: GiftCardAccount | None = None
    for event in events:
        account = apply_event(account, code, currency, event)
    if account is None:
        raise InvalidAmount(f"no events for card {code}")
    return account
