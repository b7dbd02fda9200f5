"""What each change on central says in the outbox: one small function per place a change is
applied, each a single line at its call site, all of them here so the event vocabulary
(`outbox.EVENT_TYPES`) and its data shapes are in one file (docs/MESSAGING.md lists them).

Amounts are given twice: `amount` as the decimal text the admin API uses ("12.50") and
`amount_minor` as integer minor units.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.orm import Session

from core.journal import EntryBody
from core.money import CURRENCY_EXPONENTS, format_minor
from wallet_sync.central import outbox

GIFT_OPS = {"redeem": "redemption.created", "void": "redemption.refunded",
            "refund": "redemption.refunded",
            "activate": "card.activated", "load": "card.loaded"}
POINTS_OPS = {"earn": "points.earned", "burn": "points.redeemed"}


def _money(minor: int, currency: str | None) -> dict[str, Any]:
    text = format_minor(minor, currency) if currency in CURRENCY_EXPONENTS else str(minor)
    return {"amount": text, "amount_minor": minor, "currency": currency}


def entries(session: Session, terminal: str, store: str,
            applied: Sequence[tuple[EntryBody, str]], customers: dict[str, str | None],
            now: int) -> None:
    """Gift-card entries of one pushed batch (ingest), those applied: redemptions, refunds
    (a void of a redeem, or a refund of part of it on an order), activations and loads.
    CUSTOMERS: card code -> linked member."""
    for body, status in applied:
        kind = GIFT_OPS.get(body.op)
        reward = body.op == "load" and bool(body.extra.get("reward"))
        if status != "applied" or kind is None or (body.card not in customers and not reward):
            continue  # a member's void or load is loyalty's (points events, below)
        data: dict[str, Any] = {"card": body.card, **_money(body.amount, body.currency),
                                "store": store, "terminal": terminal, "seq": body.seq,
                                "online": not body.offline}
        if body.op == "void":
            data.update(refunds_seq=body.ref)
            data.pop("amount"), data.pop("amount_minor")
        if body.op == "refund":  # part of an order given back: the amount as signed
            data.update(refunds_seq=body.ref, order=body.extra.get("order"),
                        refund=body.extra.get("refund"))
        if reward:
            data["reward"] = body.extra.get("reward")
        member = customers.get(body.card or "") or (body.extra.get("member")
                                                      if body.op == "load" else None)
        if member is not None:
            data["customer"] = member
        outbox.emit(session, kind, data, now, member=member if isinstance(member, str) else None)


def points(session: Session, member: str, program: str, events: Iterable[dict[str, Any]],
           tier_before: str, tier_after: str, now: int) -> None:
    """A member's points events as `members.save` writes them, and a tier that moved."""
    for ev in events:
        kind = POINTS_OPS.get(ev["op"])
        if kind is None:
            continue
        outbox.emit(session, kind, {
            "member": member, "program": program, "points": ev["points"],
            "lot": ev["lot_id"], "terminal": ev["terminal"], "seq": ev["seq"],
            "actor": ev["actor"]}, now, member=member)
    if tier_before != tier_after:
        outbox.emit(session, "tier.changed", {"member": member, "program": program,
                                               "from": tier_before, "to": tier_after},
                    now, member=member)


def conflict(session: Session, conflict_id: int, card: str | None, terminal: str, seq: int,
             reason: str, shortfall: int, currency: str | None, now: int) -> None:
    outbox.emit(session, "conflict.opened", {
        "id": conflict_id, "card": card, "terminal": terminal, "seq": seq, "reason": reason,
        "shortfall": _money(shortfall, currency)["amount"], "currency": currency}, now)


def customer_created(session: Session, code: str, program: str, country: str, now: int
                     ) -> None:
    outbox.emit(session, "customer.created", {"customer": code, "program": program,
                                              "country": country, "registered_at": now},
                now, member=code)


def head_office_cards(session: Session, kind: str, cards: Iterable[dict[str, Any]], now: int,
                      actor: str | None) -> None:
    """Cards head office activated in a batch or topped up (`cards.py`): KIND is
    card.activated or card.loaded; each item {card, amount_minor, currency, customer}."""
    for c in cards:
        data: dict[str, Any] = {"card": c["card"], **_money(c["amount_minor"], c["currency"]),
                                "store": None, "terminal": None, "seq": None, "actor": actor}
        if c.get("customer"):
            data["customer"] = c["customer"]
        outbox.emit(session, kind, data, now, member=c.get("customer"))
