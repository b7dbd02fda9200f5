"""Holds for points, as a gift card's spend takes a hold on its value: an online burn (a
reward at the till) first asks central to reserve the points (`POST /v1/authorize-points`).

Central locks the member (`FOR UPDATE` on PostgreSQL; SQLite serialises writers at BEGIN
IMMEDIATE), and approves only when the member's spendable points less every open hold cover the
burn, so two terminals redeeming the same points at the same moment get one approval and one
`insufficient_points`. The answer is signed (`protocol.points_authorization_message`); the burn
entry names it in `auth` and consumes the hold when it arrives (`Holds.take`). A hold whose burn
never arrives is released like a gift card's: once expired and the terminal has since pulled
with a head central already holds (`release_proven`, called from `escrow.maintain`); never on
time alone. Holds never touch the points ledger.

A burn that names its reward (`reward`) also holds one use of the reward's and the program's
customer- and program-scoped limits under the same id (`limit_counts`): a reward limited to
one per customer is approved at one till only.

Offline burns take no hold: they stay under the loyalty program's floor policy, which central
re-checks at ingest (`offline_check`).

Public: HOLD_TTL_S, authorize_points, open_points, release_proven, Holds.
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core.journal import EntryBody
from wallet_sync.central import limit_counts, members, orders
from wallet_sync.central.db import rows_changed
from wallet_sync.central.errors import StateConflict
from wallet_sync.central.keys import SigningKey
from wallet_sync.central.programs import parsed
from wallet_sync.central.tables import PointsHold, Program
from wallet_sync.protocol import (
    PointsAuthorizeRequest,
    PointsAuthorizeResponse,
    points_authorization_message,
)

HOLD_TTL_S = 10 * 60  # as a gift card's hold


def open_points(session: Session, member: str) -> int:
    """Points held for burns not yet arrived."""
    return int(session.scalar(select(func.coalesce(func.sum(PointsHold.points), 0)).where(
        PointsHold.member == member, PointsHold.consumed_seq.is_(None),
        PointsHold.released_at.is_(None))) or 0)


def authorize_points(session: Session, terminal: str, req: PointsAuthorizeRequest, now: int, *,
                     lock: bool, key: SigningKey) -> PointsAuthorizeResponse:
    def stored() -> PointsAuthorizeResponse | None:
        row = session.scalars(select(PointsHold).where(
            PointsHold.terminal == terminal, PointsHold.request_id == req.request_id)).first()
        if row is None:
            return None
        if (row.member, row.points) != (req.member, req.points):
            raise StateConflict("request_id_reused",
                                "this request_id was used for a different authorization")
        return PointsAuthorizeResponse.model_validate(row.response)

    previous = stored()
    if previous is not None:
        return previous
    works = members.load(session, [req.member], lock=lock)  # the member row is locked now
    work = works.get(req.member)
    if work is None:
        return PointsAuthorizeResponse(status="declined", reason="unknown_member")
    previous = stored()  # a concurrent retry may have answered while we waited for the lock
    if previous is not None:
        return previous
    if work.member.program != req.program:
        return PointsAuthorizeResponse(status="declined", reason="wrong_program")
    if req.order is not None:  # the same order: stacking with its gift cards and rewards
        row = session.get(Program, req.program)
        why = orders.reward_reason(session, terminal, req.order.id,
                                   parsed(row) if row is not None else None, req.reward)
        if why is not None:
            return PointsAuthorizeResponse(status="declined", reason=why)
    # A reward's customer- and program-scoped limits, counted on central across every till.
    _, counters = limit_counts.counters_of(session, req.program, req.reward)
    counted = limit_counts.check(session, req.program, counters, req.member, req.points, now)
    if counted is not None:
        return PointsAuthorizeResponse(status="declined", reason=counted)
    spendable = work.account.balance(now, work.rolling(now)) - open_points(session, req.member)
    if req.points > spendable:
        return PointsAuthorizeResponse(status="declined", reason="insufficient_points",
                                       points=max(spendable, 0))
    auth_id = "P-" + secrets.token_hex(8)
    expires_at = now + HOLD_TTL_S
    answer = PointsAuthorizeResponse(
        status="approved", auth_id=auth_id, points=spendable - req.points, expires_at=expires_at,
        signature=key.sign(points_authorization_message(auth_id, terminal, req.member,
                                                        req.points, expires_at)))
    session.add(PointsHold(auth_id=auth_id, terminal=terminal, request_id=req.request_id,
                           member=req.member, program=req.program, points=req.points,
                           expires_at=expires_at, created_at=now,
                           response=answer.model_dump(mode="json"),
                           order_id=req.order.id if req.order else None, reward=req.reward))
    session.flush()
    if counters:
        limit_counts.hold(session, terminal, auth_id, req.program, req.reward or "", req.member,
                          req.points, now, expires_at)
    return answer


def release_proven(session: Session, terminal: str, now: int) -> int:
    """Release TERMINAL's expired points holds; the caller has proof (a head central holds)
    that no burn will consume them. Returns how many."""
    done = session.execute(update(PointsHold).where(
        PointsHold.terminal == terminal, PointsHold.consumed_seq.is_(None),
        PointsHold.released_at.is_(None), PointsHold.expires_at < now)
        .values(released_at=now).execution_options(synchronize_session=False))
    return rows_changed(done)


class Holds:
    """The points holds a batch's burns name, loaded once; `take` consumes one."""

    def __init__(self, session: Session, terminal: str) -> None:
        self.session = session
        self.terminal = terminal
        self.rows: dict[str, PointsHold] = {}
        self.consumed: list[tuple[str, int]] = []

    def load(self, bodies: list[EntryBody]) -> None:
        ids = sorted({b.auth for b in bodies if b.op == "burn" and b.auth})
        if ids:
            self.rows = {h.auth_id: h for h in self.session.scalars(select(PointsHold).where(
                PointsHold.auth_id.in_(ids), PointsHold.terminal == self.terminal,
                PointsHold.consumed_seq.is_(None)))}

    def take(self, body: EntryBody) -> bool:
        """True (and consumed) when the burn names an open hold of this terminal on this
        member that covers it. A hold released meanwhile still counts: the sale happened."""
        hold = self.rows.get(body.auth or "")
        if hold is None or hold.member != body.card or hold.points < body.amount:
            return False
        del self.rows[hold.auth_id]
        self.consumed.append((hold.auth_id, body.seq))
        return True

    def flush(self) -> None:
        for auth_id, seq in self.consumed:
            self.session.execute(update(PointsHold).where(PointsHold.auth_id == auth_id,
                                                          PointsHold.consumed_seq.is_(None))
                                 .values(consumed_seq=seq))
