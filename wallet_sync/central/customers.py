"""Customers on central: the profile beside a loyalty member (registration time, birthday,
country, language, contact channels, typed custom attributes), the attribute schema a program
file declares, gift cards linked to a customer, and the single customer view.

A customer IS a member: the member code is the pseudonymous id the signed ledger carries, so
erasing a customer (`gdpr.py`) deletes the profile row and clears the member's personal columns
while every journal entry and chain stays as it was. Country and attributes stay on the member
row because terminals need them for rules (they travel in the member change feed); contact
data and the birthday live in `customer_profiles`, which only central reads.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.errors import InvalidInput
from core.money import format_minor
from core.rules.attributes import check_attributes
from wallet_sync.central import consent, members, referrals, segments
from wallet_sync.central.change_seq import allocate
from wallet_sync.central.customer_schema import schema_of
from wallet_sync.central.errors import Invalid, NotFound, StateConflict
from wallet_sync.central.tables import Card, CustomerProfile, Member

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+[1-9][0-9]{6,14}$")  # E.164
PROFILE_FIELDS = ("country", "birthday", "language", "email", "phone", "attributes")


# ---- profile -------------------------------------------------------------------------------


def _checked(session: Session, fields: dict[str, Any], now: int) -> dict[str, Any]:
    """The profile fields given, validated (a None contact removes it)."""
    out: dict[str, Any] = {}
    if fields.get("country") is not None:
        country = str(fields["country"]).upper()
        if country and not _COUNTRY.match(country):
            raise Invalid("invalid_country", "country: an ISO 3166 alpha-2 code, e.g. DE")
        out["country"] = country
    if "birthday" in fields and fields["birthday"] is None:
        out["birthday"] = None  # removed
    elif "birthday" in fields:
        try:
            day = dt.date.fromisoformat(str(fields["birthday"]))
        except ValueError:
            raise Invalid("invalid_birthday", "birthday: expected YYYY-MM-DD") from None
        if day >= dt.datetime.fromtimestamp(now, dt.UTC).date() or day.year < 1900:
            raise Invalid("invalid_birthday", "birthday: must be a past date after 1900")
        out["birthday"] = day.isoformat()
    if fields.get("language") is not None:
        if not _LANGUAGE.match(str(fields["language"])):
            raise Invalid("invalid_language", "language: e.g. en, ja or pt-BR")
        out["language"] = str(fields["language"])
    for key, pattern, hint in (("email", _EMAIL, "an email address"),
                               ("phone", _PHONE, "E.164, e.g. +4930123456")):
        if key in fields:
            value = fields[key]
            if value is not None and (not isinstance(value, str) or len(value) > 254
                                      or not pattern.match(value)):
                raise Invalid(f"invalid_{key}", f"{key}: expected {hint}")
            out[key] = value
    if fields.get("attributes") is not None:
        try:
            out["attributes"] = check_attributes(schema_of(session), fields["attributes"])
        except InvalidInput as exc:
            raise Invalid(exc.reason, exc.message) from exc
    return out


def create_customer(session: Session, program: str, fields: dict[str, Any], now: int
                    ) -> dict[str, Any]:
    """A new member of PROGRAM with a profile; registration time is now."""
    checked = _checked(session, fields, now)
    made = members.create_member(session, program, checked.get("country"), now,
                                 {k: v for k, v in (checked.get("attributes") or {}).items()
                                  if v is not None})
    session.add(CustomerProfile(member=made["code"], birthday=checked.get("birthday"),
                                language=checked.get("language", ""),
                                email=checked.get("email"), phone=checked.get("phone"),
                                updated_at=now))
    session.flush()
    if fields.get("referred_by") is not None:  # a friend given a member's referral code
        referrals.record(session, made["code"], fields["referred_by"], now)
    return customer_view(session, made["code"], now)


def update_customer(session: Session, text: str, fields: dict[str, Any], now: int
                    ) -> dict[str, Any]:
    """Change the fields given; attributes merge key by key (None removes one)."""
    code = members.find(session, text)
    member = _live(session, code)
    checked = _checked(session, fields, now)
    profile = _profile(session, code, now)
    changed_member = False
    if "country" in checked:
        member.country, changed_member = checked["country"], True
    if "attributes" in checked:
        merged = dict(member.attributes or {})
        for k, v in checked["attributes"].items():
            if v is None:
                merged.pop(k, None)
            else:
                merged[k] = v
        member.attributes, changed_member = merged, True
    for key in ("birthday", "language", "email", "phone"):
        if key in checked:
            setattr(profile, key, checked[key] if key != "language" else checked[key] or "")
    if "birthday" in checked:
        changed_member = True  # terminals read the birthday for birthday rules
    if "email" in checked and checked["email"] is None:
        consent.withdraw(session, code, "email", "contact_removed", now)
    if "phone" in checked and checked["phone"] is None:
        consent.withdraw(session, code, "sms", "contact_removed", now)
    profile.updated_at = now
    session.flush()  # the birthday and attributes segments read
    now_in = segments.compute(session, [member], now)[code]
    if now_in != list(member.segments or []):
        member.segments, changed_member = now_in, True
    if changed_member:
        member.change_seq = allocate(session, 1)  # terminals get the new facts
    session.flush()
    return customer_view(session, code, now)


def _live(session: Session, code: str) -> Member:
    member = session.get(Member, code)
    if member is None:
        raise NotFound("unknown_member", "no such customer")
    if member.erased_at is not None:
        raise StateConflict("customer_erased", "this customer was erased")
    return member


def _profile(session: Session, code: str, now: int) -> CustomerProfile:
    profile = session.get(CustomerProfile, code)
    if profile is None:  # a member made before profiles existed
        profile = CustomerProfile(member=code, language="", updated_at=now)
        session.add(profile)
    return profile


# ---- gift cards linked to a customer -------------------------------------------------------


def link_card(session: Session, text: str, card_code: str, now: int) -> dict[str, Any]:
    """Link a gift card to the customer (a card sold before, or a card they register later).
    A card linked to someone else stays theirs: unlinking is not a side effect of linking."""
    code = members.find(session, text)
    _live(session, code)
    card = session.get(Card, card_code.strip().upper()) if isinstance(card_code, str) else None
    if card is None:
        raise NotFound("unknown_card", "no such card")
    if card.customer not in (None, code):
        raise StateConflict("card_linked", "the card belongs to another customer")
    session.execute(update(Card).where(Card.code == card.code).values(customer=code))
    session.flush()
    return {"customer": code, "card": card.code}


def cards_of(session: Session, code: str) -> list[dict[str, Any]]:
    return [{"code": c.code, "program": c.program, "state": c.state,
             "balance": format_minor(c.balance_minor, c.currency), "currency": c.currency,
             "expires_at": c.expires_at}
            for c in session.scalars(select(Card).where(Card.customer == code)
                                     .order_by(Card.code))]


# ---- the single view -----------------------------------------------------------------------


def facts_of(member: Member, currency: str) -> dict[str, Any]:
    return {"registered_at": member.created_at,
            "lifetime_spend": format_minor(member.lifetime_spend or 0, currency),
            "lifetime_spend_minor": member.lifetime_spend or 0, "visits": member.visits,
            "last_visit": member.last_visit, "counters": dict(member.counters or {}),
            "as_of": member.facts_at if member.facts_at is not None else member.created_at,
            "segments": list(member.segments or [])}


def customer_view(session: Session, text: str, now: int) -> dict[str, Any]:
    """Profile, consent, cards, points and facts of one customer (`admin customer show`)."""
    code = members.find(session, text)
    member = session.get(Member, code)
    assert member is not None
    prog = members.loyalty_program(session, member.program)
    currency = prog.currency if prog is not None else ""
    profile = session.get(CustomerProfile, code)
    points = members.member_view(session, code, now, lock=False) if prog is not None else None
    return {
        "code": code, "program": member.program, "erased_at": member.erased_at,
        "profile": {"country": member.country,
                    "birthday": profile.birthday if profile else None,
                    "language": profile.language if profile else "",
                    "email": profile.email if profile else None,
                    "phone": profile.phone if profile else None,
                    "attributes": dict(member.attributes or {})},
        "consent": consent.current(session, code),
        "referral": referrals.referral_of(session, code),
        "cards": cards_of(session, code),
        "points": points["points"] if points else 0,
        "tier": points["tier"] if points else "",
        "facts": facts_of(member, currency),
    }
