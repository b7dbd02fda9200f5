"""Terminal code pools: gift-card codes central reserves for one terminal, so a store can issue
a batch of physical cards while cut off from head office and the codes can never collide with
anyone else's.

A reservation is a random code of the program's pattern (full entropy: the code says nothing
about who issued it) with its `WP1:` credential signed by central now, before the card exists.
The credential carries no expiry: the card's expiry is decided when the manager issues it and
lives in the ledger. `POST /v1/code-pool` (terminal-signed) tops the caller's unused
reservations for a program up to a target and returns all of them, so asking twice (a lost
answer) returns the same codes and reserves nothing more. A terminal's `issue` entry for a code
reserved to it creates the card at sync (`issue_card`) when its manager is a manager of the
terminal's store and its face value is within the program's cap (`Program.face_value_cap`:
`max_face_value`, else the default value); anything else becomes a conflict case and no card.
Central's own batch issuance skips reserved codes too (`free_codes`).

The table is `tables.CodeReservation`; the route is `routes/code_pool.py`.

Public: gift_program, free_codes, top_up, issue_card.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from core.codes import generate_code
from core.credential import CardCredential, issue_credential
from core.journal import EntryBody
from core.money import MAX_MINOR
from wallet_sync.central.errors import Invalid, NotFound, Refusal
from wallet_sync.central.keys import SigningKey
from wallet_sync.central.programs import parsed
from wallet_sync.central.staff import staff_reason
from wallet_sync.central.tables import Card, CodeReservation, Program, table_of

MAX_EXPIRY_S = 20 * 366 * 86400  # an issue entry's expiry beyond this is a typo, not a policy


def gift_program(session: Session, program_id: str) -> Any:
    """The parsed gift-card program; NotFound or Invalid when it is not one."""
    row = session.get(Program, program_id)
    if row is None:
        raise NotFound("unknown_program", f"no program {program_id!r}")
    prog = parsed(row)
    if prog.kind != "gift_card" or not prog.code_pattern:
        raise Invalid("wrong_program_kind", f"{program_id} is not a gift-card program")
    return prog


def free_codes(session: Session, pattern: str, count: int) -> list[str]:
    """`count` new codes of `pattern` that are neither a card nor reserved."""
    codes: set[str] = set()
    while len(codes) < count:
        fresh = {generate_code(pattern) for _ in range(count - len(codes))} - codes
        taken = set(session.scalars(select(Card.code).where(Card.code.in_(fresh))))
        taken |= set(session.scalars(select(CodeReservation.code)
                                     .where(CodeReservation.code.in_(fresh))))
        codes |= fresh - taken
    return sorted(codes)


def top_up(session: Session, key: SigningKey, terminal: str, program_id: str, target: int,
           now: int) -> list[dict[str, str]]:
    """The terminal's unused codes of the program after reserving up to `target` of them."""
    prog = gift_program(session, program_id)
    unused = (select(CodeReservation).where(CodeReservation.terminal == terminal,
                                            CodeReservation.program == program_id,
                                            CodeReservation.issued_seq.is_(None),
                                            CodeReservation.released_at.is_(None))
              .order_by(CodeReservation.code))
    have = session.scalar(select(func.count()).select_from(unused.subquery())) or 0
    if have < target:
        rows = [{"code": code, "program": program_id, "terminal": terminal,
                 "qr": issue_credential(CardCredential(key.key_id, code, "gift_card",
                                                       prog.currency, now, None), key.private),
                 "reserved_at": now}
                for code in free_codes(session, prog.code_pattern, target - have)]
        session.connection().execute(insert(table_of(CodeReservation)), rows)
    return [{"code": r.code, "qr": r.qr} for r in session.scalars(unused)]


def issue_card(session: Session, terminal: str, store: str, body: EntryBody, now: int
               ) -> str | None:
    """Create the inactive card a terminal's `issue` entry names (balance 0, no lots yet: the
    applier books the face value through the ledger so escrow sees it). None when created,
    else the conflict reason."""
    code = body.card or ""
    res = session.get(CodeReservation, code) if 1 <= len(code) <= 64 else None
    if res is None or res.terminal != terminal or res.released_at is not None:
        return "code_not_reserved"
    if res.issued_seq is not None or session.get(Card, code) is not None:
        return "code_taken"
    if res.program != body.program:
        return "wrong_program"
    try:
        prog = gift_program(session, res.program)
    except Refusal:  # the program changed kind since: a person decides, the push goes on
        return "wrong_program"
    expires = body.extra.get("expires_at")
    if body.currency != prog.currency:
        return "wrong_currency"
    if not 0 <= body.amount <= MAX_MINOR:
        return "invalid_amount"
    why = staff_reason(session, body.staff, store, "manager")
    if why is not None:
        return why
    if body.amount > prog.face_value_cap:
        return "over_value_cap"
    if expires is not None and (isinstance(expires, bool) or not isinstance(expires, int)
                                or not 0 < expires - body.wall_ms // 1000 <= MAX_EXPIRY_S):
        return "invalid_expiry"
    session.execute(update(CodeReservation).where(CodeReservation.code == code)
                    .values(issued_seq=body.seq))
    # change_seq 0 until accounts.save gives the card its place in the feed.
    session.add(Card(code=code, program=res.program, currency=prog.currency, state="inactive",
                     balance_minor=0, expires_at=expires, issued_at=body.wall_ms // 1000,
                     qr=res.qr, change_seq=0, reserve=0))
    session.flush()
    return None
