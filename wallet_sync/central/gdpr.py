"""GDPR: everything central holds about a customer as one JSON document (access, Art. 15),
and erasure (Art. 17).

Erasure removes the profile row (birthday, language, email, phone), the member's country and
attributes, the consent history and pending opt-in tokens. The signed ledger is never edited:
journal entries, points events, lots and card links keep the member code, which without the
profile is a pseudonym — so every terminal's chain and every entry's signature still verify,
and balances and liability stay exact. The member's feed row gets a new change_seq, so tills
replace what they hold with the erased (empty) profile at their next pull.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from wallet_sync.central import consent, customer_events, customers, members
from wallet_sync.central.change_seq import allocate
from wallet_sync.central.errors import StateConflict
from wallet_sync.central.tables import (
    Consent,
    ConsentToken,
    CustomerProfile,
    Member,
    MemberLot,
    PointsEvent,
)


def export(session: Session, text: str, now: int) -> dict[str, Any]:
    """Profile, consent (current and history), cards, points lots and events, facts and
    custom events of one customer."""
    view = customers.customer_view(session, text, now)
    code = view["code"]
    lots = [{"lot": lot.lot_id, "points": lot.points, "remaining": lot.remaining,
             "earned_at": lot.earned_at, "expires_at": lot.expires_at}
            for lot in session.scalars(select(MemberLot).where(MemberLot.member == code)
                                       .order_by(MemberLot.earned_at, MemberLot.lot_id))]
    points_events = [{"op": e.op, "points": e.points, "lot": e.lot_id, "at": e.at,
                      "terminal": e.terminal, "seq": e.seq}
                     for e in session.scalars(select(PointsEvent).where(
                         PointsEvent.member == code).order_by(PointsEvent.id))]
    return {**view, "exported_at": now, "consent_history": consent.history(session, code),
            "points_lots": lots, "points_events": points_events,
            "events": customer_events.events_of(session, code)}


def erase(session: Session, text: str, now: int) -> dict[str, Any]:
    """Remove the customer's personal data; the pseudonymous code and the ledger stay."""
    code = members.find(session, text)
    member = session.get(Member, code, with_for_update=True)
    assert member is not None
    if member.erased_at is not None:
        raise StateConflict("customer_erased", "this customer was already erased")
    session.execute(delete(CustomerProfile).where(CustomerProfile.member == code))
    session.execute(delete(ConsentToken).where(ConsentToken.member == code))
    session.execute(delete(Consent).where(Consent.member == code))
    member.country = ""
    member.attributes = {}
    member.segments = []
    member.erased_at = now
    member.change_seq = allocate(session, 1)
    session.flush()
    return {"code": code, "erased_at": now,
            "kept": ["member code (pseudonym)", "signed journal entries", "points ledger",
                     "card links", "facts derived from the ledger"]}
