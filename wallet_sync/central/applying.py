"""What one verified terminal entry does to central's ledger (PROTOCOL.md "Applying").

A terminal entry records something that already happened at a counter, so it is never refused
here: it is applied as far as the ledger allows and anything central cannot square becomes a
conflict case (an overdraft also a receivable and a blocked card). Statuses are `applied` or
`conflict`, fixed when the entry is stored.

Gift-card ops central applies: issue (a card from this terminal's code pool, created by
`code_pool.issue_card` before the batch is loaded; its face value becomes lot L0), redeem
(force_redeem, consuming the named hold or drawing on the named grant of this terminal; one with
`extra.transfer_to` moves a lost card's balance and may empty a card a manager already blocked),
activate, load (a lot `<terminal>:<seq>`), void (returns the allocation of this terminal's redeem
`ref`), refund (gives back part of this terminal's redeem `ref` on the same order: at most what it
took minus earlier refunds, lots in reverse order of drawing; past that a `breach:refund_over_paid`
case and only the rest applied), block, unblock (a manager's; a case while the card has an open
conflict case, whose block is head office's to lift), and release (the terminal hands a grant back;
its unused rest returns to the reserve). The Applier only notes what the entries free from holds
and grants; `escrow` writes it and checks the invariant. Loyalty ops (earn, burn, voids of burns,
reward credits) go to `points.LoyaltyApplier`; `close` is recorded. Ops that would move gift-card
value in ways central does not accept from a terminal (adjust, expire, key_rotate) are stored as
conflicts for a person to decide.

Value needs authority. An `activate` or `load` is applied only when it names central's value
authorization for exactly it (`value_auth.Backing`); a `void`, `refund` or `unblock` (they make
value spendable again) only when its `staff` is a manager of the terminal's store. Anything else is
not applied: a case (`unknown_staff`, `manager_required`, `no_authority`), the card held (blocked)
so nothing on it can be spent, and the terminal flagged. Every spend central did not authorize is
re-checked against its program's offline policy (`offline_check`): a breach is applied (the sale
happened) with a `breach:<rule>` case and a flag (`terminal_flags`).
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core.errors import WalletError
from core.journal import EntryBody, SignedEntry
from core.ledger import (
    LedgerEvent,
    activate,
    force_redeem,
    issue,
    load,
    refund_allocation,
    set_blocked,
    void,
)
from core.money import MAX_MINOR
from wallet_sync.central import escrow
from wallet_sync.central.accounts import Working
from wallet_sync.central.conflicts import Ref, add_receivable, open_case
from wallet_sync.central.limit_ingest import Uses
from wallet_sync.central.offline_check import OfflineCheck
from wallet_sync.central.points import LoyaltyApplier
from wallet_sync.central.staff import staff_reason
from wallet_sync.central.tables import (
    CardEvent,
    Conflict,
    ConflictResolution,
    Entry,
    Grant,
    Hold,
    Terminal,
)
from wallet_sync.central.terminal_flags import Flag
from wallet_sync.central.value_auth import Backing

FIRST_LOT = "L0"  # as in central's own batches (cards.FIRST_LOT)
RECORDED = frozenset({"earn", "burn", "close"})
MAX_CASE_REFS = 20

Outcome = tuple[str, str | None]


# Issue conflicts that mean a terminal minted a card it had no right to (the others are
# configuration: the program changed kind or currency since the code was reserved).
UNAUTHORIZED_ISSUE = frozenset({"code_not_reserved", "code_taken", "unknown_staff",
                                "manager_required", "over_value_cap"})


class Applier:
    def __init__(self, session: Session, term: Terminal, working: dict[str, Working], now: int,
                 issued: dict[int, str | None] | None = None) -> None:
        self.session = session
        self.issued = issued or {}  # issue entry seq -> None (card created) or conflict reason
        self.terminal = term.id
        self.store = term.store
        self.working = working
        self.flags: list[Flag] = []  # what this batch caught the terminal at (terminal_flags)
        self.last_case: int | None = None
        self.check = OfflineCheck(session, term)
        self.backing = Backing(session, term.id)
        self.now = now
        self.holds: dict[str, Hold] = {}
        self.consumed: list[tuple[str, int]] = []
        self.batch_refs: dict[str, list[Ref]] = {}  # card -> this batch's entries so far
        self.batch_redeems: dict[int, tuple[str, tuple[tuple[str, int], ...]]] = {}
        self.batch_voided: set[int] = set()
        self.batch_refunded: dict[int, int] = {}  # redeem seq -> given back by this batch
        self.batch_orders: dict[int, object] = {}  # seq -> extra.order of this batch's entries
        self.loyalty = LoyaltyApplier(session, term.id, term.store, now, self._case,
                                      self.backing, self.check, self._flag)
        self.loyalty.same_order = self._same_order
        self.grants: dict[str, Grant] = {}
        self.uses: dict[str, int] = {}  # grant id -> drawn by this batch
        self.released: list[tuple[str, int]] = []  # (grant id, seq of the release entry)
        self.freed: dict[str, int] = {}  # card -> leaves open holds/grants (back to the ledger)
        self.limit_uses = Uses(session, term.id)  # customer/program limits across tills

    def load_holds(self, auth_ids: set[str]) -> None:
        if auth_ids:
            self.holds = {h.auth_id: h for h in self.session.scalars(
                select(Hold).where(Hold.auth_id.in_(sorted(auth_ids)),
                                   Hold.terminal == self.terminal,
                                   Hold.consumed_seq.is_(None), Hold.released_at.is_(None)))}

    def load_grants(self, grant_ids: set[str]) -> None:
        if grant_ids:
            self.grants = {g.id: g for g in self.session.scalars(
                select(Grant).where(Grant.id.in_(sorted(grant_ids)),
                                    Grant.terminal == self.terminal, Grant.status == "open"))}

    def flush(self) -> None:
        for auth_id, seq in self.consumed:
            self.session.execute(update(Hold).where(Hold.auth_id == auth_id,
                                                    Hold.consumed_seq.is_(None),
                                                    Hold.released_at.is_(None))
                                 .values(consumed_seq=seq))
        self.backing.flush()
        escrow.grant_use(self.session, self.uses)
        for grant_id, seq in self.released:
            if not escrow.close_grant(self.session, grant_id, seq, self.now):
                raise escrow.EscrowBroken(f"grant {grant_id} was released twice")

    def _free(self, card: str, amount: int) -> None:
        self.freed[card] = self.freed.get(card, 0) + amount

    def apply(self, entry: SignedEntry, digest: bytes) -> Outcome:
        """Apply one entry; a redemption or reward burn is also counted against the customer-
        and program-scoped limits (`limit_ingest`): one that broke them (an offline use past
        the terminal's share) is applied with a `breach:<rule>` case and a flag."""
        outcome = self._apply(entry, digest)
        body = entry.body
        if body.op not in ("redeem", "burn", "void"):
            return outcome
        w = self.working.get(body.card or "")
        customer = body.card if body.op == "burn" else (w.card.customer if w else None)
        rule = self.limit_uses.observe(body, customer)
        if rule is None:
            return outcome
        ref: Ref = (self.terminal, body.seq, digest.hex())
        case = self._case(body.card, body.seq, f"breach:{rule}", 0, body.currency, [ref])
        self._flag(f"breach:{rule}", body.seq)
        return case if outcome == ("applied", None) else outcome

    def _apply(self, entry: SignedEntry, digest: bytes) -> Outcome:
        body = entry.body
        self.batch_orders[body.seq] = body.extra.get("order")
        ref: Ref = (self.terminal, body.seq, digest.hex())
        if self.loyalty.handles(body):  # earn, burn, member voids, reward credits
            return self.loyalty.apply(body, ref)
        if body.op in RECORDED:
            return "applied", None
        if body.op not in ("issue", "redeem", "activate", "load", "void", "block", "unblock",
                           "release", "refund"):
            return self._case(body.card, body.seq, "unsupported_op", 0, body.currency, [ref])
        if body.op == "issue" and self.issued.get(body.seq, "code_not_reserved") is not None:
            reason = self.issued.get(body.seq) or "code_not_reserved"
            outcome = self._case(body.card, body.seq, reason, 0, body.currency, [ref])
            if reason in UNAUTHORIZED_ISSUE:
                self._flag(reason, body.seq)
            return outcome
        w = self.working.get(body.card or "")
        if w is None:
            short = body.amount if body.op == "redeem" and body.amount <= MAX_MINOR else 0
            return self._case(body.card, body.seq, "unknown_card", short, body.currency, [ref])
        self.batch_refs.setdefault(w.card.code, []).append(ref)
        if body.op in ("redeem", "load", "void", "refund") \
                and body.currency != w.account.currency:
            return self._case(w.card.code, body.seq, "wrong_currency", 0, body.currency, [ref])
        if body.op in ("redeem", "load", "refund") and not 0 < body.amount <= MAX_MINOR:
            return self._case(w.card.code, body.seq, "invalid_amount", 0, body.currency, [ref])
        refused = self._authority(body)
        if refused is not None:
            return self._hold_card(w, body, refused, ref)
        try:
            if body.op == "redeem":
                return self._redeem(w, body, ref)
            if body.op == "release":
                return self._release(w, body.seq, body.grant, ref)
            if body.op == "issue":  # the card was created empty: its face value is lot L0
                expires = w.account.expires_at
                w.record(issue(w.card.code, w.account.currency, body.amount, FIRST_LOT, expires),
                         LedgerEvent("issue", body.amount, FIRST_LOT, expires, at=self.now),
                         terminal=self.terminal, seq=body.seq)
                return "applied", None
            if body.op == "activate":
                if w.account.state != "active":
                    w.record(activate(w.account), LedgerEvent("activate", at=self.now),
                             terminal=self.terminal, seq=body.seq)
                return "applied", None
            if body.op == "load":
                lot = f"{self.terminal}:{body.seq}"
                acct = load(w.account, body.amount, lot, w.account.expires_at)
                w.record(acct, LedgerEvent("load", body.amount, lot, w.account.expires_at,
                                           at=self.now), terminal=self.terminal, seq=body.seq)
                return "applied", None
            if body.op == "void":
                return self._void(w, body.seq, body.ref, ref)
            if body.op == "refund":
                return self._refund(w, body, ref)
            if body.op == "unblock":
                return self._unblock(w, body.seq, ref)
            if w.account.state != "blocked":
                w.record(set_blocked(w.account, True), LedgerEvent("block", at=self.now),
                         terminal=self.terminal, seq=body.seq)
            return "applied", None
        except WalletError as exc:
            return self._case(w.card.code, body.seq, exc.reason, 0, body.currency, [ref])

    def _authority(self, body: EntryBody) -> str | None:
        """Why central will not apply this value-raising entry, or None (it has authority)."""
        if body.op in ("activate", "load"):
            why = staff_reason(self.session, body.staff, self.store, "manager")
            if why is None and not self.backing.take(body):
                why = "no_authority"
            return why
        if body.op in ("void", "unblock", "refund"):
            return staff_reason(self.session, body.staff, self.store, "manager")
        return None

    def _hold_card(self, w: Working, body: EntryBody, reason: str, ref: Ref) -> Outcome:
        """An entry without authority: not applied; its card held so nothing on it is spent
        until a person looks, and the terminal flagged."""
        if w.account.state in ("active", "inactive"):
            w.record(set_blocked(w.account, True), LedgerEvent("block", at=self.now),
                     terminal=self.terminal, seq=body.seq)
        outcome = self._case(w.card.code, body.seq, reason, 0, body.currency, [ref])
        self._flag(reason, body.seq)
        return outcome

    def _flag(self, reason: str, seq: int) -> None:
        """Flag the terminal for the case just opened on entry SEQ."""
        self.flags.append(Flag(reason, seq, self.last_case))

    def _redeem(self, w: Working, body: EntryBody, ref: Ref) -> Outcome:
        seq, amount, auth, grant = body.seq, body.amount, body.auth, body.grant
        moving = bool(body.extra.get("transfer_to"))
        hold = self.holds.pop(auth, None) if auth else None
        g = self.grants.get(grant) if grant else None
        held = hold is not None and hold.card == w.card.code and amount <= hold.amount
        grant_left: int | None = None
        if hold is not None and hold.card == w.card.code:
            self.consumed.append((hold.auth_id, seq))
            self._free(w.card.code, hold.amount)
        elif g is not None and g.card == w.card.code:
            # Anything beyond what is left of the grant comes from the reserve (and overdraws
            # it if it is not there): only a misbehaving terminal spends past its grant.
            grant_left = g.amount - g.used - self.uses.get(g.id, 0)
            use = min(amount, grant_left)
            if use > 0:
                self.uses[g.id] = self.uses.get(g.id, 0) + use
                self._free(w.card.code, use)
        transfer = moving and not body.offline and self.backing.transfer_source(body)
        rule = self.check.redeem(body, w.card.program, held=held, transfer=transfer,
                                 grant_left=grant_left)
        if rule is not None:
            self._case(w.card.code, seq, f"breach:{rule}", 0, w.account.currency, [ref])
            self._flag(f"breach:{rule}", seq)
        outcome = self._spend(w, seq, amount, ref, moving)
        if outcome == ("applied", None) and rule is not None:
            return "conflict", f"breach:{rule}"
        return outcome

    def _spend(self, w: Working, seq: int, amount: int, ref: Ref, moving: bool) -> Outcome:
        before = w.account
        spend = force_redeem(before, amount, self.now)
        w.record(spend.account, LedgerEvent("redeem", amount, allocation=spend.allocation,
                                            at=self.now), terminal=self.terminal, seq=seq)
        self.batch_redeems[seq] = (w.card.code, spend.allocation)
        if spend.shortfall:
            refs = self._card_refs(w.card.code)
            case = open_case(self.session, card=w.card.code, terminal=self.terminal, seq=seq,
                             reason="overdraft", shortfall=spend.shortfall,
                             currency=w.account.currency, refs=refs, now=self.now)
            add_receivable(self.session, card=w.card.code, terminal=self.terminal, seq=seq,
                           amount=spend.shortfall, currency=w.account.currency,
                           conflict_id=case, now=self.now)
            if w.account.state in ("active", "inactive"):
                w.record(set_blocked(w.account, True), LedgerEvent("block", at=self.now),
                         terminal=self.terminal, seq=seq)
            return "conflict", "overdraft"
        if before.state != "active" and not (moving and before.state == "blocked"):
            return self._case(w.card.code, seq, f"card_{before.state}", 0, before.currency, [ref])
        if before.expired(self.now):
            return self._case(w.card.code, seq, "expired", 0, before.currency, [ref])
        return "applied", None

    def _unblock(self, w: Working, seq: int, ref: Ref) -> Outcome:
        # A case is open until it has a resolution row (the case row itself never changes).
        if self.session.scalars(select(Conflict.id).where(
                Conflict.card == w.card.code,
                Conflict.id.not_in(select(ConflictResolution.conflict_id)))).first() is not None:
            return self._case(w.card.code, seq, "unblock_refused", 0, w.account.currency, [ref])
        if w.account.state == "blocked":
            w.record(set_blocked(w.account, False), LedgerEvent("unblock", at=self.now),
                     terminal=self.terminal, seq=seq)
        return "applied", None

    def _release(self, w: Working, seq: int, grant: str | None, ref: Ref) -> Outcome:
        g = self.grants.pop(grant, None) if grant else None
        if g is None or g.card != w.card.code:
            return self._case(w.card.code, seq, "grant_invalid", 0, w.account.currency, [ref])
        self._free(w.card.code, g.amount - g.used - self.uses.get(g.id, 0))
        self.released.append((g.id, seq))
        return "applied", None

    def _void(self, w: Working, seq: int, target: int | None, ref: Ref) -> Outcome:
        code = w.card.code
        if target is None or target in self.batch_voided or self._voided_before(target) \
                or self.batch_refunded.get(target) or self._refunded_before(target):
            # a refunded redeem is not voided on top (that would give its value back twice)
            return self._case(code, seq, "void_invalid", 0, w.account.currency, [ref])
        found = self.batch_redeems.get(target)
        if found is None:
            row = self.session.scalars(select(CardEvent).where(
                CardEvent.terminal == self.terminal, CardEvent.seq == target,
                CardEvent.op == "redeem")).first()
            if row is not None:
                found = (row.card, tuple((str(a), int(b)) for a, b in row.allocation))
        if found is None or found[0] != code:
            return self._case(code, seq, "void_invalid", 0, w.account.currency, [ref])
        w.record(void(w.account, found[1]), LedgerEvent("void", allocation=found[1], at=self.now),
                 terminal=self.terminal, seq=seq)
        self.batch_voided.add(target)
        return "applied", None

    def _redeem_of(self, target: int) -> tuple[str, tuple[tuple[str, int], ...]] | None:
        """(card, allocation) of this terminal's redeem TARGET, from this batch or stored."""
        found = self.batch_redeems.get(target)
        if found is None:
            row = self.session.scalars(select(CardEvent).where(
                CardEvent.terminal == self.terminal, CardEvent.seq == target,
                CardEvent.op == "redeem")).first()
            if row is not None:
                found = (row.card, tuple((str(a), int(b)) for a, b in row.allocation))
        return found

    def _same_order(self, body: EntryBody, target: int) -> bool:
        """Whether refund BODY names the order its original TARGET (this terminal) was part of."""
        if target in self.batch_orders:
            order = self.batch_orders[target]
        else:
            data = self.session.scalar(select(Entry.data).where(
                Entry.terminal == self.terminal, Entry.seq == target))
            if data is None:
                return False
            order = EntryBody.decode(bytes(data)).extra.get("order")
        return isinstance(order, str) and order == body.extra.get("order")

    def _refunded_before(self, target: int) -> int:
        """What earlier batches' refunds of redeem TARGET gave back (as applied)."""
        refunds = select(Entry.seq).where(Entry.terminal == self.terminal,
                                          Entry.op == "refund", Entry.ref == target)
        total = self.session.scalar(select(func.coalesce(func.sum(CardEvent.amount), 0)).where(
            CardEvent.terminal == self.terminal, CardEvent.op == "refund",
            CardEvent.seq.in_(refunds)))
        return int(total or 0)

    def _refund(self, w: Working, body: EntryBody, ref: Ref) -> Outcome:
        """Give back part of this terminal's redeem `ref`: never more than it took minus the
        refunds already applied (a voided redeem has nothing left)."""
        code, target = w.card.code, body.ref
        found = self._redeem_of(target) if target is not None else None
        if target is None or found is None or found[0] != code \
                or not self._same_order(body, target):
            return self._case(code, body.seq, "refund_invalid", 0, w.account.currency, [ref])
        taken = sum(part for _, part in found[1])
        if target in self.batch_voided or self._voided_before(target):
            taken = 0
        already = self._refunded_before(target) + self.batch_refunded.get(target, 0)
        give = max(0, min(body.amount, taken - already))
        if give > 0:
            back = refund_allocation(found[1], already, give)
            w.record(void(w.account, back), LedgerEvent("refund", give, allocation=back,
                                                        at=self.now),
                     terminal=self.terminal, seq=body.seq)
            self.batch_refunded[target] = self.batch_refunded.get(target, 0) + give
        if give < body.amount:  # a refund past what the redeem paid: only the rest is applied
            outcome = self._case(code, body.seq, "breach:refund_over_paid", 0,
                                 w.account.currency, [ref])
            self._flag("breach:refund_over_paid", body.seq)
            return outcome
        return "applied", None

    def _voided_before(self, target: int) -> bool:
        return self.session.scalar(select(Entry.seq).where(
            Entry.terminal == self.terminal, Entry.op == "void", Entry.ref == target,
            Entry.status == "applied").limit(1)) is not None

    def _card_refs(self, code: str) -> list[Ref]:
        """The signed entries behind an overdraft: recent entries on the card from every
        terminal, plus this batch's."""
        rows = self.session.execute(
            select(Entry.terminal, Entry.seq, Entry.hash).where(Entry.card == code)
            .order_by(Entry.received_at.desc(), Entry.seq.desc()).limit(MAX_CASE_REFS)).all()
        earlier: list[Ref] = [(r.terminal, r.seq, bytes(r.hash).hex()) for r in reversed(rows)]
        return earlier + self.batch_refs.get(code, [])

    def _case(self, card: str | None, seq: int, reason: str, shortfall: int,
              currency: str | None, refs: list[Ref]) -> Outcome:
        self.last_case = open_case(self.session, card=card, terminal=self.terminal, seq=seq,
                                   reason=reason, shortfall=shortfall, currency=currency,
                                   refs=refs, now=self.now)
        return "conflict", reason

