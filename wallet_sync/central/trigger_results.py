"""What a trigger achieved, per A/B group (`core.rules.triggers.assign`): how many customers it
reached (firings, the control group's included: they are recorded with nothing done), how many
of the gift cards it gave were redeemed, and the revenue — the customers' spend since the
firing (lifetime spend now less at firing, in the program's minor units) — with 95% confidence
intervals: Wilson's for the redemption rate, the normal approximation for the mean revenue per
customer reached. Comparing a variant's revenue with the holdout's is the campaign's effect.
`listing` is every trigger with how many customers it reached (the console's campaign list).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.money import format_minor
from wallet_sync.central.errors import NotFound
from wallet_sync.central.tables import CardEvent, Member, Program, TriggerFiring
from wallet_sync.central.trigger_definitions import definitions

Z = 1.96  # 95%


def wilson(hits: int, n: int) -> tuple[float, float] | None:
    if n == 0:
        return None
    p = hits / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)


def mean_interval(values: list[int]) -> tuple[float, float, float] | None:
    """(mean, low, high) of VALUES; the interval is the mean itself for one value."""
    n = len(values)
    if n == 0:
        return None
    mean = sum(values) / n
    if n == 1:
        return mean, mean, mean
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    return mean, mean - Z * sd / math.sqrt(n), mean + Z * sd / math.sqrt(n)


def results(session: Session, trigger_id: str) -> dict[str, Any]:
    trigger = next((t for t in definitions(session) if t.id == trigger_id), None)
    firings = session.scalars(select(TriggerFiring).where(TriggerFiring.trigger == trigger_id)
                              .order_by(TriggerFiring.id)).all()
    if trigger is None and not firings:
        raise NotFound("unknown_trigger", f"no trigger {trigger_id!r}")
    program = trigger.program if trigger is not None else None
    row = session.get(Program, program) if program else None
    currency = row.currency if row is not None else "EUR"
    spend = dict(session.execute(select(Member.code, Member.lifetime_spend).where(
        Member.code.in_(sorted({f.member for f in firings})))).all()) if firings else {}
    cards = {a["card"]: f.id for f in firings for a in (f.actions or []) if a.get("card")}
    redeemed_cards = set(session.scalars(select(CardEvent.card).where(
        CardEvent.card.in_(sorted(cards)), CardEvent.op == "redeem"))) if cards else set()
    groups: dict[str, dict[str, Any]] = defaultdict(lambda: {
        "reached": 0, "cards": 0, "redeemed": 0, "revenue": []})
    for f in firings:
        g = groups[f.variant or ""]
        g["reached"] += 1
        given = [a["card"] for a in (f.actions or []) if a.get("card")]
        g["cards"] += len(given)
        g["redeemed"] += sum(1 for c in given if c in redeemed_cards)
        g["revenue"].append(max(0, int(spend.get(f.member) or 0) - (f.spend_before or 0)))
    if trigger is None:  # no longer in the file: the groups it fired in
        order = sorted(groups)
    else:
        order = [v.id for v in trigger.variants] or [""]
        if trigger.holdout:
            order.append("holdout")
        order += sorted(set(groups) - set(order))
    out = []
    for name in order:
        g = groups[name]
        total = sum(g["revenue"])
        stats = mean_interval(g["revenue"])
        rate = wilson(g["redeemed"], g["cards"])
        out.append({
            "variant": name or "all", "reached": g["reached"], "cards": g["cards"],
            "redeemed": g["redeemed"],
            "redemption_rate": round(g["redeemed"] / g["cards"], 4) if g["cards"] else None,
            "redemption_rate_ci95": list(rate) if rate else None,
            "revenue": format_minor(total, currency), "revenue_minor": total,
            "revenue_per_customer": (format_minor(round(stats[0]), currency)
                                     if stats else None),
            "revenue_per_customer_ci95": ([format_minor(max(0, math.floor(stats[1])), currency),
                                           format_minor(math.ceil(stats[2]), currency)]
                                          if stats else None)})
    return {"trigger": trigger_id, "program": program, "currency": currency,
            "holdout_percent": trigger.holdout if trigger is not None else None,
            "variants": out}


def listing(session: Session) -> list[dict[str, Any]]:
    """[{id, program, on, value, variants, holdout_percent, reached}]: the program file's
    triggers in id order, then any that fired but are no longer in the file (program, on and
    value None: their results still show)."""
    reached = dict(session.execute(select(TriggerFiring.trigger, func.count())
                                   .group_by(TriggerFiring.trigger)).all())
    out = [{"id": t.id, "program": t.program, "on": t.on,
            "value": t.value,
            "variants": len(t.variants), "holdout_percent": t.holdout,
            "reached": int(reached.get(t.id, 0))}
           for t in sorted(definitions(session), key=lambda t: t.id)]
    known = {t["id"] for t in out}
    out += [{"id": tid, "program": None, "on": None, "value": None, "variants": 0,
             "holdout_percent": None, "reached": int(n)}
            for tid, n in sorted(reached.items()) if tid not in known]
    return out
