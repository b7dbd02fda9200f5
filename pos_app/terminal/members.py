"""The members replica: loyalty members as central last reported them (country, visits and the
points lots that still count), and each member's local view.

Like a card's balance view, a member's local account is central's lots as of `acked_seq` plus
this terminal's own entries central had not included (seq > acked_seq): an `earn` adds the lot
`<terminal>:<seq>`, a `burn` takes its recorded allocation, a `void` returns the allocation of
the burn it names, an `adjust` adds a lot (`+`) or burns soonest first (`-`). Expiry is
applied from the terminal's clock by the points account itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, text

from core.codes import normalize_code
from core.errors import Declined, InvalidAmount
from core.journal import EntryBody
from core.rules.context import Customer, customer_from_data
from core.rules.points import PointsAccount, PointsEvent, PointsLot, apply_event, burn, earn, void
from core.rules.quote import Membership
from wallet_sync.agent import SyncError


@dataclass(frozen=True, slots=True)
class MemberRow:
    code: str
    program: str
    country: str
    data: dict[str, Any]
    acked_seq: int


@dataclass(slots=True)
class LocalMember:
    row: MemberRow
    account: PointsAccount
    visits: int
    attributes: dict[str, Any] = field(default_factory=dict)
    spend: int = 0  # this till's purchases central had not included (minor units)
    last_visit: int | None = None  # this till's latest such purchase

    def customer(self) -> Customer:
        """Central's facts as of `facts_as_of`, plus this till's own unsynced purchases."""
        base = customer_from_data({**self.row.data, "country": self.row.country,
                                   "attributes": self.attributes}, self.row.code)
        last = max(v for v in (base.last_visit, self.last_visit, 0) if v is not None)
        return replace(base, visits=self.visits, lifetime_spend=base.lifetime_spend + self.spend,
                       last_visit=last or None)


def _lots(raw: Any) -> tuple[PointsLot, ...]:
    lots = []
    for item in raw if isinstance(raw, list) else []:
        if (isinstance(item, list) and len(item) == 5 and isinstance(item[0], str)
                and all(isinstance(v, int) for v in item[1:4])
                and (item[4] is None or isinstance(item[4], int))):
            lots.append(PointsLot(item[0], item[1], item[2], item[3], item[4]))
        else:
            raise SyncError("malformed member lot", reason="bad_change")
    return tuple(lots)


def apply_change(conn: Connection, data: dict[str, Any], acked: int, cseq: int) -> None:
    """Upsert one member change (called inside `Store.apply_page`'s transaction)."""
    code, program, country = data.get("code"), data.get("program"), data.get("country", "")
    if not all(isinstance(v, str) for v in (code, program, country)):
        raise SyncError("malformed member change", reason="bad_change")
    _lots(data.get("lots"))  # validate now, not at the till
    # Kept under the code's keyed hash, and the copy of central's data without the code: a
    # stolen terminal.db names no member (data_keys.card_id).
    stored = {k: v for k, v in data.items() if k != "code"}
    conn.execute(
        text("INSERT INTO members (code, program, country, data, acked_seq, change_seq) VALUES "
             "(wp_card_key(:c), :p, :k, :d, :a, :s) "
             "ON CONFLICT(code) DO UPDATE SET program = excluded.program,"
             " country = excluded.country, data = excluded.data, acked_seq = excluded.acked_seq,"
             " change_seq = excluded.change_seq WHERE excluded.change_seq >= members.change_seq"),
        {"c": code, "p": program, "k": country, "d": json.dumps(stored, sort_keys=True),
         "a": acked, "s": cseq})


def get(conn: Connection, code: str) -> MemberRow | None:
    """The member CODE (normalized); found by its keyed hash, as cards are."""
    row = conn.execute(text("SELECT program, country, data, acked_seq FROM members "
                            "WHERE code = wp_card_key(:c)"), {"c": code}).first()
    if row is None:
        return None
    return MemberRow(code, row[0], row[1], {**json.loads(row[2]), "code": code}, int(row[3]))


def normalize(text_in: str, patterns: list[str]) -> str:
    return normalize_code(text_in, patterns)


def _allocation(raw: Any) -> tuple[tuple[str, int], ...]:
    if not isinstance(raw, list):
        return ()
    return tuple((str(a), int(b)) for a, b in raw
                 if isinstance(b, int) and not isinstance(b, bool))


def local(conn: Connection, row: MemberRow, terminal: str, rolling: int | None = None
          ) -> LocalMember:
    """Central's account plus this terminal's entries central had not included."""
    data = row.data
    last = data.get("last_activity")
    account = PointsAccount(row.code, row.program, _lots(data.get("lots")),
                            last if isinstance(last, int) else None)
    visits = data.get("visits") if isinstance(data.get("visits"), int) else 0
    spend, last_visit = 0, None
    pending = conn.execute(text("SELECT seq, data FROM journal WHERE card = :c AND seq > :s "
                                "AND op IN ('earn', 'burn', 'void', 'adjust', 'refund') "
                                "ORDER BY seq"),
                           {"c": row.code, "s": row.acked_seq}).all()
    for seq, raw in pending:
        body = EntryBody.decode(bytes(raw))
        at = body.wall_ms // 1000
        try:
            if body.op == "adjust":  # a manager's correction, as central applies it
                if body.extra.get("sign") == "+":
                    account = earn(account, body.amount, f"{terminal}:{seq}", at, None)
                else:
                    account = burn(account, min(body.amount, account.balance(at, rolling)),
                                   at, rolling)[0]
            elif body.op == "earn":
                exp = body.extra.get("expires_at")
                account = earn(account, body.amount, f"{terminal}:{seq}", at,
                               exp if isinstance(exp, int) else None)
                if body.extra.get("visit") is True:
                    visits += 1
                    total = body.extra.get("order_total")
                    spend += total if isinstance(total, int) and total > 0 else 0
                    last_visit = max(last_visit or 0, at)
            elif body.op == "burn":
                try:
                    account = apply_event(account, PointsEvent(
                        "burn", allocation=_allocation(body.extra.get("allocation")), at=at))
                except InvalidAmount:  # central's lots moved under it: take the points anyway
                    account = burn(account, min(body.amount, account.balance(at, rolling)),
                                   at, rolling)[0]
            elif body.op == "refund":  # points earned taken back count at once; a reward's
                if body.extra.get("of") == "earn":  # points come back when central applies it
                    account = burn(account, min(body.amount, account.balance(at, rolling)),
                                   at, rolling)[0]
            else:
                target = conn.execute(text("SELECT data FROM journal WHERE seq = :s AND "
                                           "op = 'burn'"), {"s": body.ref}).scalar()
                if target is not None:
                    burned = EntryBody.decode(bytes(target))
                    account = void(account, _allocation(burned.extra.get("allocation")))
        except (InvalidAmount, Declined):
            continue  # a view, not the ledger: central settles what does not fit
    attrs = data.get("attributes") if isinstance(data.get("attributes"), dict) else {}
    return LocalMember(row, account, visits, dict(attrs), spend, last_visit)


def membership(member: LocalMember, period_points: int, previous: int) -> Membership:
    return Membership(member.row.program, member.account, period_points, previous,
                      member.customer())
