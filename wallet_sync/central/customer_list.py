"""Customers a page at a time, for a CRM export (`walletpos admin customer export-all`): the
profile fields an import takes back (`admin customer import`), in member-code order, erased
customers left out (nothing is held about them to export)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wallet_sync.central.tables import CustomerProfile, Member

MAX_PAGE = 1000


def page(session: Session, program: str | None, after: str, limit: int) -> dict[str, Any]:
    """Up to LIMIT customers with codes after AFTER; `next` is the cursor of the next page
    (None at the end)."""
    query = (select(Member, CustomerProfile)
             .outerjoin(CustomerProfile, CustomerProfile.member == Member.code)
             .where(Member.erased_at.is_(None), Member.code > after)
             .order_by(Member.code).limit(limit + 1))
    if program is not None:
        query = query.where(Member.program == program)
    rows = session.execute(query).all()
    customers = [_row(member, profile) for member, profile in rows[:limit]]
    more = len(rows) > limit
    return {"customers": customers, "next": customers[-1]["code"] if more else None}


def _row(member: Member, profile: CustomerProfile | None) -> dict[str, Any]:
    return {"code": member.code, "program": member.program,
            "registered_at": member.created_at, "country": member.country or None,
            "birthday": profile.birthday if profile else None,
            "language": (profile.language or None) if profile else None,
            "email": profile.email if profile else None,
            "phone": profile.phone if profile else None,
            "attributes": dict(member.attributes or {})}
