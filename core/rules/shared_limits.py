"""Which limits are counted across tills, and the arithmetic of what is left of them.

A `per_customer_*` or `per_program_*` counter (core.rules.limits) cannot be counted by one till:
the other tills and their offline sales share it. Central counts these (wallet_sync.central
.limit_counts); this module says, for a gift-card redemption (benefit "") or a reward (benefit
= reward id), which counters central must count, under which key, and how big an offline share
of what is left a till may take. Pure: no storage, no clock of its own.

Keys are (program, benefit): benefit "" is the whole program (every redemption of a gift-card
program, every reward of a loyalty program, as `tally` counts them); a reward's own `limits`
count under its id.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.programs import Program
from core.rules.limits import Counter

SHARED_SCOPES = ("customer", "program")


@dataclass(frozen=True, slots=True)
class SharedCounter:
    """One counter central counts: the key it counts under and the limit itself."""

    benefit: str  # "" (the program) or a reward id
    counter: Counter

    @property
    def scope(self) -> str:
        return self.counter.scope


def shared_counters(program: Program, reward: str | None = None) -> tuple[SharedCounter, ...]:
    """The customer- and program-scoped counters a use of PROGRAM (a gift-card redemption, or
    the reward REWARD of a loyalty program) counts against."""
    out = [SharedCounter("", c) for c in program.limits.counters if c.scope in SHARED_SCOPES]
    if reward is not None and program.loyalty is not None:
        found = next((r for r in program.loyalty.rewards if r.id == reward), None)
        if found is not None:
            out += [SharedCounter(reward, c) for c in found.limits.counters
                    if c.scope in SHARED_SCOPES]
    return tuple(out)


def has_customer_scope(counters: tuple[SharedCounter, ...]) -> bool:
    return any(c.scope == "customer" for c in counters)


def left(counter: Counter, count: int, amount: int) -> int:
    """What COUNTER still allows, given the uses (COUNT) and their sum (AMOUNT) so far."""
    return counter.value - (count if counter.measure == "count" else amount)


def refusal(counter: Counter, count: int, amount: int, use_amount: int) -> str | None:
    """`limit_reached: <counter>` when one more use of USE_AMOUNT does not fit, else None."""
    room = left(counter, count, amount)
    need = 1 if counter.measure == "count" else use_amount
    return f"limit_reached: {counter.name}" if room < need or room <= 0 else None


def share_size(remaining: int) -> int:
    """How much of what is left one till may take offline at a pull: half of it, rounded down,
    so each pull leaves at least as much for the next till and for online sales (with 1 left,
    nothing is shared: it stays online)."""
    return max(0, remaining // 2)
