"""Limit uses at ingest: every redemption or reward burn of a program with customer- or
program-scoped limits is recorded once per (terminal, seq) in `limit_uses`; the entry's limit
hold (same id as its card or points hold) is consumed; an offline use draws on the terminal's
shares (`limit_shares.draw`) and, counted per customer, must still fit the customer's count.
What it breaks is returned to the applier, which opens the `breach:<rule>` case (a use is
never refused: the sale happened). A void takes its use back (`voided_seq`)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.journal import EntryBody
from core.programs import Program as ProgramDef
from core.rules.shared_limits import SharedCounter, refusal
from wallet_sync.central import limit_counts, limit_shares
from wallet_sync.central.tables import LimitHold, LimitUse


class Uses:
    """One batch's uses: `observe` records a redemption or a burn once, consumes its hold,
    draws an offline one on the terminal's shares, and says which rule it broke."""

    def __init__(self, session: Session, terminal: str) -> None:
        self.session = session
        self.terminal = terminal
        self._programs: dict[tuple[str, str | None], tuple[ProgramDef | None,
                                                          tuple[SharedCounter, ...]]] = {}

    def _counters(self, program: str, reward: str | None
                  ) -> tuple[ProgramDef | None, tuple[SharedCounter, ...]]:
        key = (program, reward)
        if key not in self._programs:
            self._programs[key] = limit_counts.counters_of(self.session, program, reward)
        return self._programs[key]

    def observe(self, body: EntryBody, customer: str | None) -> str | None:
        """BODY is a redeem of a gift-card program or a burn of a reward (CUSTOMER: the card's
        linked customer or the member). Returns the rule broken, or None."""
        if body.op == "void" and body.ref is not None:
            self.session.execute(update(LimitUse).where(
                LimitUse.terminal == self.terminal, LimitUse.seq == body.ref,
                LimitUse.voided_seq.is_(None)).values(voided_seq=body.seq)
                .execution_options(synchronize_session=False))
            return None
        if body.op not in ("redeem", "burn") or not body.program:
            return None
        raw = body.extra.get("reward")
        reward = raw if body.op == "burn" and isinstance(raw, str) else None
        if body.op == "burn" and reward is None:
            return None
        prog, counters = self._counters(body.program, reward)
        if prog is None or not counters:
            return None
        at = body.wall_ms // 1000
        held = None
        if body.auth:
            held = self.session.scalars(select(LimitHold).where(
                LimitHold.auth_id == body.auth, LimitHold.terminal == self.terminal,
                LimitHold.consumed_seq.is_(None))).first()
            if held is not None:
                held.consumed_seq = body.seq
                at = held.created_at  # counted where central held it
        shares = body.extra.get("limit_shares")
        share_ids = [s for s in shares if isinstance(s, str)] if isinstance(shares, list) else []
        rule: str | None = None
        if held is None:
            rule = limit_shares.draw(self.session, self.terminal, body.program, counters,
                                     share_ids, body.amount)
            if rule is None:
                rule = self._customer_over(body.program, counters, customer, body.amount, at)
        self.session.add(LimitUse(terminal=self.terminal, seq=body.seq, program=body.program,
                                  benefit=reward or "", customer=customer, amount=body.amount,
                                  at=at, auth=held.auth_id if held else None,
                                  share=share_ids[0][:32] if share_ids else None))
        self.session.flush()
        return rule

    def _customer_over(self, program: str, counters: tuple[SharedCounter, ...],
                       customer: str | None, amount: int, at: int) -> str | None:
        """An unheld use counted per customer: the customer counter it goes past, if any."""
        for sc in counters:
            if sc.scope != "customer" or not customer:
                continue
            used = limit_counts.usage(self.session, program, sc, customer, at, shares=False)
            why = refusal(sc.counter, used.count, used.amount, amount)
            if why is not None:
                return why.removeprefix("limit_reached: ")
        return None
