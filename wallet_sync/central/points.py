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

Value needs authority here too. An `earn` is applied only when its figures can come from the
rules of the program version it names (`core.rules.loyalty.earn_consistent`), else
`earn_unbacked`; a `+` adjust only with central's value authorization for it and a manager of
the store (`value_auth.Backing`); a `-` adjust and a void only with a manager of the store; a
reward's gift-card credit only when a burn of the same commit (`extra.txn`) paid for that
reward in full and the reward gives exactly that credit (`no_authority`). Those entries are
not applied and the terminal is flagged. A burn central did not hold points for
(`points_holds`) is re-checked against the program's offline policy (`offline_check`): a
breach is applied, with a `breach:<rule>` case and a flag.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.errors import Declined, InvalidAmount, InvalidInput
from core.journal import EntryBody
from core.money import MAX_MINOR
from core.rules.loyalty import Reward, earn_consistent
from core.rules.points import PointsEvent, apply_event, burn, void
from core.rules.schema import MAX_POINTS
from wallet_sync.central import customer_events, customer_facts, members, programs
from wallet_sync.central.change_seq import allocate
from wallet_sync.central.offline_check import OfflineCheck
from wallet_sync.central.points_holds import Holds
from wallet_sync.central.programs import parsed
from wallet_sync.central.staff import staff_reason
from wallet_sync.central.tables import Card, CardEvent, CardLot, Entry, Member, Program, table_of
from wallet_sync.central.tables import PointsEvent as EventRow
from wallet_sync.central.value_auth import Backing

Outcome = tuple[str, str | None]
Case = Callable[[str | None, int, str, int, str | None, list[Any]], Outcome]
Flagger = Callable[[str, int], None]
POINTS_OPS = frozenset({"earn", "burn"})
RECENT_BURNS = 20  # a reward's credit follows its burn within one commit


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


def _paid_by(burn: EntryBody, full: bool) -> tuple[str, str, str | None, int | None, bool]:
    """(member, reward, program, version, paid in full) of a reward's burn."""
    reward = burn.extra.get("reward")
    return (burn.card or "", reward if isinstance(reward, str) else "", burn.program,
            burn.program_version, full)


