"""History as facts: what central derives about a customer from the ingested journal —
lifetime spend, visits, last visit and per-rule counters — and how those facts travel: in the
member change feed (with their "as of" time) and into the rule context (`core.rules.context.
Customer`).

Facts move only when an entry is applied (`record_earn`, called by the loyalty applier inside
the push transaction), so they are exactly what the stored journal says; a replay of the
entries would give the same figures. Spend is the order total the purchase's first earn
entry carries (`extra.order_total`, minor units of the program currency, added in the second
wave: older entries count as a visit with no spend). A purchase that earns nothing leaves no
member entry and so is not counted yet (docs/DECISIONS.md).
"""

from __future__ import annotations

from typing import Any

from core.journal import EntryBody
from core.money import MAX_MINOR
from wallet_sync.central.tables import Member


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def record_earn(member: Member, body: EntryBody, now: int) -> None:
    """An applied earn entry: a counter for its rule, and for the purchase's visit entry the
    visit itself (counted by the caller, as before), the spend and the last visit."""
    counters = dict(member.counters or {})
    rule = body.extra.get("rule")
    benefit = str(body.extra.get("benefit") or "")
    kind = "milestone" if benefit.startswith("milestone:") else "earn"
    if isinstance(rule, str) and len(rule) <= 64:
        key = f"{kind}:{rule}"
        counters[key] = int(counters.get(key, 0)) + 1
    if body.extra.get("visit") is True:
        spend = _int(body.extra.get("order_total"))
        if spend is not None and 0 < spend <= MAX_MINOR:
            member.lifetime_spend = min((member.lifetime_spend or 0) + spend, MAX_MINOR)
        at = body.wall_ms // 1000
        member.last_visit = max(member.last_visit or 0, at)
    member.counters = counters
    member.facts_at = now


def count_event(member: Member, event: str, now: int) -> None:
    counters = dict(member.counters or {})
    key = f"event:{event}"
    counters[key] = int(counters.get(key, 0)) + 1
    member.counters = counters
    member.facts_at = now


def feed_fields(member: Member, birthday: str | None) -> dict[str, Any]:
    """What the member change feed adds for the rule context (`customer.*`)."""
    return {"registered_at": member.created_at,
            "lifetime_spend_minor": member.lifetime_spend or 0,
            "last_visit": member.last_visit, "counters": dict(member.counters or {}),
            "birthday": birthday or "", "segments": list(member.segments or []),
            "facts_as_of": member.facts_at if member.facts_at is not None
            else member.created_at}
