"""The support desk's customer view: search by member or card code, the single view of a
loyalty member (profile, points, tier, lots, activity) or of a gift card (state, balance, lots,
activity), and the actions, each audited: adjusting a member's points with a reason (a new
`earn` lot or a `burn` soonest-expiring first, through `members` and `core.rules.points`, so the
ledger stays replayable), blocking a card with a reason (a `block` ledger event through
`accounts`, which terminals receive in the change feed like any card change), and the GDPR
export and erase of a member through `gdpr` (the service behind `walletpos admin customer
export|erase`). The audit row of an erase records that it happened, to which code and why --
never the erased data, which would otherwise outlive the erase in an insert-only log."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.errors import WalletError
from core.ledger import LedgerEvent, set_blocked
from core.money import format_minor
from core.rules.points import PointsEvent, burn, earn, lot_expiry
from wallet_sync.central import accounts, cards, gdpr, members
from wallet_sync.central.customers import customer_view
from wallet_sync.central.errors import Invalid, Refusal, StateConflict
from wallet_sync.central.office import audit
from wallet_sync.central.office.users import User
from wallet_sync.central.tables import Card, CardEvent, CardLot, Member, MemberLot
from wallet_sync.central.tables import PointsEvent as EventRow

MAX_ADJUST = 1_000_000
LIMIT = 50


def search(session: Session, text: str) -> list[dict[str, Any]]:
    """Members and cards whose code starts with TEXT (case-insensitive, at least 3 chars)."""
    q = text.strip().upper()[:64]
    if len(q) < 3:
        return []
    like = q.replace("\\", "").replace("%", "").replace("_", "") + "%"
    found = [{"kind": "member", "code": m.code, "program": m.program, "detail": m.tier}
             for m in session.scalars(select(Member).where(Member.code.like(like))
                                      .order_by(Member.code).limit(LIMIT))]
    found += [{"kind": "card", "code": c.code, "program": c.program,
               "detail": f"{c.state} {format_minor(c.balance_minor, c.currency)} {c.currency}"}
              for c in session.scalars(select(Card).where(or_(Card.code.like(like)))
                                       .order_by(Card.code).limit(LIMIT))]
    return found


def member_detail(session: Session, code: str, now: int) -> dict[str, Any]:
    view = members.member_view(session, code, now, lock=False)
    lots = session.scalars(select(MemberLot).where(MemberLot.member == view["code"])
                           .order_by(MemberLot.earned_at)).all()
    events = session.scalars(select(EventRow).where(EventRow.member == view["code"])
                             .order_by(EventRow.id.desc()).limit(100)).all()
    customer = customer_view(session, view["code"], now)
    profile, facts = customer["profile"], customer["facts"]
    return {**view, "profile": profile, "facts": facts,
            "attributes": ", ".join(f"{k}={v}" for k, v in
                                    sorted(profile["attributes"].items())),
            "consent": [{"channel": ch, "status": c["status"], "at": c["at"],
                         "source": c["source"]} for ch, c in sorted(customer["consent"].items())],
            "cards": customer["cards"], "erased_at": customer["erased_at"],
            "lots": [{"lot": lot.lot_id, "points": lot.points,
                              "remaining": lot.remaining, "earned_at": lot.earned_at,
                              "expires_at": lot.expires_at} for lot in lots],
            "activity": [{"at": e.at, "op": e.op, "points": e.points, "terminal": e.terminal,
                          "seq": e.seq, "actor": e.actor} for e in events]}


def card_detail(session: Session, code: str) -> dict[str, Any]:
    card = cards.find_card(session, code)
    lots = session.scalars(select(CardLot).where(CardLot.card == card.code)
                           .order_by(CardLot.lot_id)).all()
    events = session.scalars(select(CardEvent).where(CardEvent.card == card.code)
                             .order_by(CardEvent.id.desc()).limit(100)).all()
    cur = card.currency
    return {"code": card.code, "program": card.program, "currency": cur, "state": card.state,
            "balance": format_minor(card.balance_minor, cur), "expires_at": card.expires_at,
            "lots": [{"lot": lot.lot_id, "amount": format_minor(lot.amount, cur),
                      "remaining": format_minor(lot.remaining, cur),
                      "expires_at": lot.expires_at} for lot in lots],
            "activity": [{"at": e.at, "op": e.op, "amount": format_minor(e.amount, cur),
                          "terminal": e.terminal, "seq": e.seq, "actor": e.actor}
                         for e in events]}


def _reason(text: str) -> str:
    reason = text.strip()[:500]
    if not reason or any(ord(ch) < 32 for ch in reason):
        raise Invalid("reason_required", "an action needs a readable reason")
    return reason


def adjust_points(session: Session, code: str, delta: int, reason_text: str, user: User,
                  now: int, *, lock: bool) -> dict[str, Any]:
    """Add (a new lot, with the tier's expiry) or take away (soonest-expiring first) points."""
    reason = _reason(reason_text)
    if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0 \
            or abs(delta) > MAX_ADJUST:
        raise Invalid("invalid_amount", f"an adjustment is 1 to {MAX_ADJUST} points, + or -")
    found = members.find(session, code)
    works = members.load(session, [found], lock=lock)
    if found not in works:
        raise StateConflict("program_unavailable", "the member's program cannot be read")
    work = works[found]
    members.expire_due(work, now)
    rolling = work.rolling(now)
    before = work.account.balance(now, rolling)
    actor = f"office:{user.username}"
    try:
        if delta > 0:
            lot = f"office:{secrets.token_hex(6)}"
            expires = lot_expiry(work.loyalty.expiry_for(work.status(now).tier), now)
            work.record(earn(work.account, delta, lot, now, expires),
                        PointsEvent("earn", delta, lot, expires, at=now), actor=actor)
        else:
            account, allocation = burn(work.account, -delta, now, rolling)
            work.record(account, PointsEvent("burn", -delta, allocation=allocation, at=now),
                        actor=actor)
    except WalletError as exc:
        raise Invalid(exc.reason, exc.message) from exc
    members.save(session, works.values(), now)
    after = work.account.balance(now, rolling)
    audit.record(session, actor=user.username, role=user.role, action="points_adjusted",
                 at=now, target=f"member:{found}", reason=reason,
                 before={"points": before}, after={"points": after, "delta": delta})
    return {"code": found, "points": after}


def block_card(session: Session, code: str, reason_text: str, user: User, now: int, *,
               lock: bool) -> dict[str, Any]:
    reason = _reason(reason_text)
    found = cards.find_card(session, code).code
    working = accounts.load(session, [found], lock=lock)[found]
    before = working.account.state
    if before == "blocked":
        raise StateConflict("already_blocked", "the card is already blocked")
    try:
        account = set_blocked(working.account, True)
    except WalletError as exc:
        raise StateConflict(exc.reason, exc.message) from exc
    working.record(account, LedgerEvent("block", at=now), actor=f"office:{user.username}")
    accounts.save(session, {found: working}, now)
    audit.record(session, actor=user.username, role=user.role, action="card_blocked", at=now,
                 target=f"card:{found}", reason=reason, before={"state": before},
                 after={"state": "blocked"})
    return {"code": found, "state": "blocked"}


def export_member(session: Session, code: str, user: User, now: int) -> dict[str, Any]:
    """Everything held about the member (gdpr.export); the access itself is audited."""
    document = gdpr.export(session, code, now)
    audit.record(session, actor=user.username, role=user.role, action="customer_exported",
                 at=now, target=f"member:{document['code']}")
    return document


def erase_member(session: Session, code: str, confirm: str, reason_text: str, user: User,
                 now: int) -> dict[str, Any]:
    """gdpr.erase once the member's code is typed again as confirmation, with a reason."""
    reason = _reason(reason_text)
    found = members.find(session, code)
    if confirm.strip().upper() != found.upper():
        raise Invalid("confirm_code", "type the member code to confirm the erase")
    done = gdpr.erase(session, found, now)
    audit.record(session, actor=user.username, role=user.role, action="customer_erased",
                 at=now, target=f"member:{found}", reason=reason,
                 before={"erased": False}, after={"erased": True, "erased_at": now})
    return done


def kind_of(session: Session, code: str) -> str:
    """"member" or "card" for a code as typed, else NotFound."""
    try:
        members.find(session, code)
        return "member"
    except Refusal:
        pass
    cards.find_card(session, code)
    return "card"

