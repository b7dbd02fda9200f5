"""Loyalty members on central: creating them (a code from the program's member_code_pattern),
working copies of their points accounts inside one transaction, the expiry sweep, and the views
the admin API, the change feed and a terminal's signed snapshot show.

A member's points are lots (`core.rules.points`); every change is a `points_events` row and the
cached columns (`members.points`, `members.tier`, `member_lots.remaining`) are rewritten from
the in-memory account, exactly like gift cards in `accounts.py`. Expiry is central's job: it
records an `expire` event for every lapsed lot (or every lot of a dormant account) when a
member is touched by a push, read through the admin API, or swept (`expire_all`); terminals
honour expiry from their own clock meanwhile, so expired points are never spendable anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from core.codes import generate_code, normalize_code
from core.errors import InvalidCode
from core.programs import Program as ProgramDef
from core.rules.loyalty import Loyalty, TierStatus, period_bounds, tier_status
from core.rules.points import PointsAccount, PointsEvent, PointsLot, add_months, expire
from wallet_sync.central import customer_facts, event_hooks, segments
from wallet_sync.central.change_seq import allocate
from wallet_sync.central.errors import Invalid, NotFound, StateConflict
from wallet_sync.central.keys import SigningKey
from wallet_sync.central.programs import parsed
from wallet_sync.central.tables import (
    CustomerProfile,
    Member,
    MemberLot,
    Program,
    Terminal,
    table_of,
)
from wallet_sync.central.tables import PointsEvent as EventRow
from wallet_sync.protocol import MemberSnapshot, SignedMemberSnapshot, canonical_json

_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass
class MemberWork:
    member: Member
    program: ProgramDef
    account: PointsAccount
    original: dict[str, int]  # lot id -> remaining as loaded
    events: list[dict[str, Any]] = field(default_factory=list)
    touched: bool = False

    @property
    def loyalty(self) -> Loyalty:
        assert self.program.loyalty is not None
        return self.program.loyalty

    def record(self, account: PointsAccount, event: PointsEvent, *, terminal: str | None = None,
               seq: int | None = None, actor: str | None = None) -> None:
        self.account = account
        self.touched = True
        self.events.append({
            "member": self.member.code, "op": event.op, "points": event.points,
            "lot_id": event.lot_id, "expires_at": event.expires_at,
            "allocation": [[lot, pts] for lot, pts in event.allocation], "at": event.at,
            "terminal": terminal, "seq": seq, "actor": actor})

    def status(self, now: int) -> TierStatus:
        return status_of(self.loyalty, self.account, now)

    def rolling(self, now: int) -> int | None:
        policy = self.loyalty.expiry_for(self.status(now).tier)
        return policy.rolling_months if policy else None


def period_points(loyalty: Loyalty, account: PointsAccount, now: int) -> tuple[int, int]:
    """Points earned (lots' original points) in this tier period and in the previous one."""
    start, end = period_bounds(loyalty, now)
    prev_start, _ = period_bounds(loyalty, start - 1)
    current = sum(lot.points for lot in account.lots if start <= lot.earned_at < end)
    previous = sum(lot.points for lot in account.lots if prev_start <= lot.earned_at < start)
    return current, previous


def status_of(loyalty: Loyalty, account: PointsAccount, now: int) -> TierStatus:
    """Tier from the points earned this period and the previous one."""
    return tier_status(loyalty, *period_points(loyalty, account, now))


def account_of(code: str, program: str, lots: Iterable[Any], last_activity: int | None
               ) -> PointsAccount:
    ordered = sorted(lots, key=lambda lot: (lot.earned_at, lot.lot_id))
    return PointsAccount(code, program, tuple(
        PointsLot(lot.lot_id, lot.points, lot.remaining, lot.earned_at, lot.expires_at)
        for lot in ordered), last_activity)


def loyalty_program(session: Session, program_id: str) -> ProgramDef | None:
    row = session.get(Program, program_id)
    prog = parsed(row) if row is not None else None
    return prog if prog is not None and prog.loyalty is not None else None


def load(session: Session, codes: Iterable[str], *, lock: bool) -> dict[str, MemberWork]:
    """Working copies of the members among `codes`, locked in code order on PostgreSQL."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    stmt = select(Member).where(Member.code.in_(wanted)).order_by(Member.code)
    members = session.scalars(stmt.with_for_update() if lock else stmt).all()
    lots: dict[str, list[Any]] = {m.code: [] for m in members}
    for row in session.execute(select(MemberLot).where(MemberLot.member.in_(list(lots)))):
        lots[row[0].member].append(row[0])
    works = {}
    for m in members:
        prog = loyalty_program(session, m.program)
        if prog is None:
            continue  # the program is no longer a readable loyalty program: nothing applies
        works[m.code] = MemberWork(m, prog, account_of(m.code, m.program, lots[m.code],
                                                       m.last_activity),
                                   {lot.lot_id: lot.remaining for lot in lots[m.code]})
    return works


def expire_due(work: MemberWork, now: int) -> int:
    """Record an `expire` event for whatever has lapsed by `now`; return the points expired."""
    account, allocation = expire(work.account, now, work.rolling(now))
    if not allocation:
        return 0
    work.record(account, PointsEvent("expire", sum(p for _, p in allocation),
                                     allocation=allocation, at=now), actor="central")
    return sum(p for _, p in allocation)


def save(session: Session, works: Iterable[MemberWork], now: int) -> int:
    """Write back every touched member (cache, lots, events) with a new change_seq each."""
    changed = sorted((w for w in works if w.touched), key=lambda w: w.member.code)
    if not changed:
        return 0
    first = allocate(session, len(changed))
    # Facts moved: membership is recomputed with them (the row already gets a new change_seq).
    member_segments = segments.compute(session, [w.member for w in changed], now)
    conn = session.connection()
    lot_inserts, lot_updates, events, updates = [], [], [], []
    for offset, w in enumerate(changed):
        acct = w.account
        for lot in acct.lots:
            if lot.lot_id not in w.original:
                lot_inserts.append({"member": acct.member, "lot_id": lot.lot_id,
                                    "points": lot.points, "remaining": lot.remaining,
                                    "earned_at": lot.earned_at, "expires_at": lot.expires_at})
            elif w.original[lot.lot_id] != lot.remaining:
                lot_updates.append({"k_member": acct.member, "k_lot": lot.lot_id,
                                    "v_remaining": lot.remaining})
        m = w.member
        values = {"points": acct.balance(now, w.rolling(now)), "tier": w.status(now).tier,
                  "visits": m.visits, "last_activity": acct.last_activity,
                  "change_seq": first + offset, "lifetime_spend": m.lifetime_spend or 0,
                  "last_visit": m.last_visit, "counters": dict(m.counters or {}),
                  "facts_at": m.facts_at, "segments": member_segments[m.code]}
        updates.append({"k_code": acct.member, **{f"v_{k}": v for k, v in values.items()}})
        event_hooks.points(session, m.code, m.program, w.events, m.tier or "",
                           str(values["tier"]), now)
        for key, value in values.items():
            set_committed_value(w.member, key, value)
        events.extend(w.events)
        w.original = {lot.lot_id: lot.remaining for lot in acct.lots}
        w.events, w.touched = [], False
    table = table_of(Member)
    conn.execute(update(table).where(table.c.code == bindparam("k_code")).values(
        points=bindparam("v_points"), tier=bindparam("v_tier"), visits=bindparam("v_visits"),
        last_activity=bindparam("v_last_activity"), change_seq=bindparam("v_change_seq"),
        lifetime_spend=bindparam("v_lifetime_spend"), last_visit=bindparam("v_last_visit"),
        counters=bindparam("v_counters"), facts_at=bindparam("v_facts_at"),
        segments=bindparam("v_segments")),
        updates)
    if lot_inserts:
        conn.execute(insert(table_of(MemberLot)), lot_inserts)
    if lot_updates:
        lots = table_of(MemberLot)
        conn.execute(update(lots).where(lots.c.member == bindparam("k_member"),
                                        lots.c.lot_id == bindparam("k_lot"))
                     .values(remaining=bindparam("v_remaining")), lot_updates)
    if events:
        conn.execute(insert(table_of(EventRow)), events)
    return len(changed)


# ---- admin -------------------------------------------------------------------------------


def create_member(session: Session, program_id: str, country: str | None, now: int,
                  attributes: dict[str, Any] | None = None) -> dict[str, Any]:
    row = session.get(Program, program_id)
    if row is None:
        raise NotFound("unknown_program", f"no program {program_id!r}")
    prog = parsed(row)
    if prog.loyalty is None or not prog.member_code_pattern:
        raise Invalid("wrong_program_kind",
                      f"{program_id} is not a loyalty program with a member_code_pattern")
    country = (country or "").upper()
    if country and not _COUNTRY.match(country):
        raise Invalid("invalid_country", "country is an ISO 3166 alpha-2 code, e.g. DE")
    for _ in range(20):
        code = generate_code(prog.member_code_pattern)
        if session.get(Member, code) is None:
            break
    else:  # pragma: no cover - a pattern this crowded is a configuration error
        raise StateConflict("codes_exhausted", "could not find a free member code")
    session.add(Member(code=code, program=program_id, country=country,
                       attributes=dict(attributes or {}), points=0, tier="", visits=0,
                       last_activity=None, created_at=now, change_seq=allocate(session, 1),
                       lifetime_spend=0, counters={}, segments=[]))
    session.flush()
    work = load(session, [code], lock=False)[code]
    work.member.tier = work.status(now).tier
    work.member.segments = segments.compute(session, [work.member], now)[code]
    event_hooks.customer_created(session, code, program_id, country, now)
    return {"code": code, "program": program_id, "country": country}


def patterns(session: Session) -> list[str]:
    return sorted({p for p in (parsed(r).member_code_pattern
                               for r in session.scalars(select(Program))) if p})


def find(session: Session, text: str) -> str:
    if not isinstance(text, str) or not 1 <= len(text) <= 64:
        raise Invalid("invalid_code", "a member code is 1 to 64 characters")
    candidates = [text.strip().upper()]
    try:
        candidates.insert(0, normalize_code(text, patterns(session)))
    except InvalidCode:
        pass
    for code in candidates:
        if session.get(Member, code) is not None:
            return code
    raise NotFound("unknown_member", "no such member")


def member_view(session: Session, text: str, now: int, *, lock: bool) -> dict[str, Any]:
    """The admin view; expires what has lapsed first so the figures are today's."""
    code = find(session, text)
    works = load(session, [code], lock=lock)
    if code not in works:
        raise StateConflict("program_unavailable", "the member's program cannot be read")
    work = works[code]
    expire_due(work, now)
    save(session, works.values(), now)
    status = work.status(now)
    rolling = work.rolling(now)
    acct = work.account
    expiring: dict[int, int] = {}
    if not acct.dormant(now, rolling):
        for lot in acct.lots:
            if lot.remaining > 0 and lot.live(now) and lot.expires_at is not None:
                expiring[lot.expires_at] = expiring.get(lot.expires_at, 0) + lot.remaining
    if rolling is not None and acct.last_activity is not None:
        lapse = add_months(acct.last_activity, rolling)
        rest = acct.balance(now, rolling) - sum(expiring.get(t, 0) for t in expiring if t < lapse)
        if rest > 0:
            expiring[lapse] = expiring.get(lapse, 0) + rest
            expiring = {t: p for t, p in expiring.items() if t <= lapse}
    m = work.member
    return {"code": m.code, "program": m.program, "country": m.country,
            "points": acct.balance(now, rolling), "tier": status.tier,
            "next_tier": status.next_tier, "points_to_next": status.points_to_next,
            "period_points": status.period_points, "visits": m.visits,
            "expiring": [{"points": p, "at": t} for t, p in sorted(expiring.items())]}


def expire_all(session: Session, now: int, *, lock: bool, batch: int = 500) -> dict[str, int]:
    """The sweep: expire every member's lapsed points (`walletpos admin expire-points`)."""
    codes = list(session.scalars(select(Member.code).order_by(Member.code)))
    members = points = 0
    for i in range(0, len(codes), batch):
        works = load(session, codes[i:i + batch], lock=lock)
        for work in works.values():
            gone = expire_due(work, now)
            members += 1 if gone else 0
            points += gone
        save(session, works.values(), now)
    return {"members": members, "points": points}


# ---- change feed -------------------------------------------------------------------------


def member_changes(session: Session, cursor: int, limit: int) -> list[tuple[int, str, dict]]:
    """(change_seq, code, data) for members changed after `cursor`: what a terminal needs to
    quote offline — country, visits, and the lots that still count (spendable, or earned in
    the tier periods that decide the tier)."""
    rows = session.scalars(select(Member).where(Member.change_seq > cursor)
                           .order_by(Member.change_seq).limit(limit + 1)).all()
    return [(m.change_seq, m.code, data) for m, data in zip(rows, _data(session, rows),
                                                              strict=True)]


def member_changes_for(session: Session, codes: list[str]) -> list[dict[str, Any]]:
    """The feed's data for these members (the terminal's on-demand snapshot)."""
    return _data(session, session.scalars(select(Member).where(Member.code.in_(codes))
                                          .order_by(Member.code)).all())


def signed_snapshot(session: Session, terminal: str, text: str, key: SigningKey, now: int
                    ) -> SignedMemberSnapshot:
    """What a terminal reads before an online quote: the member's feed data beside the
    terminal's acked_seq, signed by central (so the quote burns from current points)."""
    acked = session.execute(select(Terminal.last_seq).where(Terminal.id == terminal)
                            ).scalar_one()
    rows = member_changes_for(session, [find(session, text)])
    if not rows:
        raise NotFound("unknown_member", "no such member")
    snap = MemberSnapshot(member=rows[0], acked_seq=int(acked), server_time=now)
    return SignedMemberSnapshot(snapshot=snap, signature=key.sign(canonical_json(snap)))


def _data(session: Session, rows: Iterable[Member]) -> list[dict[str, Any]]:
    rows = list(rows)
    if not rows:
        return []
    lots: dict[str, list[MemberLot]] = {m.code: [] for m in rows}
    for (lot,) in session.execute(select(MemberLot).where(MemberLot.member.in_(list(lots)))):
        lots[lot.member].append(lot)
    born = customers_birthdays(session, list(lots))
    out = []
    for m in rows:
        prog = loyalty_program(session, m.program)
        keep_from = 0
        if prog is not None and prog.loyalty is not None and m.last_activity is not None:
            start, _ = period_bounds(prog.loyalty, m.last_activity)
            keep_from = period_bounds(prog.loyalty, start - 1)[0]
        out.append({
            "code": m.code, "program": m.program, "country": m.country,
            "attributes": m.attributes or {}, "points": m.points, "tier": m.tier,
            "visits": m.visits, "last_activity": m.last_activity,
            "lots": [[lot.lot_id, lot.points, lot.remaining, lot.earned_at, lot.expires_at]
                     for lot in sorted(lots[m.code], key=lambda x: (x.earned_at, x.lot_id))
                     if lot.remaining > 0 or lot.earned_at >= keep_from],
            **customer_facts.feed_fields(m, born.get(m.code))})
    return out


def customers_birthdays(session: Session, codes: list[str]) -> dict[str, str]:
    """Members' birthdays: the feed carries them for `customer.birthday_today`."""
    if not codes:
        return {}
    return {m: b for m, b in session.execute(
        select(CustomerProfile.member, CustomerProfile.birthday)
        .where(CustomerProfile.member.in_(codes))) if b}
