"""What loyalty entries from a terminal do on central (called by `applying.Applier`).

- `earn`: a lot `<terminal>:<seq>` of `amount` points, earned at the entry's wall time (the
  sale), expiring at `extra.expires_at` as the terminal computed it under the program version
  it names. `extra.visit` counts one visit (milestones).
- `burn`: takes `extra.allocation` exactly as recorded when central's lots still hold it (the
  sale happened when the terminal decided it, even if a lot lapsed since); otherwise it is
  re-allocated soonest-expiring first; points central cannot find are a `points_overdraft`
  conflict (applied as far as the lots go — points never go negative).
- `void` of a member's burn (`ref` = the burn's seq on this terminal): returns the allocation
  central actually took.
- `adjust` (a manager's manual correction, `extra {sign, reason}`): `+` adds a lot
  `<terminal>:<seq>` like an earn (expiring at `extra.expires_at` when given, else never; no
  visit); `-` burns soonest-expiring first, never below zero (the rest a `points_overdraft`
  conflict). Recorded as `earn`/`burn` events so `replay` rebuilds the account unchanged.
- `load` with `extra.reward` (a gift-card credit reward): issues the new card the terminal named
  (`card`), active, one lot `<terminal>:<seq>`.
After the batch, lapsed points of every touched member are expired (members.expire_due).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.dates import gift_card_expiry
from core.errors import Declined, InvalidAmount
from core.journal import EntryBody
from core.money import MAX_MINOR
from core.rules.points import PointsEvent, apply_event, burn, void
from core.rules.schema import MAX_POINTS
from wallet_sync.central import members
from wallet_sync.central.change_seq import allocate
from wallet_sync.central.programs import parsed
from wallet_sync.central.tables import Card, CardEvent, CardLot, Entry, Member, Program, table_of
from wallet_sync.central.tables import PointsEvent as EventRow

Outcome = tuple[str, str | None]
Case = Callable[[str | None, int, str, int, str | None, list[Any]], Outcome]
POINTS_OPS = frozenset({"earn", "burn"})


def _allocation(raw: Any) -> tuple[tuple[str, int], ...] | None:
    if not isinstance(raw, list):
        return None
    out = []
    for item in raw:
        if (not isinstance(item, list) or len(item) != 2 or not isinstance(item[0], str)
                or not isinstance(item[1], int) or isinstance(item[1], bool) or item[1] <= 0):
            return None
        out.append((item[0], item[1]))
    return tuple(out)


class LoyaltyApplier:
    def __init__(self, session: Session, terminal: str, now: int, case: Case) -> None:
        self.session = session
        self.terminal = terminal
        self.now = now
        self.case = case
        self.works: dict[str, members.MemberWork] = {}
        self.known: set[str] = set()
        self.burns: dict[int, tuple[str, tuple[tuple[str, int], ...]]] = {}
        self.voided: set[int] = set()
        self.new_cards: list[tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]] = []

    def prepare(self, bodies: Iterable[EntryBody], *, lock: bool) -> None:
        """Load (and lock, in code order) every member the batch names, once."""
        codes = {b.card for b in bodies
                 if b.card and b.op in ("earn", "burn", "void", "adjust")}
        if codes:
            self.known = set(self.session.scalars(select(Member.code)
                                                  .where(Member.code.in_(sorted(codes)))))
            self.works = members.load(self.session, self.known, lock=lock)

    def handles(self, body: EntryBody) -> bool:
        if body.op in POINTS_OPS:
            return True
        if body.op in ("void", "adjust"):  # a gift card's adjust stays unsupported_op
            return body.card in self.known
        return body.op == "load" and bool(body.extra.get("reward"))

    def apply(self, body: EntryBody, ref: Any) -> Outcome:
        if body.op == "load":
            return self._issue(body, ref)
        work = self.works.get(body.card or "")
        if work is None:
            reason = "unknown_member" if body.card not in self.known else "program_unavailable"
            return self.case(body.card, body.seq, reason, 0, None, [ref])
        if body.program != work.member.program:
            return self.case(body.card, body.seq, "wrong_program", 0, None, [ref])
        if body.op != "void" and not 0 < body.amount <= MAX_POINTS:
            return self.case(body.card, body.seq, "invalid_amount", 0, None, [ref])
        at = body.wall_ms // 1000
        sign = body.extra.get("sign") if body.op == "adjust" else None
        if body.op == "adjust" and sign not in ("+", "-"):
            return self.case(body.card, body.seq, "invalid_adjust", 0, None, [ref])
        if body.op == "earn" or sign == "+":
            expires = body.extra.get("expires_at")
            expires = expires if isinstance(expires, int) and not isinstance(expires, bool) \
                else None
            event = PointsEvent("earn", body.amount, f"{self.terminal}:{body.seq}", expires,
                                at=at)
            try:
                account = apply_event(work.account, event)
            except InvalidAmount as exc:
                return self.case(body.card, body.seq, exc.reason, 0, None, [ref])
            if body.op == "earn" and body.extra.get("visit") is True:
                work.member.visits += 1
            work.record(account, event, terminal=self.terminal, seq=body.seq)
            return "applied", None
        if body.op == "burn" or sign == "-":  # an adjust has no allocation: soonest first
            return self._burn(work, body, at, ref)
        return self._void(work, body, ref)

    def _burn(self, work: members.MemberWork, body: EntryBody, at: int, ref: Any) -> Outcome:
        recorded = _allocation(body.extra.get("allocation"))
        account = None
        if recorded is not None and sum(p for _, p in recorded) == body.amount:
            try:
                account = apply_event(work.account, PointsEvent("burn", allocation=recorded,
                                                                 at=at))
                allocation = recorded
            except InvalidAmount:
                account = None
        shortfall = 0
        if account is None:
            rolling = work.rolling(at)
            try:
                account, allocation = burn(work.account, body.amount, at, rolling)
            except Declined:
                have = work.account.balance(at, rolling)
                shortfall = body.amount - have
                account, allocation = (burn(work.account, have, at, rolling) if have > 0
                                       else (work.account, ()))
        work.record(account, PointsEvent("burn", body.amount - shortfall, allocation=allocation,
                                         at=at), terminal=self.terminal, seq=body.seq)
        self.burns[body.seq] = (work.member.code, allocation)
        if shortfall:
            return self.case(body.card, body.seq, "points_overdraft", shortfall, None, [ref])
        return "applied", None

    def _void(self, work: members.MemberWork, body: EntryBody, ref: Any) -> Outcome:
        target = body.ref
        found = self.burns.get(target) if target is not None else None
        if found is None and target is not None:
            row = self.session.scalars(select(EventRow).where(
                EventRow.terminal == self.terminal, EventRow.seq == target,
                EventRow.op == "burn")).first()
            if row is not None:
                found = (row.member, tuple((str(a), int(b)) for a, b in row.allocation))
        done = target in self.voided or (target is not None and self.session.scalar(
            select(Entry.seq).where(Entry.terminal == self.terminal, Entry.op == "void",
                                    Entry.ref == target, Entry.status == "applied").limit(1)
        ) is not None)
        if found is None or found[0] != work.member.code or done:
            return self.case(body.card, body.seq, "void_invalid", 0, None, [ref])
        try:
            account = void(work.account, found[1])
        except InvalidAmount:
            return self.case(body.card, body.seq, "void_invalid", 0, None, [ref])
        work.record(account, PointsEvent("void", sum(p for _, p in found[1]),
                                         allocation=found[1], at=self.now),
                    terminal=self.terminal, seq=body.seq)
        self.voided.add(target)  # type: ignore[arg-type]
        return "applied", None

    def _issue(self, body: EntryBody, ref: Any) -> Outcome:
        code = body.card or ""
        row = self.session.get(Program, body.program or "")
        prog = parsed(row) if row is not None else None
        if prog is None or prog.kind != "gift_card":
            return self.case(code or None, body.seq, "unknown_program", 0, body.currency, [ref])
        if (not code or body.currency != prog.currency or not 0 < body.amount <= MAX_MINOR
                or self.session.get(Card, code) is not None
                or any(c[0]["code"] == code for c in self.new_cards)):
            return self.case(code or None, body.seq, "invalid_credit", 0, body.currency, [ref])
        expires = gift_card_expiry(prog.expiry_months, prog.expiry_date, self.now)
        lot = f"{self.terminal}:{body.seq}"
        card = {"code": code, "program": prog.id, "currency": prog.currency, "state": "active",
                "balance_minor": body.amount, "expires_at": expires, "issued_at": self.now,
                "qr": None, "change_seq": 0}
        if "reserve" in table_of(Card).c:  # escrow: a new card's reserve is its balance
            card["reserve"] = body.amount
        events: list[dict[str, Any]] = [{"card": code, "op": op, "amount": amount, "lot_id": lot_id,
                   "expires_at": exp, "allocation": [], "at": self.now,
                   "terminal": self.terminal, "seq": body.seq, "actor": None}
                  for op, amount, lot_id, exp in (("issue", body.amount, lot, expires),
                                                  ("activate", 0, None, None))]
        self.new_cards.append((card, {"card": code, "lot_id": lot, "amount": body.amount,
                                      "remaining": body.amount, "expires_at": expires}, events))
        return "applied", None

    def save(self) -> None:
        """After the batch: expire what lapsed, write members, then the new cards (each
        gets its change_seq here, the transaction's last statements)."""
        for work in self.works.values():
            members.expire_due(work, self.now)
        members.save(self.session, self.works.values(), self.now)
        if self.new_cards:
            first = allocate(self.session, len(self.new_cards))
            conn = self.session.connection()
            for i, (card, _, _) in enumerate(self.new_cards):
                card["change_seq"] = first + i
            conn.execute(insert(table_of(Card)), [c for c, _, _ in self.new_cards])
            conn.execute(insert(table_of(CardLot)), [lot for _, lot, _ in self.new_cards])
            conn.execute(insert(table_of(CardEvent)),
                         [e for _, _, events in self.new_cards for e in events])
