"""Balance lookups and the balance view's ground truth.

`card_balance` answers `terminal balance` from the replica alone (works offline). The cached
`cards.balance` column is only a view; `recompute_balance` derives the same figure from central's
last reported balance and the journal itself, and tests hold the two equal.

The same equality guards the offline decision (issue 13: one edited byte of `cards.balance`
made 9.00 read 213.80 and an offline spend was approved on it). `mismatch` recomputes one card
from its own journal rows, each read from its signed body, before an offline spend decides on
the view; `all_mismatches` does every card for `verify`, in one statement over the journal's
columns (verify has just held each row's columns to its signed body). A refusal is recorded in
meta (`record_mismatch`) so `verify` names the card after the cashier was turned away, even
once a sync has rewritten the view. Central's own figure (`balance_minor`) is what the view is
recomputed from, so an edit of both that agrees with itself is not seen here: central re-checks
every offline spend against its own balance (wallet_sync.central.offline_check).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from core.errors import Declined, InvalidInput
from core.journal import EntryBody
from core.money import format_minor
from core.text_input import check_text
from pos_app.terminal import replica
from pos_app.terminal.database import TerminalDB


def recompute_balance(conn: Connection, code: str) -> int | None:
    """central balance_minor - own redeems of the card with seq > the card's acked_seq, summed
    from the journal rows' signed bodies (not from the cached column)."""
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


MISMATCH_META = "balance_mismatches"  # meta: {code: {"view", "journal", "at_ms"}} refused
MAX_RECORDED = 200  # a flood of damage is said by verify's own recount; the record stays small


@dataclass(frozen=True, slots=True)
class BalanceMismatch:
    """A card whose balance view is not what its journal says (minor units; `journal` None when
    one of its rows does not decode)."""

    code: str
    view: int
    journal: int | None
    currency: str

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "view": format_minor(self.view, self.currency),
                "journal": (format_minor(self.journal, self.currency)
                            if self.journal is not None else None),
                "currency": self.currency}


def mismatch(conn: Connection, code: str) -> BalanceMismatch | None:
    """CODE's view against central's figure less this terminal's own redeems of it since,
    summed from the signed bodies of the card's journal rows (the index on card, seq keeps it
    to the card's own rows); None when they agree or the card is not in the replica."""
    card = TerminalDB.get_card(conn, code)
    if card is None:
        return None
    rows = conn.execute(text("SELECT data FROM journal WHERE card = :c AND seq > :s"),
                        {"c": code, "s": card.acked_seq}).all()
    spent = 0
    for (data,) in rows:
        try:
            body = EntryBody.decode(bytes(data))
        except InvalidInput:
            return BalanceMismatch(code, card.balance, None, card.currency)
        if body.op == "redeem" and body.card == code:  # a column edited away from the body
            spent += body.amount                        # counts as the body says
    expected = card.balance_minor - spent
    if expected == card.balance:
        return None
    return BalanceMismatch(code, card.balance, expected, card.currency)


def all_mismatches(conn: Connection) -> list[BalanceMismatch]:
    """Every card whose view is not central's figure less the journal's redeems of it since.
    The replica holds cards under keyed hashes, the journal names them in the clear: redeems
    are matched by hashing the journal's codes (`wp_card_key`), and a card is reported by its
    code when this till's journal names it, else by its hash."""
    rows = conn.execute(text(
        "WITH r AS (SELECT wp_card_key(card) AS k, card, seq, amount FROM journal "
        "           WHERE op = 'redeem' AND card IS NOT NULL) "
        "SELECT c.code, MAX(r.card), c.balance, "
        "       c.balance_minor - COALESCE(SUM(CASE WHEN r.seq > c.acked_seq THEN r.amount END), "
        "                                  0) AS expected, c.currency "
        "FROM cards c LEFT JOIN r ON r.k = c.code GROUP BY c.code "
        "HAVING c.balance != expected ORDER BY c.code"))
    return [BalanceMismatch(r[1] or r[0], int(r[2]), int(r[3]), r[4]) for r in rows]


def record_mismatch(conn: Connection, found: BalanceMismatch, now_ms: int) -> None:
    """Keep FOUND for `verify` (meta), inside the caller's write transaction."""
    recorded = recorded_mismatches(conn)
    if found.code not in recorded and len(recorded) >= MAX_RECORDED:
        return
    recorded[found.code] = {**found.as_json(), "at_ms": now_ms}
    TerminalDB.set_meta(conn, MISMATCH_META, json.dumps(recorded, sort_keys=True))


def recorded_mismatches(conn: Connection) -> dict[str, dict[str, Any]]:
    try:
        value = json.loads(TerminalDB.get_meta(conn, MISMATCH_META) or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


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
