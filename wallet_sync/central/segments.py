"""Dynamic segments on central: the definitions the last program file declared (`segments:`,
saved by `load_programs`), and each member's membership computed from profile + facts.

Membership is computed whenever a member's facts or profile change (every `members.save`, a
profile update) and by the daily pass (`recompute_all`: `walletpos central recompute-segments`,
and the serve process once a day), because a segment such as `dormant` changes with the
calendar alone. A member gets a new change_seq only when its set of segments changes, so the
daily pass ships only the members that moved. Dates are central's UTC date. A member's
segments are as of the later of its facts' time (`facts_as_of`) and central's last daily pass;
the till does not recompute them (it adds its unsynced sales to `lifetime_spend`, not to
segments), so a till offline for days sees the segments of the day it last synced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.errors import InvalidInput
from core.rules.context import customer_from_data
from core.rules.expressions import Expression
from core.rules.segments import compile_segment, evaluate_segments
from wallet_sync.central import customer_facts
from wallet_sync.central.change_seq import allocate
from wallet_sync.central.db import Database
from wallet_sync.central.tables import CustomerProfile, CustomerSegment, Member, Program

_compiled: dict[tuple[tuple[str, str], ...], dict[str, Expression]] = {}


def save_definitions(session: Session, segments: dict[str, Expression] | None) -> bool:
    """Replace the definitions with SEGMENTS (None: the file declares none and those in force
    stay, like the attribute schema). True when they changed."""
    if segments is None:
        return False
    new = {name: expr.source for name, expr in segments.items()}
    if new == _sources(session):
        return False
    session.execute(delete(CustomerSegment))
    session.add_all(CustomerSegment(name=n, expression=s) for n, s in sorted(new.items()))
    session.flush()
    return True


def _sources(session: Session) -> dict[str, str]:
    return {r.name: r.expression for r in session.scalars(select(CustomerSegment))}


def definitions(session: Session) -> dict[str, Expression]:
    """The segments in force, compiled once per distinct set of sources."""
    key = tuple(sorted(_sources(session).items()))
    if key not in _compiled:
        out = {}
        for name, source in key:
            try:
                out[name] = compile_segment(source, f"segments.{name}", name)
            except InvalidInput:
                continue  # checked at load; a definition this build cannot read holds for no one
        _compiled[key] = out
    return _compiled[key]


def compute(session: Session, rows: Sequence[Member], now: int,
            defs: dict[str, Expression] | None = None) -> dict[str, list[str]]:
    """Each member's segments as of NOW (code -> sorted names); an erased member is in none."""
    defs = definitions(session) if defs is None else defs
    if not defs or not rows:
        return {m.code: [] for m in rows}
    born = dict(session.execute(select(CustomerProfile.member, CustomerProfile.birthday)
                                .where(CustomerProfile.member.in_([m.code for m in rows]))).all())
    currencies: dict[str, str] = {}
    today = dt.datetime.fromtimestamp(now, dt.UTC).date()
    out: dict[str, list[str]] = {}
    for m in rows:
        if m.erased_at is not None:
            out[m.code] = []
            continue
        if m.program not in currencies:
            prog = session.get(Program, m.program)
            currencies[m.program] = prog.currency if prog is not None else "EUR"
        data: dict[str, Any] = {**customer_facts.feed_fields(m, born.get(m.code)),
                                "country": m.country, "attributes": m.attributes or {}}
        out[m.code] = evaluate_segments(defs, customer_from_data(data, m.code),
                                        currencies[m.program], today, tier=m.tier or "",
                                        points=m.points or 0)
    return out


def refresh(session: Session, rows: Iterable[Member], now: int,
            defs: dict[str, Expression] | None = None) -> int:
    """Recompute ROWS; a member whose set changed is written with a new change_seq (so it
    ships to terminals). Returns how many changed."""
    rows = list(rows)
    computed = compute(session, rows, now, defs)
    moved = sorted((m for m in rows if list(m.segments or []) != computed[m.code]),
                   key=lambda m: m.code)
    if moved:
        first = allocate(session, len(moved))
        for offset, m in enumerate(moved):
            m.segments = computed[m.code]
            m.change_seq = first + offset
        session.flush()
    return len(moved)


def recompute_all(session: Session, now: int, *, batch: int = 500) -> dict[str, int]:
    """Every member in one transaction (a program file that changes the definitions)."""
    defs = definitions(session)
    codes = list(session.scalars(select(Member.code).order_by(Member.code)))
    changed = 0
    for i in range(0, len(codes), batch):
        rows = session.scalars(select(Member).where(Member.code.in_(codes[i:i + batch]))
                               .order_by(Member.code)).all()
        changed += refresh(session, rows, now, defs)
    return {"members": len(codes), "changed": changed, "segments": len(defs)}


def recompute_batched(db: Database, now: int, *, batch: int = 500) -> dict[str, int]:
    """The daily pass: every member, one write transaction per BATCH, so a large membership
    (about 0.1 ms a member with three segments) never holds central's writers for long."""
    with db.read() as session:
        codes = list(session.scalars(select(Member.code).order_by(Member.code)))
    changed = defs_count = 0
    for i in range(0, len(codes), batch):
        with db.write() as session:
            defs = definitions(session)
            defs_count = len(defs)
            rows = session.scalars(select(Member).where(Member.code.in_(codes[i:i + batch]))
                                   .order_by(Member.code)).all()
            changed += refresh(session, rows, now, defs)
    if not codes:
        with db.read() as session:
            defs_count = len(definitions(session))
    return {"members": len(codes), "changed": changed, "segments": defs_count}
