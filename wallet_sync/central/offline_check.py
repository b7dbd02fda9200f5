"""Central re-checks every spend a terminal decided without it, at ingest, against the signed
program version the entry names — the terminal's own copy of the rules is on a disk an insider
can edit, central's is not.

An outage, as central sees it, starts at the terminal's floor mark: the last pull it made with
everything pushed (`terminals.floor_mark_seq`, `floor_mark_at`, set by `escrow.maintain`). Every
new entry of a push has a seq above it, so every offline spend in a batch belongs to the outage
that began there. For a gift-card redeem, in order:

- `no_authorization`: it claims to be authorized online (`offline` false, no grant) but names
  no open hold of this terminal covering it (a balance transfer's redeem is backed by the
  authorized load onto the new card);
- `grant_invalid` / `grant_exhausted`: it names a grant that is not this terminal's open grant
  on the card, or spends more than is left of it;
- `wrong_program`, `unknown_program_version`: the program named is not the card's, or is a
  version central never published; `stale_program_version`: older than the version in force
  when the outage began (less PROGRAM_GRACE_S: a pull that failed half-way);
- the program's offline policy: `offline_not_allowed` (online), `no_offline_grant` (escrow),
  and for floor `floor_per_transaction`, `once_per_card` (a second offline spend of the card by
  this terminal in the outage), `terminal_total` (the outage's offline spends of the program)
  and `max_offline_hours` (the entry's own time against the outage's start, with
  CLOCK_SKEW_S for clocks and the pull's own length; a terminal central never saw sync is
  always over).

A points burn: online (`offline` false) it must name an open points hold covering it
(`no_authorization`); offline, the loyalty program's policy the same way (the per-transaction
cap over the burns of one commit, `extra.txn`; the total over the outage).

A breach never stops the entry: the spend happened and is applied as far as the ledger goes.
The applier opens a case `breach:<rule>` and flags the terminal (`terminal_flags`).

Public: OfflineCheck, CLOCK_SKEW_S, PROGRAM_GRACE_S.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.journal import EntryBody
from core.programs import Program as ProgramDef
from wallet_sync.central import programs
from wallet_sync.central.bulk import among
from wallet_sync.central.tables import Entry, Terminal

CLOCK_SKEW_S = 300
PROGRAM_GRACE_S = 3600


class OfflineCheck:
    """One batch's re-check for one terminal; counts the batch's own spends as it goes."""

    def __init__(self, session: Session, term: Terminal) -> None:
        self.session = session
        self.terminal = term.id
        self.mark = term.floor_mark_seq
        self.mark_at = term.floor_mark_at
        self.totals: dict[tuple[str, str], int] = {}  # (op, program) -> offline so far
        self.cards: set[str] = set()  # offline redeems of the outage, in this batch
        self.commits: dict[str, int] = {}  # txn -> offline points burned in that commit
        # Read once per batch, not once per entry (ingest of a 500-entry push made 1,000
        # extra queries): the cards this outage spent offline before the batch, and the
        # version of each program in force when the outage began.
        self._spent_before: set[str] | None = None
        self._in_force: dict[str, int | None] = {}
        self._versions: dict[tuple[str, int | None], ProgramDef] = {}
        self._batch_cards: set[str] | None = None  # the batch's redeemed cards (`expect`)

    def expect(self, bodies: Iterable[EntryBody]) -> None:
        """The batch's entries, before any is checked: the outage's earlier spends are then
        read for the batch's own cards only (not every card the outage spent: that grew with
        each batch of a long outage)."""
        self._batch_cards = {b.card or "" for b in bodies if b.op == "redeem"}

    # ---- what the outage has spent ----------------------------------------------------------

    def _total(self, op: str, program: str) -> int:
        key = (op, program)
        if key not in self.totals:
            self.totals[key] = int(self.session.scalar(
                select(func.coalesce(func.sum(Entry.amount), 0)).where(
                    Entry.terminal == self.terminal, Entry.seq > self.mark, Entry.op == op,
                    Entry.offline.is_(True), Entry.program == program)) or 0)
        return self.totals[key]

    def _card_spent(self, card: str) -> bool:
        if card in self.cards:
            return True
        if self._spent_before is None:
            wanted = self._batch_cards
            if wanted is not None and card not in wanted:
                wanted = None  # a card `expect` was not told of: read them all, as before
            stmt = select(Entry.card).distinct().where(
                Entry.terminal == self.terminal, Entry.seq > self.mark,
                Entry.op == "redeem", Entry.offline.is_(True))
            if wanted is not None:
                stmt = stmt.where(among(self.session, Entry.card, sorted(wanted)))
            self._spent_before = {c for c in self.session.scalars(stmt) if c is not None}
            self._batch_cards = wanted
        elif self._batch_cards is not None and card not in self._batch_cards:
            self._batch_cards = self._spent_before = None
            return self._card_spent(card)
        return card in self._spent_before

    # ---- the rules --------------------------------------------------------------------------

    def _program(self, body: EntryBody) -> tuple[ProgramDef | None, str | None]:
        if body.program is None:
            return None, "unknown_program_version"
        key = (body.program, body.program_version)
        prog = self._versions.get(key)
        if prog is None:
            prog = programs.version_of(self.session, body.program, body.program_version)
            if prog is None:
                return None, "unknown_program_version"
            self._versions[key] = prog
        if self.mark_at is not None and body.program_version is not None:
            if body.program not in self._in_force:
                self._in_force[body.program] = programs.in_force_at(
                    self.session, body.program, self.mark_at - PROGRAM_GRACE_S)
            in_force = self._in_force[body.program]
            if in_force is not None and body.program_version < in_force:
                return prog, "stale_program_version"
        return prog, None

    def _hours(self, body: EntryBody, hours: int | None) -> bool:
        """True when the entry is past the policy's offline hours (or central never saw the
        terminal sync)."""
        if self.mark_at is None:
            return True
        return hours is not None and body.wall_ms // 1000 - self.mark_at > hours * 3600 \
            + CLOCK_SKEW_S

    def redeem(self, body: EntryBody, card_program: str, *, held: bool, transfer: bool,
               grant_left: int | None) -> str | None:
        """The rule a gift-card redeem broke, else None. `held`: it consumed an open hold;
        `transfer`: a balance transfer central authorized; `grant_left`: what is left of the
        open grant it names (None: it names none, or no valid one)."""
        if body.grant is not None:
            if grant_left is None:
                return "grant_invalid"
            return "grant_exhausted" if body.amount > grant_left else None
        if not body.offline:
            return None if held or transfer else "no_authorization"
        rule = self._offline_redeem(body, card_program)
        self.cards.add(body.card or "")
        key = ("redeem", body.program or "")
        self.totals[key] = self._total(*key) + body.amount
        return rule

    def _offline_redeem(self, body: EntryBody, card_program: str) -> str | None:
        if body.program != card_program:
            return "wrong_program"
        prog, why = self._program(body)
        if prog is None or why is not None:
            return why
        policy = prog.offline
        if policy.mode == "online":
            return "offline_not_allowed"
        if policy.mode == "escrow":
            return "no_offline_grant"
        if self._hours(body, policy.max_offline_hours):
            return "max_offline_hours"
        if policy.floor_per_transaction is not None and body.amount > policy.floor_per_transaction:
            return "floor_per_transaction"
        if self._card_spent(body.card or ""):
            return "once_per_card"
        if policy.terminal_total is not None \
                and self._total("redeem", body.program or "") + body.amount > policy.terminal_total:
            return "terminal_total"
        return None

    def burn(self, body: EntryBody, *, held: bool) -> str | None:
        """The rule a points burn broke, else None (`held`: it consumed an open points hold)."""
        if not body.offline:
            return None if held else "no_authorization"
        txn = body.extra.get("txn")
        txn = txn if isinstance(txn, str) else f"seq:{body.seq}"
        rule = self._offline_burn(body, self.commits.get(txn, 0) + body.amount)
        self.commits[txn] = self.commits.get(txn, 0) + body.amount
        key = ("burn", body.program or "")
        self.totals[key] = self._total(*key) + body.amount
        return rule

    def _offline_burn(self, body: EntryBody, in_commit: int) -> str | None:
        prog, why = self._program(body)
        if prog is None or why is not None:
            return why
        policy = prog.offline
        if policy.mode == "online":
            return "offline_not_allowed"
        if policy.mode == "escrow":
            return "no_offline_grant"
        if self._hours(body, policy.max_offline_hours):
            return "max_offline_hours"
        if policy.floor_per_transaction is not None and in_commit > policy.floor_per_transaction:
            return "floor_per_transaction"
        if policy.terminal_total is not None \
                and self._total("burn", body.program or "") + body.amount > policy.terminal_total:
            return "terminal_total"
        return None
