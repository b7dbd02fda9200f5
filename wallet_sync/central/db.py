"""Central's schema (SQLAlchemy 2 typed ORM) and engine setup.

Journal entries are append-only: a row in `entries` is never updated or deleted; what changes
(holds, receivables, conflict cases, the card views) lives in other tables. `card_events` holds
every ledger event per card so `core.ledger.replay` can recompute any cached balance.

SQLite: WAL, synchronous=FULL and a busy timeout on every connection, and writers open with
`BEGIN IMMEDIATE` (the pysqlite recipe from the SQLAlchemy docs) so concurrent writers serialise
at BEGIN instead of failing on lock upgrade. PostgreSQL: row locks (`FOR UPDATE`) do the same job.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Engine,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a real bigint identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")
COUNTER_CHANGES = "changes"


def table_of(model: type[Any]) -> Table:
    """The Core table behind an ORM model, typed as a Table (SQLAlchemy's stubs say
    FromClause), for the bulk insert/update statements that keep ingest fast."""
    return cast(Table, model.__table__)


class Base(DeclarativeBase):
    pass


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


class Store(Base):
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
    status: Mapped[str] = mapped_column(String(16))  # open | released
    expires_at: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[int] = mapped_column(BigInteger)
    released_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    released_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    change_seq: Mapped[int] = mapped_column(BigInteger)
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


class Counter(Base):
    """One row per counter; every writing transaction bumps `changes` last, so change_seq order
    is commit order (the row lock is held until commit)."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


def normalize_url(db_url: str) -> str:
    """Accept a bare file path for SQLite and plain postgresql:// URLs (use psycopg 3)."""
    if "://" not in db_url:
        return "sqlite:///" + os.path.abspath(os.path.expanduser(db_url))
    for prefix in ("postgresql://", "postgres://"):
        if db_url.startswith(prefix):
            return "postgresql+psycopg://" + db_url[len(prefix):]
    return db_url


def make_engine(db_url: str) -> Engine:
    url = normalize_url(db_url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _sqlite_setup(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is deferred).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Readers take a deferred snapshot; writers lock up front so two writers never both
        # read then fail to upgrade.
        mode = "DEFERRED" if conn.get_execution_options().get("readonly") else "IMMEDIATE"
        conn.exec_driver_sql(f"BEGIN {mode}")


def is_postgres(session_or_engine: Session | Engine) -> bool:
    bind = session_or_engine.get_bind() if isinstance(session_or_engine, Session) \
        else session_or_engine
    return bind.dialect.name == "postgresql"


class Database:
    """The engine plus the two kinds of transaction central runs."""

    def __init__(self, db_url: str) -> None:
        self.url = normalize_url(db_url)
        self.engine = make_engine(self.url)
        self._reader = self.engine.execution_options(readonly=True)
        self.postgres = self.engine.dialect.name == "postgresql"

    @contextmanager
    def write(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        bind = self._reader
        if self.postgres:
            # One snapshot for the whole page: acked_seq and balances must agree.
            bind = self._reader.execution_options(isolation_level="REPEATABLE READ")
        with Session(bind, expire_on_commit=False) as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


# The loyalty tables live in their own module on the same Base; importing it here keeps
# `Base.metadata` complete for every user of this module (migrations check, tests).
from wallet_sync.central import code_pool as _code_pool  # noqa: E402,F401  (reservations)
from wallet_sync.central import members_db as _members_db  # noqa: E402,F401
from wallet_sync.central import staff as _staff  # noqa: E402,F401  (the staff table)
