"""The counter's work units: each runs on an `Operations` worker thread, calls the terminal
service, and returns plain frozen data for the widgets. Nothing here decides money — the
service does; these only put its answers into the shapes the screen shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.money import format_minor, parse_minor
from core.payload import Identifier
from core.rules.basket import Basket
from core.rules.choose import Choices
from core.rules.offers import Quote, Refusal
from pos_app.terminal.counter_lookup import OfflineMode
from pos_app.terminal.loyalty import CommitResult
from pos_app.terminal.quote_service import TerminalQuote
from pos_app.terminal.redeem import OrderInput, PaymentResult, RedeemResult
from pos_app.terminal.service import TerminalService

# Before the first sync a terminal has no programs to take a currency from; the basket still
# needs one to show amounts. Nothing can be spent until the sync brings the programs.
NO_PROGRAMS_CURRENCY = "EUR"


@dataclass(frozen=True)
class CardInfo:
    """A gift card as the cashier sees it, and what it can pay of this basket."""

    code: str
    state: str
    balance: int  # minor units, the terminal's current view
    currency: str
    as_of: str | None  # the last complete sync (the replica matched central then)
    applies: int  # what this basket can take from it now
    capped_by: str | None = None  # e.g. per_order_max, when below min(balance, total)
    program: str | None = None  # whose offline rules word a decline


@dataclass(frozen=True)
class Lookup:
    payload: str
    identifier: Identifier
    card: CardInfo | None = None
    quote: Quote | None = None  # what the quote panel shows
    quoted: TerminalQuote | None = None  # handed back to commit unchanged


@dataclass(frozen=True)
class Redemption:
    result: RedeemResult
    short_hash: str | None  # first 12 hex of the entry hash, printed on the receipt


@dataclass(frozen=True)
class CardsPlan:
    """Several cards on one basket, as the cards panel shows them: every scanned card in the
    order of use (those that pay nothing last), what each pays, what is dropped and why."""

    order: str
    currency: str
    cards: tuple[str, ...]
    parts: tuple[tuple[str, int], ...]  # (card, minor units) of the cards that pay
    balances: dict[str, int]
    dropped: tuple[Refusal, ...]
    to_pay: int


@dataclass(frozen=True)
class CardsPaid:
    result: PaymentResult
    short_hashes: dict[int, str]  # seq -> first 12 hex of its entry hash (the receipt's)


@dataclass(frozen=True)
class TerminalFacts:
    terminal_id: str
    store_id: str
    currency: str  # the basket's currency: the one most of the programs use
    card_patterns: list[str]
    member_patterns: list[str]
    offline_modes: list[OfflineMode]
    sync_interval_s: float = 10.0  # background sync (a recalled grant goes back within it)


def facts(service: TerminalService) -> TerminalFacts:
    ident = service.identity()
    cards, members = service.code_patterns()
    currency = service.main_currency() or NO_PROGRAMS_CURRENCY
    return TerminalFacts(ident.terminal_id, ident.store_id, currency, cards, members,
                         service.offline_modes(), service.sync_interval_s())


def look_up(service: TerminalService, payload: str, basket: Basket | None) -> Lookup:
    ident = service.identify(payload)
    quote: Quote | None = None
    answer: TerminalQuote | None = None
    if basket is not None:
        answer = service.quote(basket, [ident.code])
        quote = answer.quote
    card = None
    if ident.kind in ("card", "credential") and not service.is_member_code(ident.code):
        info = service.balance(ident.code)
        balance = parse_minor(info["balance"], info["currency"], allow_zero=True)
        offers = quote.gift_cards if quote is not None else ()
        offer = next((g for g in offers if g.card == ident.code), None)
        total = basket.total if basket is not None else None
        if offer is not None:
            applies, capped = offer.spendable, offer.capped_by
        else:
            # No basket yet: what the redeem path allows at most (it re-checks everything).
            applies = min(balance, total) if total is not None else balance
            capped = None
        card = CardInfo(info["code"], info["state"], balance, info["currency"],
                        info.get("as_of"), max(0, applies), capped, info.get("program"))
    return Lookup(payload, ident, card, quote, answer)


def sale_order(basket: Basket | None, order_id: str, opened: bool) -> OrderInput:
    """The sale's order as the service takes it: a new one with this basket's lines (or its
    total), or — once something is committed on it — the order as recorded."""
    if opened or basket is None:
        return OrderInput(order_id)
    return _order(basket, order_id)


def _order(basket: Basket, order_id: str) -> OrderInput:
    lines = [{"sku": ln.sku, "category": ln.category, "qty": ln.qty,
              "price": format_minor(ln.unit_price, basket.currency)} for ln in basket.lines]
    return OrderInput(order_id, lines or None,
                      None if lines else format_minor(basket.total, basket.currency))


def plan_cards(service: TerminalService, codes: list[str], order: OrderInput,
               as_given: bool) -> CardsPlan:
    """What each of CODES pays of ORDER, in the default order of use or AS_GIVEN (the
    cashier moved one)."""
    plan = service.plan_payment(codes, None, order=order, as_given=as_given)
    paying = [c for c, _ in plan.takes]
    rest = [c for c in codes if c not in paying]
    return CardsPlan(plan.order, plan.currency, tuple(paying + rest), plan.takes,
                     dict(plan.balances), plan.dropped, plan.to_pay)


def pay_cards(service: TerminalService, codes: list[str], order: OrderInput,
              staff: str | None) -> CardsPaid:
    """Pay the order with CODES in the order shown: one entry per card, one order."""
    result = service.pay(codes, None, staff=staff, order=order, as_given=True)
    hashes = {}
    for part in result.parts:
        if part.seq is not None:
            digest = service.entry_hash(part.seq)
            if digest:
                hashes[part.seq] = digest.hex()[:12]
    return CardsPaid(result, hashes)


def redeem(service: TerminalService, code: str, amount: str, staff: str | None,
           order: OrderInput | None = None) -> Redemption:
    result = service.redeem(code, amount, staff=staff, order=order)
    short = None
    if result.status == "approved" and result.seq is not None:
        digest = service.entry_hash(result.seq)
        short = digest.hex()[:12] if digest else None
    return Redemption(result, short)


def commit(service: TerminalService, quoted: TerminalQuote, rewards: list[str],
           order_id: str | None = None, order_basket: Basket | None = None) -> CommitResult:
    """Rewards chosen by the cashier plus the points this order earns, through the service
    (core.rules.choose applies the stacking rules, not the screen), on the sale's order —
    re-quoted on the order's basket when a payment already fixed it."""
    if order_basket is not None and order_basket != quoted.request.basket:
        request = quoted.request
        quoted = service.quote(order_basket, list(request.identifiers),
                               events=list(request.events), customer=request.customer)
    return service.commit(Choices(rewards=tuple(rewards), earn=True), quoted, order_id)


def sync(service: TerminalService, report: Callable[[str, float], None]) -> dict[str, Any]:
    before = service.status()
    report(f"{before['outbox']}", -1.0)
    done = dict(service.sync())
    report("", 1.0)
    return {**done, "status": service.status()}
