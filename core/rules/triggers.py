"""Triggers: the program file's `triggers:` list — when central does something for a customer
by itself (a birthday gift, a welcome, a nudge after weeks away, points about to lapse).

    triggers:
      - id: birthday-gift
        program: club                  # the loyalty program whose members it is for
        on: {date: birthday, at: "09:00", time_zone: Europe/Berlin}
        condition: customer.visits > 0  # optional CEL over customer.* (as segments)
        actions:
          - grant_points: 100
          - issue_gift_card: {program: gift-eur, amount: "10.00", expires: end_of_day}
          - send_message: {channel: email, subject: {en: Happy birthday, ja: お誕生日おめでとう},
                           text: {en: "A gift: {{ gift_card.amount }}", ja: "..."}}

`on` is exactly one of: `event: <outbox type>` (e.g. customer.created), `tier_change: {to:
<tier>}` (`to` optional), `daily: "HH:MM"`, `date: birthday | registration` (the yearly
anniversary), `inactive_days: N` (no visit in N days), `points_expiring_days: N`; the scheduled
ones take `at` ("HH:MM", default 09:00; `daily` is its own time) and `time_zone` (the store's
IANA zone, default UTC). Actions: `grant_points: N`, `give_reward: <reward id>` (a gift-card
credit reward of the program, given without burning points), `issue_gift_card: {program,
amount, expires: end_of_day | {days: N}}`, `send_message: {channel: email | sms | push,
subject, text}` (text or a mapping of language to text; Jinja2, see docs/MESSAGING.md).

A/B: instead of `actions`, `variants: [{id, weight, actions}, ...]` (2 to 10), and `holdout: N`
(percent of customers, the control group, who get nothing; with or without variants). Each
customer's group is deterministic (`assign`: SHA-256 of trigger id and member code), so the
same customer is always in the same group; central reports reach, redemption and revenue per
group (`wallet_sync.central.trigger_results`).

Only parsing and assignment live here (pure, like the other rule modules); central runs them
(`wallet_sync.central.triggers`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from core.rules.context import zone
from core.rules.expressions import Expression
from core.rules.schema import (
    ProgramError,
    amount,
    identifier,
    integer,
    items,
    mapping,
    text,
)
from core.rules.segments import compile_segment

# What central's outbox records (wallet_sync.central.outbox); an `event` trigger names one.
EVENT_TYPES = ("redemption.created", "redemption.refunded", "card.activated", "card.loaded",
               "points.earned", "points.redeemed", "points.expiring", "tier.changed",
               "conflict.opened", "customer.created")
ON_KINDS = ("event", "tier_change", "daily", "date", "inactive_days", "points_expiring_days")
SCHEDULED = ("daily", "date", "inactive_days", "points_expiring_days")
DATE_FACTS = ("birthday", "registration")
ACTIONS = ("grant_points", "give_reward", "issue_gift_card", "send_message")
MESSAGE_CHANNELS = ("email", "sms", "push")
_TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
MAX_TRIGGERS = 200
MAX_VARIANTS = 10
MAX_HOLDOUT = 90
HOLDOUT = "holdout"  # the control group's name in firings and results
BUCKETS = 10_000
MAX_DAYS = 3650

__all__ = ["EVENT_TYPES", "HOLDOUT", "Action", "Trigger", "Variant", "assign", "parse_triggers"]


@dataclass(frozen=True, slots=True)
class Action:
    kind: str  # one of ACTIONS
    args: dict[str, Any]  # as written (validated); amounts also as `amount_minor`


@dataclass(frozen=True, slots=True)
class Variant:
    id: str
    weight: int
    actions: tuple[Action, ...]


@dataclass(frozen=True, slots=True)
class Trigger:
    id: str
    program: str
    on: str  # one of ON_KINDS
    value: Any  # the event type, tier, HH:MM, date fact or N days
    at: dt.time = dt.time(9, 0)
    time_zone: str = "UTC"
    condition: Expression | None = None
    actions: tuple[Action, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict)
    variants: tuple[Variant, ...] = ()  # A/B: each customer gets one (`assign`)
    holdout: int = 0  # percent of customers in the control group, who get nothing

    @property
    def scheduled(self) -> bool:
        return self.on in SCHEDULED


def _clock(value: Any, where: str) -> dt.time:
    if not isinstance(value, str) or not _TIME.match(value):
        raise ProgramError(f"{where}: a time of day as \"HH:MM\"")
    hour, minute = value.split(":")
    return dt.time(int(hour), int(minute))


def _texts(data: dict[str, Any], key: str, where: str) -> None:
    value = data.get(key)
    if isinstance(value, str) and value.strip():
        return
    if isinstance(value, dict) and value and all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()):
        return
    raise ProgramError(f"{where}.{key}: text, or a mapping of language to text")


def _action(raw: Any, where: str) -> Action:
    if not isinstance(raw, dict) or len(raw) != 1:
        raise ProgramError(f"{where}: one of {', '.join(ACTIONS)}")
    kind, value = next(iter(raw.items()))
    if kind not in ACTIONS:
        raise ProgramError(f"{where}.{kind}: unknown action (one of {', '.join(ACTIONS)})")
    where = f"{where}.{kind}"
    if kind == "grant_points":
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= 10**9:
            raise ProgramError(f"{where}: a positive number of points")
        return Action(kind, {"points": value})
    if kind == "give_reward":
        if not isinstance(value, str) or not value.strip():
            raise ProgramError(f"{where}: a reward id of the program")
        return Action(kind, {"reward": value})
    if kind == "issue_gift_card":
        card = mapping(value, where, {"program", "amount", "currency", "expires"},
                       {"program", "amount"})
        expires = card.get("expires")
        if expires is not None and expires != "end_of_day":
            days = mapping(expires, f"{where}.expires", {"days"}, {"days"})
            integer(days, "days", f"{where}.expires", minimum=1, maximum=MAX_DAYS)
        if not isinstance(card["amount"], str):
            raise ProgramError(f"{where}.amount: write amounts as quoted decimal strings")
        return Action(kind, dict(card))
    message = mapping(value, where, {"channel", "subject", "text"}, {"channel", "text"})
    if message["channel"] not in MESSAGE_CHANNELS:
        raise ProgramError(f"{where}.channel: one of {', '.join(MESSAGE_CHANNELS)}")
    _texts(message, "text", where)
    if message.get("subject") is not None:
        _texts(message, "subject", where)
    return Action(kind, dict(message))


def _on(raw: Any, where: str, event_types: tuple[str, ...]) -> tuple[str, Any, dt.time, str]:
    on = mapping(raw, where, (*ON_KINDS, "at", "time_zone"))
    kinds = [k for k in ON_KINDS if k in on]
    if len(kinds) != 1:
        raise ProgramError(f"{where}: exactly one of {', '.join(ON_KINDS)}")
    kind = kinds[0]
    value = on[kind]
    at = _clock(on["at"], f"{where}.at") if "at" in on else dt.time(9, 0)
    time_zone = text(on, "time_zone", where) or "UTC"
    try:
        zone(time_zone)
    except Exception as exc:
        raise ProgramError(f"{where}.time_zone: unknown time zone {time_zone!r}") from exc
    if kind not in SCHEDULED and ("at" in on or "time_zone" in on):
        raise ProgramError(f"{where}: `at` and `time_zone` are for scheduled triggers")
    if kind == "event":
        if value not in event_types:
            raise ProgramError(f"{where}.event: one of {', '.join(event_types)}")
    elif kind == "tier_change":
        change = mapping(value or {}, f"{where}.tier_change", {"to"})
        value = text(change, "to", f"{where}.tier_change")
    elif kind == "daily":
        at = _clock(value, f"{where}.daily")
    elif kind == "date":
        if value not in DATE_FACTS:
            raise ProgramError(f"{where}.date: one of {', '.join(DATE_FACTS)}")
    else:
        value = integer(on, kind, where, minimum=1, maximum=MAX_DAYS)
    return kind, value, at, time_zone


def parse_triggers(data: Any, where: str, programs: dict[str, Any] | None = None,
                   event_types: tuple[str, ...] = EVENT_TYPES) -> tuple[Trigger, ...]:
    """The `triggers:` list; ProgramError names `where[i] (id).field` on any defect. PROGRAMS
    (id -> core.programs.Program), when given, checks the programs and rewards named."""
    if not isinstance(data, list):
        raise ProgramError(f"{where}: expected a list of triggers")
    if len(data) > MAX_TRIGGERS:
        raise ProgramError(f"{where}: at most {MAX_TRIGGERS} triggers")
    out: list[Trigger] = []
    for i, raw in enumerate(data):
        at_i = f"{where}[{i}]"
        body = mapping(raw, at_i, {"id", "program", "on", "condition", "actions", "variants",
                                   "holdout"}, {"id", "program", "on"})
        tid = identifier(body, "id", at_i)
        at_i = f"{at_i} ({tid})"
        program = identifier(body, "program", at_i)
        kind, value, at, time_zone = _on(body["on"], f"{at_i}.on", event_types)
        condition = (compile_segment(body["condition"], f"{at_i}.condition",
                                     f"triggers.{tid}") if body.get("condition") is not None
                     else None)
        if ("actions" in body) == ("variants" in body):
            raise ProgramError(f"{at_i}: either actions or variants")
        actions = _actions(body, at_i) if "actions" in body else ()
        variants = _variants(body, at_i) if "variants" in body else ()
        holdout = integer(body, "holdout", at_i, maximum=MAX_HOLDOUT) or 0
        if programs is not None:
            for group in (actions, *(v.actions for v in variants)):
                check_actions(at_i, program, group, programs)
        out.append(Trigger(tid, program, kind, value, at, time_zone, condition, actions,
                           dict(raw), variants, holdout))
    ids = [t.id for t in out]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ProgramError(f"{where}: duplicate trigger ids {dupes}")
    return tuple(out)


def _actions(body: dict[str, Any], where: str) -> tuple[Action, ...]:
    return actions_of(body, "actions", where)


def actions_of(body: dict[str, Any], key: str, where: str) -> tuple[Action, ...]:
    """The list of actions under KEY (a trigger's, a variant's, a referral's)."""
    actions = tuple(_action(a, f"{where}.{key}[{j}]")
                    for j, a in enumerate(items(body, key, where)))
    if not actions:
        raise ProgramError(f"{where}.{key}: at least one action")
    return actions


def _variants(body: dict[str, Any], where: str) -> tuple[Variant, ...]:
    raw = items(body, "variants", where)
    if not 2 <= len(raw) <= MAX_VARIANTS:
        raise ProgramError(f"{where}.variants: 2 to {MAX_VARIANTS} variants")
    out = []
    for j, item in enumerate(raw):
        at_j = f"{where}.variants[{j}]"
        variant = mapping(item, at_j, {"id", "weight", "actions"}, {"id", "weight", "actions"})
        vid = identifier(variant, "id", at_j)
        if vid == HOLDOUT:
            raise ProgramError(f"{at_j}.id: {HOLDOUT!r} names the control group")
        weight = integer(variant, "weight", at_j, minimum=1, maximum=10_000) or 1
        out.append(Variant(vid, weight, _actions(variant, f"{at_j} ({vid})")))
    ids = [v.id for v in out]
    if len(set(ids)) != len(ids):
        raise ProgramError(f"{where}.variants: duplicate variant ids")
    return tuple(out)


def assign(trigger: Trigger, member: str) -> tuple[str, tuple[Action, ...]]:
    """The variant MEMBER is in for TRIGGER — deterministic (SHA-256 of trigger and member), so
    a customer stays in one group every time — and its actions: ("holdout", ()) for the
    control group, ("", actions) for a trigger without variants."""
    bucket = int.from_bytes(hashlib.sha256(f"{trigger.id}:{member}".encode()).digest()[:8],
                            "big") % BUCKETS
    held = trigger.holdout * BUCKETS // 100
    if bucket < held:
        return HOLDOUT, ()
    if not trigger.variants:
        return "", trigger.actions
    total = sum(v.weight for v in trigger.variants)
    point = (bucket - held) * total // (BUCKETS - held)
    for variant in trigger.variants:
        if point < variant.weight:
            return variant.id, variant.actions
        point -= variant.weight
    return trigger.variants[-1].id, trigger.variants[-1].actions  # pragma: no cover


def check_actions(where: str, program: str, actions: tuple[Action, ...],
                  programs: dict[str, Any]) -> None:
    """PROGRAM is a loyalty program of the file and the programs and rewards ACTIONS name
    exist and fit."""
    prog = programs.get(program)
    if prog is None or prog.loyalty is None:
        raise ProgramError(f"{where}.program: {program!r} is not a loyalty program here")
    for j, action in enumerate(actions):
        if action.kind == "give_reward":
            reward = next((r for r in prog.loyalty.rewards if r.id == action.args["reward"]),
                          None)
            if reward is None or reward.gives.kind != "gift_card_credit":
                raise ProgramError(f"{where}.actions[{j}].give_reward: {action.args['reward']!r}"
                                   f" is not a gift-card credit reward of {program}")
        if action.kind == "issue_gift_card":
            target = programs.get(action.args["program"])
            if target is None or target.kind != "gift_card":
                raise ProgramError(f"{where}.actions[{j}].issue_gift_card.program: "
                                   f"{action.args['program']!r} is not a gift-card program here")
            minor = amount(action.args, "amount", f"{where}.actions[{j}].issue_gift_card",
                           target.currency)
            if not minor:
                raise ProgramError(f"{where}.actions[{j}].issue_gift_card.amount: must be "
                                   "more than zero")
