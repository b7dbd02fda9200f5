"""The program file's referral as central keeps it: the `referral:` of the last file that
declared one, one `referral_definition` row (saved by `programs.load_programs`, like the
trigger and segment definitions), parsed once per distinct definition. Recording and rewarding
referrals is `referrals.py`'s job."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.programs import program_from_dict
from core.rules.referral import Referral, parse_referral
from wallet_sync.central.tables import Program, ReferralDefinition

ROW_ID = "referral"
_parsed: dict[str, Referral] = {}


def save_definition(session: Session, referral: Referral | None) -> bool:
    """The file's `referral:` replaces the one in force (None: the file has none; it stays)."""
    if referral is None:
        return False
    row = session.get(ReferralDefinition, ROW_ID)
    if row is not None and row.definition == referral.raw:
        return False
    session.execute(delete(ReferralDefinition))
    session.add(ReferralDefinition(id=ROW_ID, definition=referral.raw))
    session.flush()
    return True


def definition(session: Session) -> Referral | None:
    row = session.get(ReferralDefinition, ROW_ID)
    if row is None:
        return None
    key = repr(sorted(row.definition.items()))
    if key not in _parsed:  # the programs it names, as stored (for min_order's currency)
        programs = {p.id: program_from_dict(p.definition, f"program {p.id}")
                    for p in session.scalars(select(Program))}
        _parsed[key] = parse_referral(row.definition, "referral", programs)
    return _parsed[key]
