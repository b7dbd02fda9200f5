"""The change feed (`GET /v1/changes`): the current state of every card, program and member
whose `change_seq` is past the caller's cursor, plus the caller's own escrow grants, its own
row (flagged or not), its offline limit shares and its store's staff, in change_seq order,
signed by central. Each program version also carries its own signature, which the terminal
keeps.

Writers take their change_seqs from `change_seq.allocate`; this module only reads.
"""

from __future__ import annotations

import json
import time
from typing import Any

from sqlalchemy import bindparam, exists, select
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import Session

from core.money import format_minor
from wallet_sync.central import limit_shares, terminal_flags
from wallet_sync.central.keys import SigningKey
from wallet_sync.central.members import member_changes
from wallet_sync.central.staff import staff_changes
from wallet_sync.central.tables import (
    Card,
    Grant,
    LimitShare,
    Member,
    Program,
    StaffMember,
    Terminal,
)
from wallet_sync.protocol import SignedChangePage, canonical_json_data, program_message


def card_data(card: Card | Any) -> dict[str, Any]:
    """A card's feed data (from a `Card` or a row with the same columns)."""
    return {
        "code": card.code, "program": card.program, "currency": card.currency,
        "state": card.state, "balance_minor": card.balance_minor,
        "balance": format_minor(card.balance_minor, card.currency),
        "expires_at": card.expires_at,
    }


def program_data(program: Program, key: SigningKey) -> dict[str, Any]:
    """A program's feed data with central's signature over this version alone
    (`protocol.program_message`): the terminal keeps it and checks it before deciding."""
    return {"id": program.id, "version": program.version, "definition": program.definition,
            "signature": key.sign(program_message(program.id, program.version,
                                                  program.definition))}


def grant_data(grant: Grant) -> dict[str, Any]:
    """`expires_at` is central time: a terminal compares it with its estimate of central's
    clock, never with its own wall clock. `recall`: an online spend elsewhere needs it back;
    the terminal releases the unused rest at once (it stays `open` until that entry)."""
    return {"id": grant.id, "card": grant.card, "program": grant.program,
            "amount_minor": grant.amount, "expires_at": grant.expires_at,
            "status": grant.status, "recall": grant.recalled_at is not None}


def read_page(session: Session, terminal_id: str, cursor: int, limit: int,
              key: SigningKey, now: int | None = None) -> SignedChangePage:
    """One signed page as the protocol model (what `read_page_json` sends)."""
    return SignedChangePage.model_validate_json(
        read_page_json(session, terminal_id, cursor, limit, key, now))


# A page's queries, built once (bound per page): every sync's first page runs them.
_CARDS = (select(Card.code, Card.program, Card.currency, Card.state, Card.balance_minor,
                 Card.expires_at, Card.change_seq)
          .where(Card.change_seq > bindparam("cursor"))
          .order_by(Card.change_seq).limit(bindparam("n")))
_PROGRAMS = (select(Program).where(Program.change_seq > bindparam("cursor"))
             .order_by(Program.change_seq).limit(bindparam("n")))
_GRANTS = (select(Grant).where(Grant.terminal == bindparam("terminal"),
                               Grant.change_seq > bindparam("cursor"))
           .order_by(Grant.change_seq).limit(bindparam("n")))
# The caller's own row, and which of the page's sections have any row past the cursor (with
# exactly each section's own filter), in one statement and in the page's snapshot: a section
# with nothing to send is not queried. A pull every 15 s mostly finds a few sections changed.
_SECTIONS = ("cards", "programs", "grants", "limit_shares", "members", "staff")
_OWN = select(
    Terminal,
    exists().where(Card.change_seq > bindparam("cursor")).label("cards"),
    exists().where(Program.change_seq > bindparam("cursor")).label("programs"),
    exists().where(Grant.terminal == bindparam("terminal"),
                   Grant.change_seq > bindparam("cursor")).label("grants"),
    exists().where(LimitShare.terminal == bindparam("terminal"),
                   LimitShare.change_seq > bindparam("cursor")).label("limit_shares"),
    exists().where(Member.change_seq > bindparam("cursor")).label("members"),
    exists().where(StaffMember.store == Terminal.store,
                   StaffMember.change_seq > bindparam("cursor")).label("staff"),
).where(Terminal.id == bindparam("terminal"))


def _change(seq: int, kind: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"change_seq": seq, "kind": kind, "key": key, "data": data}


def read_page_json(session: Session, terminal_id: str, cursor: int, limit: int,
                   key: SigningKey, now: int | None = None) -> bytes:
    """One signed page, serialized: `{"page": ChangePage, "signature"}`. Read acked_seq first:
    in the (PostgreSQL) snapshot it is consistent with the balances anyway, and if it ever
    were not, an older acked_seq only makes the terminal's local view lower, never higher.

    Built as plain JSON data and signed with `canonical_json_data`, which is byte for byte what
    `canonical_json(ChangePage(...))` gives: a bootstrap reads a thousand pages of a thousand
    cards, and building and re-dumping a model per change was most of central's time."""
    page_of = {"cursor": cursor, "n": limit + 1, "terminal": terminal_id}
    found = session.execute(_OWN, page_of).one_or_none()
    if found is None:
        raise NoResultFound(f"no terminal {terminal_id!r}")
    own = found[0]  # in the session now: `terminal_flags.feed` and `staff_changes` reuse it
    has = dict(zip(_SECTIONS, found[1:], strict=True))
    acked = own.last_seq
    merged: list[dict[str, Any]] = []
    if has["cards"]:
        merged += [_change(c.change_seq, "card", c.code, card_data(c))
                   for c in session.execute(_CARDS, page_of).all()]
    if has["programs"]:
        merged += [_change(p.change_seq, "program", p.id, program_data(p, key))
                   for p in session.scalars(_PROGRAMS, page_of).all()]
    merged += [_change(seq, "terminal", terminal_id, data)
               for seq, data in terminal_flags.feed(session, terminal_id, cursor)]
    if has["grants"]:
        merged += [_change(g.change_seq, "grant", g.id, grant_data(g))
                   for g in session.scalars(_GRANTS, page_of).all()]
    if has["limit_shares"]:
        merged += [_change(seq, "limit_share", sid, data)
                   for seq, sid, data in limit_shares.feed(session, terminal_id, cursor, limit)]
    if has["members"]:
        merged += [_change(seq, "member", code, data)
                   for seq, code, data in member_changes(session, cursor, limit)]
    if has["staff"]:
        merged += [ch.model_dump(mode="json")
                   for ch in staff_changes(session, terminal_id, cursor, limit + 1)]
    merged.sort(key=lambda ch: ch["change_seq"])
    more = len(merged) > limit
    changes = merged[:limit]
    page = {
        "cursor_from": cursor,
        "cursor": changes[-1]["change_seq"] if changes else cursor,
        "more": more,
        "acked_seq": int(acked),
        "server_time": int(time.time()) if now is None else now,
        "changes": changes,
    }
    signature = key.sign(canonical_json_data(page))
    return json.dumps({"page": page, "signature": signature}, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")
