"""Central's schema: every table, as SQLAlchemy 2 typed ORM classes on one `Base`.

All tables live in this one module so that `Base.metadata` is complete as soon as anything is
imported (Alembic's autogenerate check, the migrations-match-the-models test) and so that no
service module has to import another one for its table. The engine and the transactions are
`db.py`'s job; what the rows mean is the services' (named in each section below).

Journal entries are append-only: a row in `entries` is never updated or deleted; what changes
(holds, receivables, conflict cases, the card views) lives in other tables. `card_events` holds
every ledger event per card so `core.ledger.replay` can recompute any cached balance;
`points_events` does the same for members' points (`core.rules.points.replay`).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a real bigint identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")
COUNTER_CHANGES = "changes"


def table_of(model: type[Any]) -> Table:
    """The Core table behind an ORM model, typed as a Table (SQLAlchemy's stubs say
    FromClause), for the bulk insert/update statements that keep ingest fast."""
    return cast(Table, model.__table__)


class Base(DeclarativeBase):
    pass


# ---- keys, stores, terminals (keys.py, auth.py, enrollment.py) -------------------------------


class CentralKey(Base):
    __tablename__ = "central_keys"
    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    private_key: Mapped[bytes] = mapped_column(LargeBinary)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[int] = mapped_column(BigInteger)


class ApiKey(Base):
    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(32))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[int] = mapped_column(BigInteger)


class StoreRow(Base):
    """A store as central knows it: an id that enroll codes, terminals and staff point at."""

    __tablename__ = "stores"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[int] = mapped_column(BigInteger)


class EnrollCode(Base):
    __tablename__ = "enroll_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    store: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    expires_at: Mapped[int] = mapped_column(BigInteger)
    used_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    terminal_id: Mapped[str | None] = mapped_column(String(16), nullable=True)
    created_at: Mapped[int] = mapped_column(BigInteger)


class Terminal(Base):
    __tablename__ = "terminals"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    store: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    name: Mapped[str | None] = mapped_column(String(80), nullable=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | quarantined
    status_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_hash: Mapped[bytes] = mapped_column(LargeBinary)
    enrolled_at: Mapped[int] = mapped_column(BigInteger)
    # last_seq when the terminal last pulled with everything pushed: floor caps restart there.
    floor_mark_seq: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # ...and when (central time), the latest such pull: offline hours count from here.
    floor_mark_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # The highest journal head the terminal ever reported (heads.py; the hashes of heads not
    # pushed yet are in terminal_heads).
    head_seq: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # The terminal's own row in its change feed (flagged / cleared: kind "terminal").
    change_seq: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # What the terminal last said it runs (`walletpos/<version>` in its User-Agent). Not
    # signed, so shown, never trusted.
    software_version: Mapped[str | None] = mapped_column(String(40), nullable=True)


class TerminalHead(Base):
    """A journal head a terminal reported (signed) beyond what it had pushed: the entry with
    that seq must arrive with that hash, or the terminal rewrote a tail central saw (heads.py).
    Bookkeeping, not the journal: a head is dropped once its entry arrived and matched."""

    __tablename__ = "terminal_heads"
    terminal: Mapped[str] = mapped_column(ForeignKey("terminals.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hash: Mapped[bytes] = mapped_column(LargeBinary)
    reported_at: Mapped[int] = mapped_column(BigInteger)


class TerminalFlag(Base):
    """A terminal central caught breaking a rule it cannot break honestly (an offline spend
    over its program's caps, value without authority): no grants while any flag is open. A
    person clears it (`terminals.clear_flags`), which fills `cleared_*`; the case stays."""

    __tablename__ = "terminal_flags"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    terminal: Mapped[str] = mapped_column(ForeignKey("terminals.id"), index=True)
    reason: Mapped[str] = mapped_column(String(64))
    conflict_id: Mapped[int | None] = mapped_column(ForeignKey("conflicts.id"), nullable=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    raised_at: Mapped[int] = mapped_column(BigInteger)
    cleared_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    cleared_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    clear_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


# ---- programs and gift cards (programs.py, cards.py, accounts.py) ----------------------------


class Program(Base):
    __tablename__ = "programs"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    definition_hash: Mapped[str] = mapped_column(String(64))
    change_seq: Mapped[int] = mapped_column(BigInteger, index=True)
    updated_at: Mapped[int] = mapped_column(BigInteger)


class ProgramVersion(Base):
    """Every version of every program as central published it (insert-only): an offline
    entry is re-checked under the version it names (offline_check.py)."""

    __tablename__ = "program_versions"
    program: Mapped[str] = mapped_column(ForeignKey("programs.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    definition_hash: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[int] = mapped_column(BigInteger)


class Card(Base):
    __tablename__ = "cards"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    program: Mapped[str] = mapped_column(ForeignKey("programs.id"))
    currency: Mapped[str] = mapped_column(String(3))
    state: Mapped[str] = mapped_column(String(16))  # core.ledger.CardState
    balance_minor: Mapped[int] = mapped_column(BigInteger)  # cached view, see card_events
    expires_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    issued_at: Mapped[int] = mapped_column(BigInteger)
    qr: Mapped[str | None] = mapped_column(Text, nullable=True)
    change_seq: Mapped[int] = mapped_column(BigInteger, index=True)
    # What central may still promise: balance = reserve + open grants + open holds (escrow.py).
    reserve: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # The customer (member code) the card belongs to, linked at sale or later (customers.py).
    customer: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)


class CardLot(Base):
    """Cached lot remainders (core.ledger.Lot); rebuilt exactly by replaying card_events."""

    __tablename__ = "lots"
    card: Mapped[str] = mapped_column(ForeignKey("cards.code"), primary_key=True)
    lot_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    remaining: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class CardEvent(Base):
    """One applied core.ledger.LedgerEvent; ordered by id within a card (writes hold the card
    lock, so id order is application order)."""

    __tablename__ = "card_events"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    card: Mapped[str] = mapped_column(ForeignKey("cards.code"), index=True)
    op: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(BigInteger, default=0)
    lot_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    expires_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    allocation: Mapped[list[Any]] = mapped_column(JSON, default=list)
    at: Mapped[int] = mapped_column(BigInteger)
    terminal: Mapped[str | None] = mapped_column(String(16), nullable=True)
    seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    actor: Mapped[str | None] = mapped_column(String(64), nullable=True)


# ---- terminal journals and online authorization (ingest.py, authorize.py) -------------------


class Entry(Base):
    """A terminal's signed journal entry as received. Insert-only."""

    __tablename__ = "entries"
    terminal: Mapped[str] = mapped_column(ForeignKey("terminals.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hash: Mapped[bytes] = mapped_column(LargeBinary)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    op: Mapped[str] = mapped_column(String(16))
    # Decoded from signed bytes we must never refuse to store: unbounded text on purpose.
    card: Mapped[str | None] = mapped_column(Text, nullable=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(Text, nullable=True)
    auth: Mapped[str | None] = mapped_column(Text, nullable=True)
    ref: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    status: Mapped[str] = mapped_column(String(16))  # applied | conflict, fixed at insert
    reason: Mapped[str | None] = mapped_column(String(64), nullable=True)
    received_at: Mapped[int] = mapped_column(BigInteger)
    grant_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Copied from the signed body for the offline re-check's counts (NULL: stored before it).
    offline: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    program: Mapped[str | None] = mapped_column(Text, nullable=True)
    __table_args__ = (Index("ix_entries_card", "card"),)


class ForkedEntry(Base):
    """Evidence of a fork: a signed entry whose seq central already held with another hash."""

    __tablename__ = "forked_entries"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    terminal: Mapped[str] = mapped_column(ForeignKey("terminals.id"), index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[bytes] = mapped_column(LargeBinary)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[int] = mapped_column(BigInteger)


class Authorization(Base):
    """Every authorize answer, so a retried request_id gets the same answer."""

    __tablename__ = "authorizations"
    terminal: Mapped[str] = mapped_column(ForeignKey("terminals.id"), primary_key=True)
    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    card: Mapped[str] = mapped_column(String(64))
    amount: Mapped[str] = mapped_column(String(24))
    currency: Mapped[str] = mapped_column(String(3))
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[int] = mapped_column(BigInteger)
    order_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    __table_args__ = (Index("ix_authorizations_order", "terminal", "order_id"),)


class Order(Base):
    """A terminal's order as first authorized online (authorize.py, issue 16): its basket, so
    every later authorization on it is decided on the same lines."""

    __tablename__ = "orders"
    terminal: Mapped[str] = mapped_column(ForeignKey("terminals.id"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    total: Mapped[int] = mapped_column(BigInteger)
    lines: Mapped[list[Any]] = mapped_column(JSON)  # [[sku, category, qty, unit_price], ...]
    created_at: Mapped[int] = mapped_column(BigInteger)


class Hold(Base):
    __tablename__ = "holds"
    auth_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    terminal: Mapped[str] = mapped_column(ForeignKey("terminals.id"))
    card: Mapped[str] = mapped_column(ForeignKey("cards.code"))
    amount: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    consumed_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[int] = mapped_column(BigInteger)
    # Set when central proved no entry will consume it (escrow.release_proven_holds).
    released_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    __table_args__ = (Index("ix_holds_card_open", "card", "consumed_seq", "expires_at"),)


class ValueAuthorization(Base):
    """Central's authority for one entry that raises a balance or points (value_auth.py): an
    `activate`/`load` of a gift card or a points `adjust`, approved online for this terminal,
    card, amount and manager; the entry naming it in `auth` consumes it once."""

    __tablename__ = "value_authorizations"
    auth_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    terminal: Mapped[str] = mapped_column(ForeignKey("terminals.id"))
    request_id: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(16))
    card: Mapped[str] = mapped_column(String(64))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    staff: Mapped[str] = mapped_column(String(64))
    transfer_from: Mapped[str | None] = mapped_column(String(64), nullable=True)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[int] = mapped_column(BigInteger)
    consumed_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # A transfer's redeem on the old card, once applied (the load consumes the row itself).
    source_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    __table_args__ = (UniqueConstraint("terminal", "request_id", name="uq_value_auth_request"),)


class PointsHold(Base):
    """Points reserved for one online burn (points_holds.py), like a gift card's hold: two
    terminals can never both take the same points. Consumed by the burn naming it; released
    on proof (expired and the terminal has since reported a head central holds)."""

    __tablename__ = "points_holds"
    auth_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    terminal: Mapped[str] = mapped_column(ForeignKey("terminals.id"))
    request_id: Mapped[str] = mapped_column(String(64))
    member: Mapped[str] = mapped_column(ForeignKey("members.code"))
    program: Mapped[str] = mapped_column(String(64))
    points: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[int] = mapped_column(BigInteger)
    consumed_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    released_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    order_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reward: Mapped[str | None] = mapped_column(String(64), nullable=True)
    __table_args__ = (
        UniqueConstraint("terminal", "request_id", name="uq_points_holds_request"),
        Index("ix_points_holds_member_open", "member", "consumed_seq", "released_at"),
        Index("ix_points_holds_order", "terminal", "order_id"),
    )


# ---- escrow (escrow.py) ---------------------------------------------------------------------


class Grant(Base):
    """Spending rights on one card given to one terminal (escrow). Open until the terminal's
    `release` entry arrives; `used` counts the applied entries that named it."""

    __tablename__ = "grants"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    terminal: Mapped[str] = mapped_column(ForeignKey("terminals.id"))
    card: Mapped[str] = mapped_column(ForeignKey("cards.code"))
    program: Mapped[str] = mapped_column(String(64))
    amount: Mapped[int] = mapped_column(BigInteger)
    used: Mapped[int] = mapped_column(BigInteger, default=0)
    # open | released (by the terminal's entry) | returned (its terminal decommissioned)
    status: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[int] = mapped_column(BigInteger)
    released_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    released_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    change_seq: Mapped[int] = mapped_column(BigInteger)
    # When an online spend elsewhere asked for it back (recall.py); still open until the
    # terminal's release entry arrives.
    recalled_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    __table_args__ = (
        CheckConstraint("amount > 0 AND used >= 0", name="ck_grants_amounts"),
        Index("ux_grants_open", "terminal", "card", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        Index("ix_grants_terminal_change", "terminal", "change_seq"),
        Index("ix_grants_card_status", "card", "status"),
    )


class CardStore(Base):
    """Where a card has been presented: grants go to the terminals of stores that saw it
    recently or where it is homed (activated or loaded there)."""

    __tablename__ = "card_stores"
    store: Mapped[str] = mapped_column(String(64), primary_key=True)
    card: Mapped[str] = mapped_column(String(64), primary_key=True)
    home: Mapped[bool] = mapped_column(Boolean, default=False)
    last_seen: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (Index("ix_card_stores_seen", "store", "last_seen"),)


# ---- conflict cases and receivables (conflicts.py) ------------------------------------------


class Receivable(Base):
    __tablename__ = "receivables"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    card: Mapped[str] = mapped_column(ForeignKey("cards.code"), index=True)
    terminal: Mapped[str] = mapped_column(String(16))
    seq: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    conflict_id: Mapped[int] = mapped_column(ForeignKey("conflicts.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[int] = mapped_column(BigInteger)


class Conflict(Base):
    __tablename__ = "conflicts"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    card: Mapped[str | None] = mapped_column(Text, nullable=True, index=True)  # unblock checks
    terminal: Mapped[str] = mapped_column(String(16), index=True)  # a store's cases
    seq: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(64))
    shortfall: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    opened_at: Mapped[int] = mapped_column(BigInteger)


class ConflictResolution(Base):
    """A manager's decision on a case, with the reason. Insert-only: a case is resolved by
    having one; nothing about the case or its entries is edited."""

    __tablename__ = "conflict_resolutions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    conflict_id: Mapped[int] = mapped_column(ForeignKey("conflicts.id"))
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(64), nullable=True)
    resolved_at: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (UniqueConstraint("conflict_id", name="uq_conflict_resolutions_case"),)


class ConflictEntry(Base):
    __tablename__ = "conflict_entries"
    # A fork case lists two entries with the same (terminal, seq), so the hash is in the key.
    conflict_id: Mapped[int] = mapped_column(ForeignKey("conflicts.id"), primary_key=True)
    terminal: Mapped[str] = mapped_column(String(16), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hash: Mapped[str] = mapped_column(String(64), primary_key=True)


# ---- the change feed's counter (change_seq.py) -----------------------------------------------


class Counter(Base):
    """One row per counter; every writing transaction bumps `changes` last, so change_seq order
    is commit order (the row lock is held until commit)."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


# ---- loyalty members and points (members.py, points.py) -------------------------------------
# `members.points`/`tier` and `member_lots.remaining` are cached views that
# `core.rules.points.replay` rebuilds exactly from `points_events` (see the replay test).


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
    created_at: Mapped[int] = mapped_column(BigInteger)  # the customer's registration time
    change_seq: Mapped[int] = mapped_column(BigInteger, index=True)
    # Facts derived from the ingested journal (customer_facts.py): minor units of the
    # program's currency, unix seconds, per-rule counters; `facts_at` is when they last moved.
    lifetime_spend: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    last_visit: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    counters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    facts_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    erased_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # The segments (names) the member was in when central last computed them (segments.py).
    segments: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")


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


# ---- store staff (staff.py) ------------------------------------------------------------------


class StaffMember(Base):
    """One person who may log in at a store's terminals; the PIN only as an argon2id hash."""

    __tablename__ = "staff"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    store: Mapped[str] = mapped_column(ForeignKey("stores.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[int] = mapped_column(BigInteger)
    change_seq: Mapped[int] = mapped_column(BigInteger, index=True)


# ---- terminal code pools (code_pool.py) ------------------------------------------------------


class CodeReservation(Base):
    """A gift-card code central reserved for one terminal, with its credential signed ahead."""

    __tablename__ = "code_reservations"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    program: Mapped[str] = mapped_column(ForeignKey("programs.id"))
    terminal: Mapped[str] = mapped_column(ForeignKey("terminals.id"), index=True)
    qr: Mapped[str] = mapped_column(Text)
    reserved_at: Mapped[int] = mapped_column(BigInteger)
    issued_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # Set when the terminal was decommissioned before issuing it: the code is no one's now
    # (and never reused: its credential was signed).
    released_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class Decommission(Base):
    """A terminal retired by head office (decommission.py), after its maximum offline time:
    what came back to the cards' reserves and how many reserved codes were released."""

    __tablename__ = "decommissions"
    terminal: Mapped[str] = mapped_column(ForeignKey("terminals.id"), primary_key=True)
    decommissioned_at: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(64), nullable=True)
    grants_returned: Mapped[int] = mapped_column(Integer)
    value_returned: Mapped[dict[str, Any]] = mapped_column(JSON)  # currency -> minor units
    codes_released: Mapped[int] = mapped_column(Integer)


# ---- the head-office console (office/) -------------------------------------------------------


class OfficeUser(Base):
    """A person who signs in to the console at /office, with one role (office/roles.py). The
    password only as an argon2id hash; `failed_logins` and `locked_until` are the lockout."""

    __tablename__ = "office_users"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8), default="")  # "": the browser's
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[int] = mapped_column(BigInteger)


class OfficeSession(Base):
    """A signed-in browser: the cookie holds a random token, central only its SHA-256. Ends at
    logout (`ended_at`), after idling or at its absolute expiry (office/sessions.py)."""

    __tablename__ = "office_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("office_users.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[int] = mapped_column(BigInteger)
    last_seen: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    ended_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class AuditEvent(Base):
    """Who did what in the console or through the admin API, when, with the state before and
    after. Insert-only (office/audit.py has no update or delete)."""

    __tablename__ = "office_audit"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[int] = mapped_column(BigInteger, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)


class ProgramDraft(Base):
    """A program file edited in the console, waiting for a second person (office/drafts.py):
    draft -> submitted -> published | rejected. `base` holds the versions published when it was
    made, so a draft approved after someone else published is refused as stale."""

    __tablename__ = "program_drafts"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(Text)
    base: Mapped[dict[str, Any]] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decided_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    published: Mapped[Any] = mapped_column(JSON, nullable=True)


# ---- customers: profile, consent, events (customers.py, consent.py, customer_events.py) ------


class CustomerProfile(Base):
    """The personal data held about a member (the member code is the pseudonymous customer
    id the ledger keeps). Erasure deletes this row (gdpr.py)."""

    __tablename__ = "customer_profiles"
    member: Mapped[str] = mapped_column(ForeignKey("members.code"), primary_key=True)
    birthday: Mapped[str | None] = mapped_column(String(10), nullable=True)  # YYYY-MM-DD
    language: Mapped[str] = mapped_column(String(8), default="")
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    updated_at: Mapped[int] = mapped_column(BigInteger)


class CustomerSchema(Base):
    """The `customer_attributes` schema of the last program file that declared one."""

    __tablename__ = "customer_schema"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    type: Mapped[str] = mapped_column(String(16))


class CustomerSegment(Base):
    """One `segments:` definition of the last program file that declared segments."""

    __tablename__ = "customer_segments"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    expression: Mapped[str] = mapped_column(Text)


class Consent(Base):
    """Marketing consent per channel, insert-only: the newest row of (member, channel) is in
    force. `status` granted | withdrawn; `source` says where it came from."""

    __tablename__ = "consents"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    member: Mapped[str] = mapped_column(ForeignKey("members.code"))
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(64))
    __table_args__ = (Index("ix_consents_member_channel", "member", "channel"),)


class ConsentToken(Base):
    """A double opt-in request: consent is recorded only when the token comes back."""

    __tablename__ = "consent_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    member: Mapped[str] = mapped_column(ForeignKey("members.code"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    used_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class CustomerEvent(Base):
    """A custom event for a customer (a CRM's, a shop's, or a till's claim before an event
    earn), with the answer central gave: the same (source, key) returns that answer again.
    Awarded rows are what `once_per_customer` / `max_per_customer` / `cooldown_days` count."""

    __tablename__ = "customer_events"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    member: Mapped[str] = mapped_column(ForeignKey("members.code"))
    event: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(64))  # "api" or the terminal id
    key: Mapped[str] = mapped_column(String(128))
    at: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))  # awarded | refused | claimed
    points: Mapped[int] = mapped_column(BigInteger, default=0)
    rules: Mapped[list[Any]] = mapped_column(JSON, default=list)  # rule ids awarded
    answer: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    __table_args__ = (UniqueConstraint("source", "key", name="uq_customer_events_key"),
                      Index("ix_customer_events_member_event", "member", "event"))


# ---- automation: the outbox, jobs, webhooks, triggers (outbox.py, jobs.py, webhooks.py,
# triggers.py) ---------------------------------------------------------------------------------


class OutboxEvent(Base):
    """Something that happened, written in the transaction that made it happen (outbox.emit):
    what webhooks deliver and event triggers read. Insert-only; `id` is the one an integrator
    sees on every retry."""

    __tablename__ = "outbox_events"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # evt_<hex>
    type: Mapped[str] = mapped_column(String(40))
    created: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    member: Mapped[str | None] = mapped_column(String(64), nullable=True)  # whom it is about
    __table_args__ = (Index("ix_outbox_events_created", "created"),)


class WebhookEndpoint(Base):
    """A receiver head office registered: the event types it wants (empty: all) and its signing
    secret, sealed with central's data key (data_keys.py); `removed_at` ends deliveries."""

    __tablename__ = "webhook_endpoints"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # we_<hex>
    url: Mapped[str] = mapped_column(Text)
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret: Mapped[str] = mapped_column(Text)  # sealed, never the plain secret
    created_at: Mapped[int] = mapped_column(BigInteger)
    removed_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class Job(Base):
    """One piece of work central does later: deliver an event to a webhook, send a message,
    run a trigger for an event or a schedule (jobs.py). `key` makes creating it idempotent;
    taking it is `FOR UPDATE SKIP LOCKED` plus a lease (`lease_until`), so several central
    processes never run one at once. pending -> done | failed (given up: the worker's
    `give_up_s` after `created_at`), with the last answer kept for `webhooks list`."""

    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(200), unique=True)
    event: Mapped[str | None] = mapped_column(String(32), nullable=True)
    target: Mapped[str | None] = mapped_column(String(64), nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[int] = mapped_column(BigInteger)
    lease_until: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[int] = mapped_column(BigInteger)
    done_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    __table_args__ = (Index("ix_jobs_status_due", "status", "due_at"),
                      Index("ix_jobs_target", "target"))


class TriggerDefinition(Base):
    """One `triggers:` entry of the last program file that declared triggers."""

    __tablename__ = "trigger_definitions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)


class TriggerFiring(Base):
    """A trigger fired for a customer on one occurrence (an event id, a date): unique, so it
    fires at most once however many processes see the occurrence. Insert-only."""

    __tablename__ = "trigger_firings"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    trigger: Mapped[str] = mapped_column(String(64))
    member: Mapped[str] = mapped_column(String(64))
    occurrence: Mapped[str] = mapped_column(String(64))
    fired_at: Mapped[int] = mapped_column(BigInteger)
    actions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # A/B: the customer's group ("holdout": the control, nothing done; "": no variants) and
    # their lifetime spend then, so results can show the spend since (trigger_results.py).
    variant: Mapped[str] = mapped_column(String(32), default="", server_default="")
    spend_before: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    __table_args__ = (UniqueConstraint("trigger", "member", "occurrence",
                                       name="uq_trigger_firings_once"),
                      Index("ix_trigger_firings_member", "member"))


# ---- referral (referrals.py) -------------------------------------------------------------------


class ReferralDefinition(Base):
    """The `referral:` of the last program file that declared one (one row, id "referral")."""

    __tablename__ = "referral_definition"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)


class ReferralCode(Base):
    """A member's code to give friends (made on first ask, never reused)."""

    __tablename__ = "referral_codes"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    member: Mapped[str] = mapped_column(ForeignKey("members.code"), unique=True)
    created_at: Mapped[int] = mapped_column(BigInteger)


class Referral(Base):
    """A friend registered with a member's code: one per friend (the key), rewarded once, at
    the first purchase (`purchased_at`), `outcome` saying what each side got."""

    __tablename__ = "referrals"
    friend: Mapped[str] = mapped_column(ForeignKey("members.code"), primary_key=True)
    referrer: Mapped[str] = mapped_column(ForeignKey("members.code"), index=True)
    created_at: Mapped[int] = mapped_column(BigInteger)
    purchased_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    rewarded_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(32), nullable=True)


# ---- limits counted across tills (limit_counts.py, limit_shares.py) -----------------------


class LimitHold(Base):
    """One use of a customer- or program-scoped limit held for an online decision, under the
    same id as the spend's card hold or the burn's points hold: the entry that names that id
    consumes it (`consumed_seq`); released on the same proof as those holds."""

    __tablename__ = "limit_holds"
    auth_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    terminal: Mapped[str] = mapped_column(ForeignKey("terminals.id"))
    program: Mapped[str] = mapped_column(String(64))
    benefit: Mapped[str] = mapped_column(String(64))  # "" (a redemption) or the reward id
    customer: Mapped[str | None] = mapped_column(String(64), nullable=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    consumed_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    released_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    __table_args__ = (Index("ix_limit_holds_program_open", "program", "consumed_seq",
                            "released_at"),)


class LimitUse(Base):
    """One counted use as ingested: a redemption or a reward burn of a program with customer-
    or program-scoped limits, once per (terminal, seq). `voided_seq`: a void took it back."""

    __tablename__ = "limit_uses"
    terminal: Mapped[str] = mapped_column(ForeignKey("terminals.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    program: Mapped[str] = mapped_column(String(64))
    benefit: Mapped[str] = mapped_column(String(64))
    customer: Mapped[str | None] = mapped_column(String(64), nullable=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[int] = mapped_column(BigInteger)
    auth: Mapped[str | None] = mapped_column(String(32), nullable=True)
    share: Mapped[str | None] = mapped_column(String(32), nullable=True)
    voided_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    __table_args__ = (Index("ix_limit_uses_program_at", "program", "at"),
                      Index("ix_limit_uses_customer", "customer"))


class LimitShare(Base):
    """A bounded share of a program-scoped limit given to one terminal for offline uses (the
    escrow idea for counts): `uses`/`amount` granted, `used_*` what its applied entries drew.
    Open until it expires and the terminal has since proven it holds nothing unsent."""

    __tablename__ = "limit_shares"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    terminal: Mapped[str] = mapped_column(ForeignKey("terminals.id"))
    program: Mapped[str] = mapped_column(String(64))
    benefit: Mapped[str] = mapped_column(String(64))
    uses: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # None: no count limit
    amount: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # None: no amount one
    used_uses: Mapped[int] = mapped_column(BigInteger, default=0)
    used_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(16))  # open | closed
    created_at: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    closed_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    change_seq: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (Index("ix_limit_shares_key", "program", "benefit", "status"),
                      Index("ix_limit_shares_terminal_change", "terminal", "change_seq"))
