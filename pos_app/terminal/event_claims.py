"""Event earns limited per customer at the till: before a commit pays an event rule with
`once_per_customer`, `max_per_customer` or `cooldown_days`, the till asks central to count it
(`POST /v1/event-claims`) and the earn entry names the claim; central re-checks the claim at
ingest (`wallet_sync.central.customer_events`). Offline such an earn is declined: only central
knows what other tills and the events API paid (docs/DECISIONS.md)."""

from __future__ import annotations

import secrets

from core.rules.choose import Plan
from pos_app.terminal import replica
from pos_app.terminal.context import TerminalContext
from pos_app.terminal.quote_service import TerminalQuote
from wallet_sync.client import CentralRefused, CentralUnreachable
from wallet_sync.protocol import EventClaimRequest

Claims = dict[tuple[str | None, str], int]  # (member, rule id) -> central's claim id


def claim(ctx: TerminalContext, quoted: TerminalQuote, plan: Plan) -> Claims | str:
    """Central's count for the event earns PLAN pays whose rule is limited per customer
    (`once_per_customer`, `max_per_customer`, `cooldown_days`): (member, rule) -> claim
    id, or the reason to decline. Offline such an earn is refused
    (`offline_customer_limit`) rather than risk paying twice: only central knows what the
    other tills and the events API paid."""
    earns = [op for op in plan.operations if op.op == "earn"]
    if not earns or not quoted.request.events:  # only event rules are limited so
        return {}
    with ctx.db.read() as conn:
        programs = replica.load_programs(conn)
    limited: dict[tuple[str, str, str], list[str]] = {}  # (member, program, event) -> rules
    for op in earns:
        prog = programs.get(op.program)
        loyalty = prog.program.loyalty if prog else None
        rule = next((r for r in (loyalty.earning if loyalty else ())
                     if r.id == op.extra.get("rule")), None)
        if rule is not None and rule.per_customer and op.card:
            key = (op.card, op.program, rule.on.removeprefix("event:"))
            limited.setdefault(key, []).append(rule.id)
    if not limited:
        return {}
    if quoted.offline:
        return "offline_customer_limit"
    ident = ctx.identity()
    claims: Claims = {}
    try:
        with ctx.client(ident) as client:
            for (member, program, event), rules in sorted(limited.items()):
                answer = client.event_claim(EventClaimRequest(
                    request_id=secrets.token_urlsafe(12), member=member, program=program,
                    event=event), timeout=ctx.authorize_budget(ident))
                declined = [d for d in answer.get("declined", []) if d.get("rule") in rules]
                if declined:
                    return str(declined[0].get("reason") or "declined_by_central")
                if not set(rules) <= set(answer.get("approved") or []):
                    return "declined_by_central"
                claims.update({(member, r): int(answer["claim"]) for r in rules})
    except CentralUnreachable:
        return "offline_customer_limit"
    except CentralRefused as exc:
        return exc.reason
    return claims
