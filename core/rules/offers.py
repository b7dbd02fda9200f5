"""What a quote says: the benefits on offer, the ones refused and why, and the member views —
plain frozen data, so a quote can be shown, serialised, compared and handed to `choose`.

Benefit ids are stable strings: `gift:<card code>`, `earn:<program>:<rule>`,
`milestone:<program>:<id>`, `reward:<program>:<reward>`. A refusal's `code` is the
machine-readable reason a cashier's screen translates: `reason` or `reason: detail`
(`not_eligible: customer.country`, `tier_required: gold`, `limit_reached: per_card_daily_count`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from core.rules.loyalty import Gives, Stacking
from core.rules.points import PointsAccount


@dataclass(frozen=True, slots=True)
class Refusal:
    benefit: str
    program: str
    reason: str
    detail: str = ""
    message: str = ""  # for logs; never shown as-is (screens translate `reason`)

    @property
    def code(self) -> str:
        return f"{self.reason}: {self.detail}" if self.detail else self.reason


@dataclass(frozen=True, slots=True)
class GiftCardOffer:
    benefit: str
    program: str
    program_version: int
    card: str
    currency: str
    balance: int  # minor units
    spendable: int  # the most this order may take from the card
    capped_by: str | None = None  # the limit below the balance, e.g. per_order_max
    expires_at: int | None = None  # the card's expiry (the default order of several cards)
    # A restricted card (its rules read `order.lines`): the indices of the lines it may pay,
    # and their amount. None: the whole order.
    lines: tuple[int, ...] | None = None
    eligible: int | None = None


@dataclass(frozen=True, slots=True)
class EarnOffer:
    benefit: str
    program: str
    program_version: int
    member: str
    rule: str
    base_points: int
    multiplier: Fraction
    points: int
    expires_at: int | None = None  # the earned lot's expiry (None: never / rolling only)


@dataclass(frozen=True, slots=True)
class RewardOffer:
    benefit: str
    program: str
    program_version: int
    member: str
    reward: str
    cost: int  # points
    gives: Gives
    value: int  # minor units the reward is worth on this order (discount, item, credit)
    currency: str
    uses_left: int | None = None  # what the count limits still allow
    uses_by: str | None = None
    credit_program_version: int = 0  # gift_card_credit: version of the credited program


@dataclass(frozen=True, slots=True)
class MemberView:
    """A member as the quote saw them; `account` is the snapshot `choose` burns from."""

    program: str
    program_version: int
    member: str
    tier: str
    next_tier: str | None
    points_to_next: int
    points: int  # spendable now
    points_to_earn: int
    account: PointsAccount
    rolling_months: int | None
    stacking: Stacking
    per_order_max_points: int | None = None
    eligible: bool = True


@dataclass(frozen=True, slots=True)
class Quote:
    currency: str
    total: int  # the basket total, minor units
    now: int
    gift_cards: tuple[GiftCardOffer, ...]
    earn: tuple[EarnOffer, ...]
    rewards: tuple[RewardOffer, ...]
    refused: tuple[Refusal, ...]
    members: tuple[MemberView, ...]
    token: str  # SHA-256 over everything above: re-quote at commit and compare
    line_amounts: tuple[int, ...] = ()  # each basket line's amount (restricted cards' room)

    def refusal(self, benefit: str) -> Refusal | None:
        return next((r for r in self.refused if r.benefit == benefit), None)

    @property
    def points_to_earn(self) -> int:
        return sum(e.points for e in self.earn)
