"""Dynamic segments: the program file's `segments:` mapping, name -> CEL condition about the
customer (`dormant: customer.last_visit_days_ago >= 60`).

A segment is about the person, not a sale: its expression may read only `customer.*` (not
`order`, `card`, `store` or `now`, which have no value when central recomputes membership
outside a sale) and not `customer.segments` itself (a segment defined by segments would depend
on the order they are computed in). Central evaluates every segment for a member whenever the
member's facts or profile change and once a day (`wallet_sync.central.segments`), stores the
names that hold, and ships them in the member feed; the till reads them as
`customer.segments`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import cel

from core.rules.context import Customer, customer_vars
from core.rules.expressions import Expression, compile_expression, evaluate
from core.rules.schema import ProgramError

NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_SEGMENTS = 200

__all__ = ["evaluate_segments", "parse_segments"]


def parse_segments(data: Any, where: str) -> dict[str, Expression]:
    """Compile the `segments:` mapping; ProgramError names `where.<name>` on any defect."""
    if not isinstance(data, dict):
        raise ProgramError(f"{where}: expected a mapping of segment name -> CEL expression")
    if len(data) > MAX_SEGMENTS:
        raise ProgramError(f"{where}: at most {MAX_SEGMENTS} segments")
    out: dict[str, Expression] = {}
    for name, source in data.items():
        if not isinstance(name, str) or not NAME.match(name):
            raise ProgramError(f"{where}.{name}: segment names are lower-case letters, digits "
                               "and _ (at most 64), starting with a letter")
        out[name] = compile_segment(source, f"{where}.{name}", name)
    return out


def compile_segment(source: Any, where: str, name: str) -> Expression:
    expr = compile_expression(source, where, f"segments.{name}")
    roots = sorted(set(expr.compiled.variables()) - {"customer"})
    others = sorted({p.split(".", 1)[0] for p in expr.paths} - {"customer"})
    bad = [r for r in roots + others if r in ("order", "card", "store", "now")]
    if bad:
        raise ProgramError(f"{where}: a segment reads only customer.* (not "
                           f"{', '.join(dict.fromkeys(bad))})")
    if "customer.segments" in expr.paths:
        raise ProgramError(f"{where}: a segment cannot read customer.segments")
    return expr


def evaluate_segments(segments: dict[str, Expression], customer: Customer, currency: str,
                      today: dt.date, *, tier: str = "", points: int = 0) -> list[str]:
    """The names of the segments CUSTOMER is in on TODAY (central's UTC date), sorted. A
    segment whose expression fails on this customer's data (a missing attribute) does not
    hold, as a failing rule condition declines its benefit."""
    if not segments:
        return []
    ctx = cel.Context({"customer": customer_vars(customer, currency, today, tier, points)})
    return sorted(name for name, expr in segments.items() if evaluate(expr, ctx).passed)
