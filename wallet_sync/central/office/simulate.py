"""The simulator: replay the last N days of real orders — the `earn` and `burn` entries in
central's journal — against a draft program file, beside what the published versions gave.

An earn entry records its rule, its base points and the tier multiplier; a proportional rule's
base points give the order's qualifying amount to the whole currency unit, which is as exact as
the rules themselves count. Under the draft the same rule (by id) gives its new points (nothing
when the draft drops it, or when the order falls under a new minimum). A burn entry records its
reward and the discount it gave; under the draft that reward costs its new points and gives its
new amount (a percentage scaled from the recorded discount). What an entry cannot tell (a
proportional rule replacing a fixed one) keeps the published figure. Nothing is written.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import InvalidInput
from core.journal import EntryBody
from core.money import exponent, format_minor
from core.programs import Program as ProgramDef
from core.programs import parse_programs
from wallet_sync.central import programs
from wallet_sync.central.errors import Invalid
from wallet_sync.central.tables import Entry

DAY = 86400
MAX_DAYS = 366
FIELDS = ("earns", "points", "draft_points", "burns", "burned", "draft_burned", "discounts",
          "draft_discounts")


def simulate(session: Session, source: str, now: int, days: int) -> dict[str, Any]:
    if not 1 <= days <= MAX_DAYS:
        raise Invalid("invalid_days", f"days is 1 to {MAX_DAYS}")
    try:
        draft = {p.id: p for p in parse_programs(source, "yaml", "programs").programs}
    except InvalidInput as exc:
        raise Invalid("invalid_program", exc.message) from exc
    since = (now // DAY - days + 1) * DAY
    rows: dict[tuple[str, str], dict[str, int]] = {}
    currency: dict[str, str] = {}
    for data in session.scalars(select(Entry.data).where(
            Entry.op.in_(("earn", "burn")), Entry.status == "applied",
            Entry.received_at >= since).order_by(Entry.received_at)):
        body = EntryBody.decode(bytes(data))
        published = programs.version_of(session, body.program or "", body.program_version)
        if published is None or published.loyalty is None:
            continue
        day = dt.datetime.fromtimestamp(body.wall_ms // 1000, dt.UTC).date().isoformat()
        b = rows.setdefault((day, published.id), dict.fromkeys(FIELDS, 0))
        currency[published.id] = published.currency
        target = draft.get(published.id)
        if body.op == "earn":
            b["earns"] += 1
            b["points"] += body.amount
            b["draft_points"] += _earn(body, published, target)
        else:
            b["burns"] += 1
            b["burned"] += body.amount
            points, value, new_value = _burn(body, target)
            b["draft_burned"] += points
            b["discounts"] += value
            b["draft_discounts"] += new_value
    out = []
    for (day, pid), v in sorted(rows.items()):
        cur = currency[pid]
        out.append({"day": day, "program": pid, "currency": cur,
                    **{k: (format_minor(v[k], cur) if "discounts" in k else v[k])
                       for k in FIELDS}})
    return {"days": days, "from": dt.datetime.fromtimestamp(since, dt.UTC).date().isoformat(),
            "rows": out}


def _earn(body: EntryBody, published: ProgramDef, draft: ProgramDef | None) -> int:
    if draft is None or draft.loyalty is None or published.loyalty is None:
        return 0
    extra = body.extra
    benefit, rule_id, base = str(extra.get("benefit") or ""), extra.get("rule"), extra.get("base")
    try:
        factor = Fraction(str(extra.get("multiplier", "1")))
    except (ValueError, ZeroDivisionError):
        factor = Fraction(1)
    if benefit.startswith("milestone:"):
        ms = next((m for m in draft.loyalty.milestones if m.id == rule_id), None)
        return ms.points if ms is not None else 0
    old = next((r for r in published.loyalty.earning if r.id == rule_id), None)
    new = next((r for r in draft.loyalty.earning if r.id == rule_id), None)
    if new is None:
        return 0
    if not new.tier_multiplier:
        factor = Fraction(1)
    if new.points is not None:
        new_base = new.points
    elif old is None or old.points_per_unit is None or not isinstance(base, int):
        return body.amount  # the entry does not tell the order's amount
    else:
        units = base // old.points_per_unit
        if new.min_order is not None and units * 10 ** exponent(draft.currency) < new.min_order:
            return 0
        new_base = units * (new.points_per_unit or 0)
    return int(new_base * factor.numerator // factor.denominator)


def _burn(body: EntryBody, draft: ProgramDef | None) -> tuple[int, int, int]:
    """(points under the draft, the recorded discount, the discount under the draft)."""
    raw = body.extra.get("gives")
    gives: dict[str, Any] = raw if isinstance(raw, dict) else {}
    value: int = gives["value"] if isinstance(gives.get("value"), int) else 0
    if draft is None or draft.loyalty is None:
        return 0, value, 0
    reward = next((r for r in draft.loyalty.rewards if r.id == body.extra.get("reward")), None)
    if reward is None:
        return 0, value, 0
    kind = reward.gives.kind
    if kind in ("amount_off", "gift_card_credit"):
        new_value = reward.gives.amount
    elif kind == "percent_off" and isinstance(gives.get("percent"), int) and gives["percent"]:
        new_value = value * reward.gives.percent // int(gives["percent"])
    else:
        new_value = value
    return reward.cost, value, new_value
