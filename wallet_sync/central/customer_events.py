"""Custom events for a customer, and the per-customer limits of event earning rules.

Two callers: a CRM or a shop (`POST /v1/admin/events`: central decides and pays the points
itself), and a till before an `earn --event` whose rule is limited per customer (`POST
/v1/event-claims`: central decides and counts; the till journals the earn naming the claim).
Both are idempotent on a key — (`api`, key) or (terminal, request_id) — whose first answer is
stored with the event and returned again, so a retry after a lost answer pays nothing twice.

The limits (`once_per_customer`, `max_per_customer: N`, `cooldown_days: N`) count the rows of
this table that paid the rule (awarded by central, or claimed by a till), all on central, so
two tills and a CRM share one count. An earn entry that reaches central for a limited rule
without a claim (a till that could not ask) is counted at ingest by `check_unclaimed`: within
the limit it is recorded as an award like any other, beyond it the entry is not applied.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.journal import EntryBody
from core.programs import Program as ProgramDef
from core.rules.basket import Basket
from core.rules.context import Store, customer_from_data
from core.rules.loyalty import EarnRule
from core.rules.points import PointsEvent, apply_event
from core.rules.quote import Membership, quote
from wallet_sync.central import customer_facts, members
from wallet_sync.central.errors import Invalid, NotFound, StateConflict
from wallet_sync.central.tables import CustomerEvent, Member

_EVENT = re.compile(r"^[a-z0-9_.-]{1,64}$")
COUNTED = ("awarded", "claimed")  # rows that paid a rule (central's award, a till's claim)
DAY_S = 86400


def _event_name(event: Any) -> str:
    if not isinstance(event, str) or not _EVENT.match(event):
        raise Invalid("invalid_event", "event: 1 to 64 of a-z, 0-9, '_', '.', '-'")
    return event


def _stored(session: Session, source: str, key: str, code: str, event: str
            ) -> dict[str, Any] | None:
    row = session.scalars(select(CustomerEvent).where(CustomerEvent.source == source,
                                                      CustomerEvent.key == key)).first()
    if row is None:
        return None
    if row.member != code or row.event != event:
        raise StateConflict("key_reused", "this idempotency key was used for another event")
    return dict(row.answer)


def limit_reason(session: Session, code: str, event: str, rule: EarnRule, now: int
                 ) -> str | None:
    """Why RULE may not pay CODE again now (None: it may), from central's count."""
    if not rule.per_customer:
        return None
    paid = [r for r in session.scalars(select(CustomerEvent).where(
        CustomerEvent.member == code, CustomerEvent.event == event,
        CustomerEvent.status.in_(COUNTED)).order_by(CustomerEvent.id))
        if rule.id in (r.rules or [])]
    most = rule.max_awards
    if most is not None and len(paid) >= most:
        return "limit_reached: " + ("once_per_customer" if rule.once_per_customer
                                    else "max_per_customer")
    if rule.cooldown_days is not None and paid and \
            paid[-1].at > now - rule.cooldown_days * DAY_S:
        return "limit_reached: cooldown_days"
    return None


def _offers(session: Session, work: members.MemberWork, event: str, now: int
            ) -> tuple[list[Any], list[dict[str, str]]]:
    """What the engine offers this member for EVENT now (conditions, eligibility, tier
    multiplier as at a till), and what it refuses."""
    current, previous = members.period_points(work.loyalty, work.account, now)
    rows = members.member_changes_for(session, [work.member.code])
    data = rows[0] if rows else {}
    q = quote(Basket(work.program.currency, (), total=0), [work.program],
              members=[Membership(work.program.id, work.account, current, previous,
                                  customer_from_data(data, work.member.code))],
              store=Store(), now=now, events=[event])
    refused = [{"rule": r.benefit.rsplit(":", 1)[-1], "reason": r.code} for r in q.refused
               if r.benefit.startswith("earn:")]
    return list(q.earn), refused


def _rules(program: ProgramDef, event: str) -> dict[str, EarnRule]:
    loyalty = program.loyalty
    return {r.id: r for r in (loyalty.earning if loyalty else ()) if r.on == f"event:{event}"}


