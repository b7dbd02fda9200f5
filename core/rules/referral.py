"""Referral: the program file's top-level `referral:` — a member gives a friend their referral
code; when the friend, registered with it, makes a first purchase, both are rewarded, once.

    referral:
      program: club                 # the loyalty program both belong to
      referrer: [{grant_points: 100}]                     # actions for the member who referred
      friend: [{issue_gift_card: {program: gift-eur, amount: "5.00"}}]   # for the new customer
      min_order: "20.00"            # optional: the first purchase must be at least this
      max_per_referrer: 10          # optional: a member is rewarded for this many friends

Actions are the triggers' (`core.rules.triggers`). Only parsing lives here; central records
referrals and rewards them (`wallet_sync.central.referrals`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.rules.schema import ProgramError, amount, identifier, integer, mapping
from core.rules.triggers import Action, actions_of, check_actions

__all__ = ["Referral", "parse_referral"]


@dataclass(frozen=True, slots=True)
class Referral:
    program: str
    referrer: tuple[Action, ...]
    friend: tuple[Action, ...]
    min_order: int | None = None  # minor units of the program's currency
    max_per_referrer: int | None = None
    raw: dict[str, Any] = field(default_factory=dict)


def parse_referral(data: Any, where: str, programs: dict[str, Any] | None = None) -> Referral:
    body = mapping(data, where, {"program", "referrer", "friend", "min_order",
                                 "max_per_referrer"}, {"program", "referrer", "friend"})
    program = identifier(body, "program", where)
    referrer = actions_of(body, "referrer", where)
    friend = actions_of(body, "friend", where)
    most = integer(body, "max_per_referrer", where, minimum=1, maximum=100_000)
    minimum = None
    if programs is not None:
        for group in (referrer, friend):
            check_actions(where, program, group, programs)
        if body.get("min_order") is not None:
            minimum = amount(body, "min_order", where, programs[program].currency)
    elif body.get("min_order") is not None:
        raise ProgramError(f"{where}.min_order: needs the program file's programs")
    return Referral(program, referrer, friend, minimum, most, dict(data))