class LoyaltyApplier:
    def __init__(self, session: Session, terminal: str, store: str, now: int, case: Case,
                 backing: Backing, check: OfflineCheck, flag: Flagger) -> None:
        self.session = session
        self.terminal = terminal
        self.store = store
        self.now = now
        self.case = case
        self.backing = backing
        self.check = check
        self.flag = flag
        self.holds = Holds(session, terminal)
        self.paid: dict[str, tuple[str, str, str | None, int | None, bool]] = {}  # see _paid
        self.works: dict[str, members.MemberWork] = {}
        self.known: set[str] = set()
        self.burns: dict[int, tuple[str, tuple[tuple[str, int], ...]]] = {}
        self.voided: set[int] = set()
        self.earned: dict[int, tuple[str, int]] = {}  # this batch's earns: seq -> (member, pts)
        self.refunded: dict[int, int] = {}  # original seq -> points this batch's refunds moved
        # Whether a refund names its original's order (set by the Applier, which sees the batch).
        self.same_order: Callable[[EntryBody, int], bool] = lambda body, target: True
        self.new_cards: list[tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]] = []

    def prepare(self, bodies: Iterable[EntryBody], *, lock: bool) -> None:
        """Load (and lock, in code order) every member the batch names, once."""
        bodies = list(bodies)
        self.holds.load(bodies)
        codes = {b.card for b in bodies
                 if b.card and b.op in ("earn", "burn", "void", "adjust", "refund")}
        if codes:
            self.known = set(self.session.scalars(select(Member.code)
                                                  .where(Member.code.in_(sorted(codes)))))
            self.works = members.load(self.session, self.known, lock=lock)

    def handles(self, body: EntryBody) -> bool:
        if body.op in POINTS_OPS:
            return True
        if body.op in ("void", "adjust", "refund"):  # a gift card's adjust: unsupported_op
            return body.card in self.known
        return body.op == "load" and bool(body.extra.get("reward"))

    def _refuse(self, body: EntryBody, reason: str, ref: Any) -> Outcome:
        """An entry without authority: not applied, a case, the terminal flagged."""
        outcome = self.case(body.card, body.seq, reason, 0, body.currency, [ref])
        self.flag(reason, body.seq)
        return outcome

    def _authority(self, body: EntryBody) -> str | None:
        if body.op in ("void", "adjust", "refund"):
            why = staff_reason(self.session, body.staff, self.store, "manager")
            if why is None and body.op == "adjust" and body.extra.get("sign") == "+" \
                    and not self.backing.take(body):
                why = "no_authority"
            return why
        if body.op == "earn":
            prog = programs.version_of(self.session, body.program or "", body.program_version)
            extra = body.extra
            if prog is None or prog.loyalty is None or not earn_consistent(
                    prog.loyalty, str(extra.get("benefit") or ""), extra.get("rule"),
                    extra.get("base"), extra.get("multiplier"), body.amount, prog.currency):
                return "earn_unbacked"
        return None

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
        refused = self._authority(body)
        if refused is not None:
            return self._refuse(body, refused, ref)
        if body.op == "earn":  # an event rule counted per customer: central's count decides
            prog = programs.version_of(self.session, body.program or "", body.program_version)
            over = customer_events.check_unclaimed(self.session, self.terminal, body, prog,
                                                   self.now) if prog is not None else None
            if over is not None:
                return self.case(body.card, body.seq, over, 0, None, [ref])
        if body.op == "refund":
            return self._refund(work, body, at, ref)
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
            if body.op == "earn":
                customer_facts.record_earn(work.member, body, self.now)
            work.record(account, event, terminal=self.terminal, seq=body.seq)
            if body.op == "earn":
                self.earned[body.seq] = (work.member.code, body.amount)
            return "applied", None
        if body.op == "burn" or sign == "-":  # an adjust has no allocation: soonest first
            return self._burn(work, body, at, ref)
        return self._void(work, body, ref)

    def _burn(self, work: members.MemberWork, body: EntryBody, at: int, ref: Any) -> Outcome:
        rule = self.check.burn(body, held=self.holds.take(body)) if body.op == "burn" else None
        if rule is not None:
            self.case(body.card, body.seq, f"breach:{rule}", 0, None, [ref])
            self.flag(f"breach:{rule}", body.seq)
        outcome = self._take_points(work, body, at, ref)
        if outcome == ("applied", None) and rule is not None:
            return "conflict", f"breach:{rule}"
        return outcome

    def _take_points(self, work: members.MemberWork, body: EntryBody, at: int, ref: Any
                     ) -> Outcome:
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
        if body.op == "burn":
            txn = body.extra.get("txn")
            if isinstance(txn, str):
                self.paid[txn] = _paid_by(body, shortfall == 0)
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

    def _original(self, target: int) -> tuple[str, str, int, tuple[tuple[str, int], ...]] | None:
        """(op, member, points, allocation) of this terminal's earn or burn TARGET."""
        if target in self.earned:
            return ("earn", *self.earned[target], ())
        if target in self.burns:
            member, allocation = self.burns[target]
            return "burn", member, sum(p for _, p in allocation), allocation
        row = self.session.scalars(select(EventRow).where(
            EventRow.terminal == self.terminal, EventRow.seq == target,
            EventRow.op.in_(("earn", "burn")))).first()
        if row is None:
            return None
        allocation = tuple((str(a), int(b)) for a, b in row.allocation)
        points = row.points if row.op == "earn" else sum(p for _, p in allocation)
        return row.op, row.member, int(points), allocation

    def _refunded_before(self, target: int) -> int:
        refunds = select(Entry.seq).where(Entry.terminal == self.terminal,
                                          Entry.op == "refund", Entry.ref == target)
        rows = self.session.scalars(select(EventRow.points).where(
            EventRow.terminal == self.terminal, EventRow.seq.in_(refunds)))
        return sum(int(p) for p in rows) + self.refunded.get(target, 0)

    def _refund(self, work: members.MemberWork, body: EntryBody, at: int, ref: Any
                ) -> Outcome:
        """An order refunded: points earned on it taken back (soonest-expiring first, at most
        what the member still has), or a reward's burned points returned to their lots once.
        Past what the original moved: only the rest, and a `breach:refund_over_paid` case."""
        found = self._original(body.ref) if body.ref is not None else None
        if found is None or found[1] != work.member.code \
                or not self.same_order(body, body.ref):  # type: ignore[arg-type]
            return self.case(body.card, body.seq, "refund_invalid", 0, None, [ref])
        op, _, points, allocation = found
        already = self._refunded_before(body.ref)  # type: ignore[arg-type]
        give = max(0, min(body.amount, points - already))
        if op == "burn" and already:
            give = 0  # a reward comes back once, whole
        if give > 0 and op == "earn":
            rolling = work.rolling(at)
            take = min(give, work.account.balance(at, rolling))
            if take > 0:
                account, taken = burn(work.account, take, at, rolling)
                work.record(account, PointsEvent("burn", take, allocation=taken, at=at),
                            terminal=self.terminal, seq=body.seq)
        elif give > 0:
            if op == "burn" and give != points:
                give = 0
            else:
                work.record(void(work.account, allocation),
                            PointsEvent("void", give, allocation=allocation, at=self.now),
                            terminal=self.terminal, seq=body.seq)
        original = int(body.ref or 0)  # checked above: a refund names its original
        self.refunded[original] = self.refunded.get(original, 0) + give
        if give < body.amount:
            outcome = self.case(body.card, body.seq, "breach:refund_over_paid", 0, None, [ref])
            self.flag("breach:refund_over_paid", body.seq)
            return outcome
        return "applied", None

    def _paid(self, body: EntryBody) -> Reward | None:
        """Whether a burn of this commit (`extra.txn`, this terminal, just before) paid for the
        reward this credit names, in full, and that reward gives exactly this credit."""
        txn, reward, member = (body.extra.get(k) for k in ("txn", "reward", "member"))
        if not isinstance(txn, str) or not isinstance(reward, str):
            return None
        burned = self.paid.get(txn)
        if burned is None:  # pushed in an earlier batch: read it back
            for (data,) in self.session.execute(select(Entry.data).where(
                    Entry.terminal == self.terminal, Entry.op == "burn", Entry.seq < body.seq,
                    Entry.status == "applied").order_by(Entry.seq.desc()).limit(RECENT_BURNS)):
                try:
                    earlier = EntryBody.decode(bytes(data))
                except InvalidInput:
                    continue
                if earlier.extra.get("txn") == txn:
                    burned = _paid_by(earlier, True)
                    break
        if burned is None:
            return None
        by_member, by_reward, program, version, full = burned
        if not full or by_reward != reward or by_member != member or program is None:
            return None
        prog = programs.version_of(self.session, program, version)
        found = next((r for r in prog.loyalty.rewards if r.id == reward), None) \
            if prog is not None and prog.loyalty is not None else None
        return found if (found is not None and found.gives.kind == "gift_card_credit"
                         and found.gives.program == body.program
                         and found.gives.amount == body.amount) else None

    def _issue(self, body: EntryBody, ref: Any) -> Outcome:
        code = body.card or ""
        row = self.session.get(Program, body.program or "")
        prog = parsed(row) if row is not None else None
        if prog is None or prog.kind != "gift_card":
            return self.case(code or None, body.seq, "unknown_program", 0, body.currency, [ref])
        reward = self._paid(body)
        if reward is None:
            outcome = self.case(code or None, body.seq, "no_authority", 0, body.currency, [ref])
            self.flag("no_authority", body.seq)
            return outcome
        if (not code or body.currency != prog.currency or not 0 < body.amount <= MAX_MINOR
                or self.session.get(Card, code) is not None
                or any(c[0]["code"] == code for c in self.new_cards)):
            return self.case(code or None, body.seq, "invalid_credit", 0, body.currency, [ref])
        # The reward's own `expiry: {days_after_issue}` wins over the credited program's.
        expires = (self.now + reward.expiry_days * 86400 if reward.expiry_days
                   else prog.card_expiry(self.now))
        lot = f"{self.terminal}:{body.seq}"
        card = {"code": code, "program": prog.id, "currency": prog.currency, "state": "active",
                "balance_minor": body.amount, "expires_at": expires, "issued_at": self.now,
                "qr": None, "change_seq": 0, "customer": body.extra.get("member")}
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
        self.holds.flush()
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