def record_event(session: Session, member_text: str, event: Any, key: str, now: int, *,
                 lock: bool) -> dict[str, Any]:
    """A CRM's or shop's event: pay what the program's event rules give, within their
    per-customer limits, once per key."""
    event = _event_name(event)
    code = members.find(session, member_text)
    stored = _stored(session, "api", key, code, event)
    if stored is not None:
        return stored
    works = members.load(session, [code], lock=lock)
    work = works.get(code)
    if work is None or work.member.erased_at is not None:
        raise StateConflict("customer_unavailable", "the customer is erased or its program "
                            "cannot be read")
    members.expire_due(work, now)
    offers, refused = _offers(session, work, event, now)
    rules = _rules(work.program, event)
    row = CustomerEvent(member=code, event=event, source="api", key=key, at=now,
                        status="recorded", points=0, rules=[], answer={})
    session.add(row)
    session.flush()  # the id names the lot
    awarded = []
    for offer in offers:
        why = limit_reason(session, code, event, rules[offer.rule], now)
        if why is not None:
            refused.append({"rule": offer.rule, "reason": why})
            continue
        lot = f"event:{row.id}:{offer.rule}"[:80]
        ev = PointsEvent("earn", offer.points, lot, offer.expires_at, at=now)
        work.record(apply_event(work.account, ev), ev, actor="api")
        awarded.append({"rule": offer.rule, "points": offer.points})
    customer_facts.count_event(work.member, event, now)
    work.touched = True
    members.save(session, works.values(), now)
    row.status = "awarded" if awarded else ("refused" if refused else "recorded")
    row.points = sum(a["points"] for a in awarded)
    row.rules = [a["rule"] for a in awarded]
    answer = {"event_id": row.id, "member": code, "event": event, "key": key,
              "status": row.status, "points": row.points, "awarded": awarded,
              "refused": refused, "at": now}
    row.answer = answer
    session.flush()
    return answer


def claim(session: Session, terminal: str, request_id: str, member_text: str, program: str,
          event: Any, now: int) -> dict[str, Any]:
    """A till asks before journaling an event earn whose rules are counted per customer:
    approved rules are counted now (the till's entry names the claim); declined ones say
    why. The same request id returns the same answer."""
    event = _event_name(event)
    code = members.find(session, member_text)
    stored = _stored(session, terminal, request_id, code, event)
    if stored is not None:
        return stored
    member = session.get(Member, code)
    assert member is not None
    if member.erased_at is not None:
        raise StateConflict("customer_unavailable", "the customer is erased")
    if member.program != program:
        raise Invalid("wrong_program", f"the member belongs to {member.program}")
    prog = members.loyalty_program(session, program)
    if prog is None:
        raise NotFound("unknown_program", f"no loyalty program {program!r}")
    approved: list[dict[str, Any]] = []
    declined: list[dict[str, Any]] = []
    for rule in _rules(prog, event).values():
        if not rule.per_customer:
            continue
        why = limit_reason(session, code, event, rule, now)
        (declined if why else approved).append({"rule": rule.id, "reason": why})
    row = CustomerEvent(member=code, event=event, source=terminal, key=request_id, at=now,
                        status="claimed" if approved else "refused", points=0,
                        rules=[a["rule"] for a in approved], answer={})
    session.add(row)
    session.flush()
    answer = {"claim": row.id, "member": code, "event": event,
              "status": "approved" if approved else "declined",
              "reason": declined[0]["reason"] if declined and not approved else None,
              "approved": [a["rule"] for a in approved], "declined": declined}
    row.answer = answer
    session.flush()
    return answer


def check_unclaimed(session: Session, terminal: str, body: EntryBody, program: ProgramDef,
                    now: int) -> str | None:
    """At ingest, an earn entry of a per-customer event rule: None when it may be applied
    (its claim is this till's for this member and rule, or the count still allows it, which
    is then recorded), else the reason it is not."""
    rule_id = body.extra.get("rule")
    benefit = str(body.extra.get("benefit") or "")
    loyalty = program.loyalty
    rule = next((r for r in (loyalty.earning if loyalty else ()) if r.id == rule_id), None)
    if rule is None or not rule.per_customer or not benefit.startswith("earn:"):
        return None
    event = rule.on.removeprefix("event:")
    code = body.card or ""
    claim_id = body.extra.get("claim")
    if isinstance(claim_id, int) and not isinstance(claim_id, bool):
        row = session.get(CustomerEvent, claim_id)
        if (row is not None and row.source == terminal and row.member == code
                and row.status == "claimed" and rule.id in (row.rules or [])
                and not (row.answer or {}).get("entries", {}).get(rule.id)):
            row.answer = {**row.answer, "entries": {**(row.answer or {}).get("entries", {}),
                                                    rule.id: body.seq}}
            return None
        return "claim_invalid"
    why = limit_reason(session, code, event, rule, body.wall_ms // 1000)
    if why is not None:
        return why
    session.add(CustomerEvent(member=code, event=event, source=terminal,
                              key=f"entry:{body.seq}", at=body.wall_ms // 1000,
                              status="awarded", points=body.amount, rules=[rule.id],
                              answer={"entry": body.seq}))
    session.flush()
    return None


def events_of(session: Session, code: str) -> list[dict[str, Any]]:
    return [{"id": r.id, "event": r.event, "source": r.source, "at": r.at, "status": r.status,
             "points": r.points, "rules": list(r.rules or [])}
            for r in session.scalars(select(CustomerEvent).where(CustomerEvent.member == code)
                                     .order_by(CustomerEvent.id))]
