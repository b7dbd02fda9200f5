"""Balance lookups and the balance view's ground truth.

`card_balance` answers `terminal balance` from the replica alone (works offline). The cached
`cards.balance` column is only a view; `recompute_balance` derives the same figure from central's
last reported balance and the journal itself, and tests hold the two equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, text

from core.errors import Declined, InvalidInput
from core.money import format_minor
from core.text_input import check_text
from pos_app.terminal import replica
from pos_app.terminal.database import TerminalDB


def recompute_balance(conn: Connection, code: str) -> int | None:
    """central balance_minor - own redeems of the card with seq > the card's acked_seq, summed
    from the journal rows' signed bodies (not from the cached column)."""
    from core.journal import EntryBody  # local: only the audit path needs to decode bodies

    card = TerminalDB.get_card(conn, code)
    if card is None:
        return None
    rows = conn.execute(text("SELECT data FROM journal WHERE seq > :s ORDER BY seq"),
                        {"s": card.acked_seq}).all()
    spent = 0
    for (data,) in rows:
        body = EntryBody.decode(bytes(data))
        if body.op == "redeem" and body.card == code:
            spent += body.amount
    return card.balance_minor - spent


def _iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).isoformat(timespec="seconds")


def card_balance(store: TerminalDB, code_text: str) -> dict[str, Any]:
    """{"code","state","balance","currency","program","expires_at","as_of"}; as_of is the last
    complete sync (the moment the replica last matched central), null if it never synced;
    expires_at is unix seconds or null."""
    check_text(code_text, "code")
    with store.read() as conn:
        code, _ = replica.normalize(replica.load_programs(conn), code_text)
        card = TerminalDB.get_card(conn, code)
        last_sync = TerminalDB.get_meta(conn, "last_sync_ms")
    if card is None:
        raise Declined(f"card {code} is not in this terminal's replica", reason="unknown_card")
    return {"code": card.code, "state": card.state,
            "balance": format_minor(card.balance, card.currency), "currency": card.currency,
            "program": card.program, "expires_at": card.expires_at,
            "as_of": _iso(int(last_sync) if last_sync is not None else None)}


def card_currency(db: TerminalDB, codes: Sequence[str]) -> str | None:
    """The currency of the first of CODES this replica holds, else the store's main one."""
    with db.read() as conn:
        programs = replica.load_programs(conn)
        for text_in in codes:
            try:
                code, _ = replica.normalize(programs, text_in)
            except InvalidInput:
                continue
            card = TerminalDB.get_card(conn, code)
            if card is not None:
                return card.currency
    return replica.main_currency(programs)
