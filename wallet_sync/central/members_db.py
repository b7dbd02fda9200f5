"""Central's loyalty tables (SQLAlchemy models on the shared `Base`): members, their cached
points lots, and every applied points event.

`points_events` is the record (earn, burn, void, expire — each with the lot or allocation it
touched); `members.points`/`tier` and `member_lots.remaining` are cached views that
`core.rules.points.replay` rebuilds exactly from it (see the replay test). Nothing here is a
journal: terminal entries stay in `entries`, insert-only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from wallet_sync.central.db import Base, BigId


class Member(Base):
    __tablename__ = "members"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    program: Mapped[str] = mapped_column(ForeignKey("programs.id"))
    country: Mapped[str] = mapped_column(String(2), default="")
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    points: Mapped[int] = mapped_column(BigInteger, default=0)  # cached spendable points
    tier: Mapped[str] = mapped_column(String(64), default="")  # cached tier id
    visits: Mapped[int] = mapped_column(Integer, default=0)
    last_activity: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[int] = mapped_column(BigInteger)
    change_seq: Mapped[int] = mapped_column(BigInteger, index=True)


class MemberLot(Base):
    """Cached points lots (core.rules.points.PointsLot); rebuilt by replaying points_events."""

    __tablename__ = "member_lots"
    member: Mapped[str] = mapped_column(ForeignKey("members.code"), primary_key=True)
    lot_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    points: Mapped[int] = mapped_column(BigInteger)
    remaining: Mapped[int] = mapped_column(BigInteger)
    earned_at: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class PointsEvent(Base):
    """One applied core.rules.points.PointsEvent; id order is application order per member."""

    __tablename__ = "points_events"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    member: Mapped[str] = mapped_column(ForeignKey("members.code"), index=True)
    op: Mapped[str] = mapped_column(String(16))  # earn | burn | void | expire
    points: Mapped[int] = mapped_column(BigInteger, default=0)
    lot_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    expires_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    allocation: Mapped[list[Any]] = mapped_column(JSON, default=list)
    at: Mapped[int] = mapped_column(BigInteger)
    terminal: Mapped[str | None] = mapped_column(String(16), nullable=True)
    seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    actor: Mapped[str | None] = mapped_column(String(64), nullable=True)
    __table_args__ = (Index("ix_points_events_terminal_seq", "terminal", "seq"),)
