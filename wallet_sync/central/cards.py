"""Gift cards on central: issuing batches (codes from the program's pattern, a WP1 signed
credential for the QR, the issue and optional activate as ledger events), head office's top-up
(a load into a new lot, straight into the escrow reserve) and the admin card view. Issuing and
top-ups are central's own ledger actions, not terminal journal entries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from core.codes import normalize_code
from core.credential import CardCredential, issue_credential
from core.errors import InvalidCode, InvalidInput, WalletError
from core.ledger import LedgerEvent, load
from core.money import format_minor, parse_minor
from wallet_sync.central import accounts, escrow, event_hooks, members
from wallet_sync.central.change_seq import allocate
from wallet_sync.central.code_pool import free_codes, gift_program
from wallet_sync.central.errors import Invalid, NotFound
from wallet_sync.central.keys import SigningKey
from wallet_sync.central.programs import code_patterns
from wallet_sync.central.tables import Card, CardEvent, CardLot, table_of
from wallet_sync.protocol import CardView

FIRST_LOT = "L0"


def issue_cards(session: Session, key: SigningKey, program_id: str, count: int,
                value: str | None, activate: bool, now: int, actor: str | None = None,
                customer: str | None = None, expires_at: int | None = None
                ) -> list[dict[str, Any]]:
    """COUNT new cards; CUSTOMER (a member code) when they are sold to a known customer;
    EXPIRES_AT instead of the program's expiry (a trigger's "valid until midnight")."""
    prog = gift_program(session, program_id)
    if customer is not None:
        customer = members.find(session, customer)
    try:
        minor = parse_minor(value, prog.currency, allow_zero=True) if value is not None \
            else (prog.default_value or 0)
    except InvalidInput as exc:
        raise Invalid(exc.reason, exc.message) from exc
    if expires_at is None:
        expires_at = prog.card_expiry(now)
    codes = free_codes(session, prog.code_pattern, count)  # not a card, not reserved
    first = allocate(session, count)
    state = "active" if activate else "inactive"
    cards: list[dict[str, Any]] = []
    lots: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    out: list[dict[str, Any]] = []
    for i, code in enumerate(codes):
        qr = issue_credential(CardCredential(key.key_id, code, "gift_card", prog.currency, now,
                                             expires_at), key.private)
        cards.append({"code": code, "program": program_id, "currency": prog.currency,
                      "state": state, "balance_minor": minor, "expires_at": expires_at,
                      "issued_at": now, "qr": qr, "change_seq": first + i,
                      "reserve": minor,  # escrow: nothing granted or held yet
                      "customer": customer})
        if minor:
            lots.append({"card": code, "lot_id": FIRST_LOT, "amount": minor, "remaining": minor,
                         "expires_at": expires_at})
        events.append({"card": code, "op": "issue", "amount": minor, "lot_id": FIRST_LOT,
                       "expires_at": expires_at, "allocation": [], "at": now, "actor": actor})
        if activate:
            events.append({"card": code, "op": "activate", "amount": 0, "lot_id": None,
                           "expires_at": None, "allocation": [], "at": now, "actor": actor})
        out.append({"code": code, "qr": qr})
    conn = session.connection()
    conn.execute(insert(table_of(Card)), cards)
    if lots:
        conn.execute(insert(table_of(CardLot)), lots)
    conn.execute(insert(table_of(CardEvent)), events)
    if activate:
        event_hooks.head_office_cards(session, "card.activated", [
            {"card": c["code"], "amount_minor": minor, "currency": prog.currency,
             "customer": customer} for c in cards], now, actor)
    return out


def find_card(session: Session, text: str) -> Card:
    """The card for typed text: canonical code through the programs' patterns, else as given."""
    if not isinstance(text, str) or not 1 <= len(text) <= 64:
        raise Invalid("invalid_code", "a card code is 1 to 64 characters")
    candidates = [text.strip().upper()]
    try:
        candidates.insert(0, normalize_code(text, code_patterns(session)))
    except InvalidCode:
        pass
    for code in candidates:
        card = session.get(Card, code)
        if card is not None:
            return card
    raise NotFound("unknown_card", "no such card")


def card_view(session: Session, text: str) -> CardView:
    card = find_card(session, text)
    return CardView(code=card.code, state=card.state,
                    balance=format_minor(card.balance_minor, card.currency),
                    currency=card.currency, program=card.program, expires_at=card.expires_at)


def load_card(session: Session, text: str, amount_text: str, now: int, *, lock: bool,
              actor: str | None = None) -> CardView:
    """Head office tops a card up: a new lot `C<n>` (with the card's expiry) and the same amount
    into the reserve, in one transaction."""
    code = find_card(session, text).code
    working = accounts.load(session, [code], lock=lock)[code]
    try:
        amount = parse_minor(amount_text, working.account.currency)
        lot = f"C{len(working.account.lots) + 1}"
        account = load(working.account, amount, lot, working.account.expires_at)
    except WalletError as exc:
        raise Invalid(exc.reason, exc.message) from exc
    working.record(account, LedgerEvent("load", amount, lot, working.account.expires_at, at=now),
                   actor=actor)
    accounts.save(session, {code: working}, now)
    escrow.add_reserve(session, {code: working.card.balance_minor - working.stored_balance})
    escrow.check(session, [code])
    event_hooks.head_office_cards(session, "card.loaded", [
        {"card": code, "amount_minor": amount, "currency": working.account.currency,
         "customer": working.card.customer}], now, actor)
    return card_view(session, code)
